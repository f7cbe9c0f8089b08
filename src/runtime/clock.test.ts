import { describe, expect, it } from "vitest";
import { isCharterError } from "../errors.js";
import { createManualClock, systemClock } from "./clock.js";

describe("manual clock", () => {
  it("moves only when told, and never backwards", () => {
    const clock = createManualClock("2025-03-03T09:00:00Z");
    expect(clock.now().toISOString()).toBe("2025-03-03T09:00:00.000Z");
    expect(clock.advance(1500).toISOString()).toBe("2025-03-03T09:00:01.500Z");
    expect(clock.set("2025-03-04T00:00:00Z").toISOString()).toBe("2025-03-04T00:00:00.000Z");
    for (const move of [
      () => clock.advance(-1),
      () => clock.set("2025-03-03T00:00:00Z"),
      () => clock.advance(NaN),
    ]) {
      let error: unknown;
      try {
        move();
      } catch (e) {
        error = e;
      }
      expect(isCharterError(error) && error.code).toBe("INVALID_OPTION");
    }
    expect(clock.now().toISOString()).toBe("2025-03-04T00:00:00.000Z");
  });

  it("runs scheduled callbacks when their time comes, in time order, at their own time", () => {
    const clock = createManualClock(0);
    const seen: string[] = [];
    clock.schedule(300, () => seen.push(`c@${clock.now().getTime()}`));
    clock.schedule(100, () => seen.push(`a@${clock.now().getTime()}`));
    const cancel = clock.schedule(200, () => seen.push("cancelled"));
    clock.schedule(100, () => seen.push(`b@${clock.now().getTime()}`));
    cancel();
    clock.advance(99);
    expect(seen).toEqual([]);
    clock.advance(250);
    expect(seen).toEqual(["a@100", "b@100", "c@300"]);
    expect(clock.now().getTime()).toBe(349);
    expect(clock.pending()).toBe(0);
  });

  it("the system clock reads the wall clock", () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
  });
});
