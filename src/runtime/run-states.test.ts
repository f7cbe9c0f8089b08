import { describe, expect, it } from "vitest";
import { runState } from "../../test/store-contract.js";
import { createRunStates } from "./run-states.js";

describe("remembered run states", () => {
  it("keeps the newest state per run, forgets ended runs and refused writes, and the oldest beyond the limit", () => {
    const states = createRunStates(2);
    const a1 = runState("a");
    const a2 = { ...a1, seq: 2 };
    states.writing(a1);
    states.read(a2); // newer than remembered: replaces it
    expect(states.latest("a")?.state).toBe(a2);
    states.read(a1); // older: ignored
    expect(states.latest("a")?.state).toBe(a2);
    states.refused(a1); // not the remembered one: nothing changes
    expect(states.latest("a")?.state).toBe(a2);
    states.refused(a2);
    expect(states.latest("a")).toBeUndefined();
    states.read(a2); // a read never adds a run that is not remembered
    expect(states.latest("a")).toBeUndefined();

    states.writing(runState("b"));
    states.writing(runState("c"));
    states.writing(runState("d"));
    expect(states.latest("b")).toBeUndefined();
    expect(states.latest("d")).toBeDefined();
    states.writing({ ...runState("d"), status: "completed", seq: 2 });
    expect(states.latest("d")).toBeUndefined();
  });

  it("runs one run's computations one after another, and other runs' beside them", async () => {
    const states = createRunStates();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = states.serially("a", async () => {
      order.push("a1 start");
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push("a1 end");
    });
    const second = states.serially("a", async () => void order.push("a2"));
    const other = states.serially("b", async () => void order.push("b1"));
    await other;
    expect(order).toEqual(["a1 start", "b1"]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["a1 start", "b1", "a1 end", "a2"]);
  });
});
