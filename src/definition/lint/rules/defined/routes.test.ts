import { describe, expect, it } from "vitest";
import {
  action,
  approval,
  end,
  findings,
  messages,
  paths,
  steps,
} from "../../../../../test/helpers/step-yaml.js";

describe("defined/routes", () => {
  const routeMessages = (...defs: string[]) => messages("defined/routes", steps("start-here", ...defs));

  it("reports steps outside a branch that have no next, at their key", () => {
    const found = findings(
      "defined/routes",
      steps(
        "check",
        action("check"),
        `
  extract:
    kind: ai
    owner: team:operations
    model_task: classify
    accept: { when: "confidence > 0.9" }
    review: check
  hold:
    kind: wait
    owner: team:operations
    until: input.when
    timeout: 1d
    on_timeout: exception
  fill:
    kind: task
    owner: team:operations
    assignee: role:reviewer
    due: 1d
    expire: { after: 2d, goto: exception }
  fan:
    kind: parallel
    owner: team:operations
    branches: [[notify]]`,
        action("notify"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "check"],
      ["steps", "extract"],
      ["steps", "hold"],
      ["steps", "fill"],
      ["steps", "fan"],
    ]);
    expect(found[0]!.message).toBe(
      'Step "check" (action) has no next: add next: <step id>, the step a run goes to when the action succeeds.',
    );
    expect(found[3]!.message).toMatch(/^Task "fill" has no route forward/);
    expect(found[4]!.message).toMatch(/^Step "fan" \(parallel\) has no next/);
  });

  it("reports a branch step with its own next, at the next", () => {
    const found = findings(
      "defined/routes",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a], [b]]
    next: done`,
        action("a", "done"),
        action("b"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "a", "next"]]);
    expect(found[0]!.message).toBe(
      'Step "a" is in branch 1 of parallel "fan" and has its own next: remove it. The branch list gives the order, and "fan"\'s next follows the join.',
    );
  });

  it("reports a step listed in two branches at its second listing", () => {
    const found = findings(
      "defined/routes",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, b], [b]]
    next: more
  more:
    kind: parallel
    owner: team:operations
    for_each: input.items
    concurrency: 2
    branch: [a]
    next: done`,
        action("a"),
        action("b"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "fan", "branches", 1, 0],
      ["steps", "more", "branch", 0],
    ]);
    expect(found[0]!.message).toBe(
      'Step "b" is listed in branches[1] of parallel "fan" but is already in branches[0] of parallel "fan": a step belongs to one branch. Give each branch its own step.',
    );
  });

  it("reports a parallel with both, or neither, of branches and for_each", () => {
    expect(
      paths(
        "defined/routes",
        steps(
          "fan",
          `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a]]
    for_each: input.items
    next: none
  none:
    kind: parallel
    owner: team:operations
    next: done`,
          action("a"),
          end("done"),
        ),
      ),
    ).toEqual([
      ["steps", "fan", "for_each"],
      ["steps", "none"],
    ]);
  });

  it("reports branch, as and concurrency without for_each, and for_each without branch", () => {
    const found = findings(
      "defined/routes",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branch: [a]
    as: order
    concurrency: 3
    next: each
  each:
    kind: parallel
    owner: team:operations
    for_each: input.items
    concurrency: 3
    next: done`,
        action("a"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "fan", "branch"],
      ["steps", "fan", "as"],
      ["steps", "fan", "concurrency"],
      ["steps", "each", "for_each"],
    ]);
    expect(found[3]!.message).toMatch(/^Parallel "each" has for_each but no branch/);
  });

  it("reports a task with both next and outcomes", () => {
    expect(
      routeMessages(
        `
  start-here:
    kind: task
    owner: team:operations
    assignee: role:reviewer
    due: 1d
    expire: { after: 2d, goto: exception }
    next: done
    outcomes: { ok: done }`,
        end("done"),
      ),
    ).toEqual([
      'Task "start-here" has both next and outcomes: keep outcomes to route by what the person chose, or next to always go on the same way.',
    ]);
  });

  it("reports an approval that does not route approved or rejected", () => {
    const found = findings(
      "defined/routes",
      steps("approve", approval("approve", "{ approved: done, escalated: done }"), end("done")),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "approve", "outcomes"]]);
    expect(found[0]!.message).toBe(
      'Approval "approve" does not route "rejected": add rejected: <step id> to outcomes (an approval must say where both approved and rejected go).',
    );
  });

  it("reports a wait with both or neither of event and until", () => {
    const wait = (id: string, on: string) => `
  ${id}:
    kind: wait
    owner: team:operations${on}
    timeout: 1d
    on_timeout: exception
    next: done`;
    const found = findings(
      "defined/routes",
      steps(
        "both",
        wait("both", "\n    event: po.received\n    correlation: input.po\n    until: input.when").replace(
          "next: done",
          "next: neither",
        ),
        wait("neither", ""),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "both", "until"],
      ["steps", "neither"],
    ]);
    expect(found[1]!.message).toMatch(/^Wait "neither" waits for nothing/);
  });

  it("reports a wait on an event with no correlation, at the event, and a correlation beside until", () => {
    const wait = (id: string, on: string, next: string) => `
  ${id}:
    kind: wait
    owner: team:operations${on}
    timeout: 1d
    on_timeout: exception
    next: ${next}`;
    const found = findings(
      "defined/routes",
      steps(
        "uncorrelated",
        wait("uncorrelated", "\n    event: po.received", "timed"),
        wait("timed", "\n    until: input.when\n    correlation: input.po", "correlated"),
        wait("correlated", "\n    event: po.received\n    correlation: input.po", "done"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "uncorrelated", "event"],
      ["steps", "timed", "correlation"],
    ]);
    expect(found.map((d) => d.message)).toEqual([
      'Wait "uncorrelated" waits for event "po.received" with no correlation, so any run\'s event would resume it: add correlation: <expression> giving this run\'s key (e.g. input.requestId).',
      'Wait "timed" has correlation but waits until a time: correlation only picks an event; remove it, or wait for event: <name> instead of until.',
    ]);
  });

  it("reports a workflow step with neither outcomes nor next, and accepts either", () => {
    const child = (id: string, routes: string, next?: string) => `
  ${id}:
    kind: workflow
    owner: team:operations
    workflow: vendor-check
    timeout: 5d${routes}${next === undefined ? "" : `\n    next: ${next}`}`;
    const found = findings(
      "defined/routes",
      steps(
        "stuck",
        child("stuck", "\n    on_error: { default: by-next }"),
        child("by-next", "", "by-outcomes"),
        child("by-outcomes", "\n    outcomes: { approved: done }"),
        end("done"),
      ),
    );
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "stuck"],
        'Workflow step "stuck" has no route forward: add next: <step id>, where the run goes when "vendor-check" succeeds, or outcomes: { <child outcome>: <step id> }.',
      ],
    ]);
  });

  it("reports an on_error code a workflow step never fails with, at its key, with the closest code", () => {
    const found = findings(
      "defined/routes",
      steps(
        "vet",
        `
  vet:
    kind: workflow
    owner: team:operations
    workflow: vendor-check
    timeout: 5d
    next: done
    on_error: { CHILD_FAIL: done, TIMEOUT: done, WORKFLOW_NOT_FOUND: exception, default: exception }`,
        end("done"),
      ),
    );
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "vet", "on_error", "CHILD_FAIL"],
        'Workflow step "vet" routes error code "CHILD_FAIL" in on_error, but a workflow step fails only with CHILD_FAILED, TIMEOUT, WORKFLOW_NOT_FOUND. Did you mean "CHILD_FAILED"?',
      ],
    ]);
  });

  it("reports an end step inside a branch, and a parallel listing itself", () => {
    const found = findings(
      "defined/routes",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, done], [fan]]
    next: done`,
        action("a"),
        end("done"),
      ),
    );
    const at = (path: readonly (string | number)[]) =>
      found.find((d) => JSON.stringify(d.path) === JSON.stringify(path));
    expect(at(["steps", "fan", "branches", 0, 1])?.message).toMatch(
      /lists end step "done" in branches\[0\]\[1\]: a branch cannot end the run/,
    );
    expect(at(["steps", "fan", "branches", 1, 0])?.message).toMatch(/^Parallel "fan" lists itself/);
  });

  it("reports a route into the middle of a branch from outside it, and a start inside a branch", () => {
    const found = findings(
      "defined/routes",
      steps(
        "b",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, b]]
    next: done`,
        action("a"),
        action("b"),
        action("retry", "a"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["start"], ["steps", "retry", "next"]]);
    expect(found[1]!.message).toBe(
      'Step "retry" goes to "a" in next, but "a" is inside branch 1 of parallel "fan" and can only be entered through it: route to "fan" instead.',
    );
  });

  it("accepts routes between steps of the same branch, and nested parallels", () => {
    expect(
      findings(
        "defined/routes",
        steps(
          "fan",
          `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, inner, b]]
    next: done`,
          action("a", undefined, "\n    on_error: { FAILED: b, default: exception }").replace(
            "\n    on_error: { default: exception }",
            "",
          ),
          `
  inner:
    kind: parallel
    owner: team:operations
    branches: [[c]]`,
          action("c", undefined, "\n    on_error: { FAILED: b, default: exception }").replace(
            "\n    on_error: { default: exception }",
            "",
          ),
          action("b"),
          end("done"),
        ),
      ),
    ).toEqual([]);
  });
});
