import { describe, expect, it } from "vitest";
import { action, approval, end, findings, steps } from "../../../../../test/helpers/step-yaml.js";

describe("defined/unreachable", () => {
  it("reports each step that no route from start reaches, at its key", () => {
    const found = findings(
      "defined/unreachable",
      steps(
        "check",
        action("check", "done"),
        action("orphan", "follower"),
        action("follower", "done"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "orphan"],
      ["steps", "follower"],
    ]);
    expect(found[0]!.message).toBe(
      'Step "orphan" is unreachable: no route leads to it from start "check". Route to it from a reachable step, or remove it.',
    );
    expect(found[1]!.message).toBe(
      'Step "follower" is unreachable: only unreachable steps route to it ("orphan"). Route to it from a reachable step, or remove it.',
    );
  });

  it("counts the input.on_invalid route, error routes and branches as routes", () => {
    expect(
      findings(
        "defined/unreachable",
        `
input: { schema: { type: object }, on_invalid: fix-input }
${steps(
  "check",
  action("check", "fan").replace("default: exception", "default: failed"),
  `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, b]]
    next: done`,
  action("a"),
  action("b"),
  action("fix-input", "done"),
  end("done"),
  end("failed", "failed", ", success: false"),
)}`,
      ),
    ).toEqual([]);
  });

  it("says nothing when start is unknown (defined/unknown-step reports the cause)", () => {
    expect(findings("defined/unreachable", steps("chekc", action("check", "done"), end("done")))).toEqual([]);
  });
});

describe("defined/no-end", () => {
  it("reports every step of a loop that nothing leaves, at its key", () => {
    const found = findings(
      "defined/no-end",
      steps(
        "route",
        `
  route:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.amount > 1", goto: ping }]
    default: done
  ping:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.amount > 2", goto: pong }]
    default: pong
  pong:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.amount > 2", goto: ping }]
    default: ping`,
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "ping"],
      ["steps", "pong"],
    ]);
    expect(found[0]!.message).toBe(
      'Step "ping" never reaches an end: its routes only loop (ping → pong → ping). Route a step of the loop to an end step or to "exception".',
    );
  });

  it("reports a loop that only on_error routes leave, asking for a normal route out rather than the exception queue", () => {
    const found = findings("defined/no-end", steps("a", action("a", "b"), action("b", "a"), end("done")));
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "a"],
      ["steps", "b"],
    ]);
    expect(found[0]!.message).toBe(
      'Step "a" never reaches an end: its routes only loop (a → b → a) and only on_error routes leave the loop, so when nothing fails the run never ends. Give a step of the loop a normal route out (next, an outcome or a rule) to an end step.',
    );
    expect(found[0]!.message).not.toContain('"exception"');
  });

  it("counts a child workflow's next and outcomes as ways to end, but not its on_error", () => {
    const child = (routes: string) => `
  child:
    kind: workflow
    owner: team:operations
    workflow: other
    timeout: 1d${routes}`;
    const loop = (routes: string) =>
      findings("defined/no-end", steps("check", action("check", "child"), child(routes), end("done")));
    expect(loop("\n    next: check\n    on_error: { default: done }").map((d) => d.path)).toEqual([
      ["steps", "check"],
      ["steps", "child"],
    ]);
    expect(loop("\n    next: done")).toEqual([]);
    expect(loop("\n    next: check\n    outcomes: { cancelled: done }")).toEqual([]);
  });

  it("counts the exception queue, a timeout and an expiry as ways to end", () => {
    const loop = steps(
      "wait",
      `
  wait:
    kind: wait
    owner: team:operations
    until: input.when
    timeout: 1d
    on_timeout: done
    next: review`,
      approval("review", "{ approved: wait, rejected: exception }").replace("goto: exception", "goto: wait"),
      end("done"),
    );
    expect(findings("defined/no-end", loop)).toEqual([]);
  });

  it("leaves dead ends, unknown targets and unreachable steps to their own rules", () => {
    expect(
      findings(
        "defined/no-end",
        steps(
          "a",
          action("a", "b"),
          action("b"),
          action("c", "nowhere"),
          action("x", "y"),
          action("y", "x"),
          end("done"),
        ),
      ),
    ).toEqual([]);
  });
});
