import { describe, expect, it } from "vitest";
import { loadCharter } from "../../../load.js";
import type { Charter } from "../../../schema.js";
import type { LintOptions } from "../../rule.js";
import { end, findings, steps } from "../../../../../test/helpers/step-yaml.js";

function charterOf(text: string): Charter {
  const loaded = loadCharter(text, "child.yaml");
  if (!loaded.charter) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.charter;
}

describe("defined/unknown-workflow and defined/child-outcome", () => {
  const child = charterOf(`
charter: 1
workflow: vendor-check
title: Vendor check
success: { outcomes: [approved] }
start: screen
steps:
  screen:
    kind: decision
    rules: [{ when: "input.blocked", goto: blocked }]
    default: approved
  approved: { kind: end, outcome: approved }
  blocked: { kind: end, outcome: blocked, success: false }
`);
  const options: LintOptions = { workflows: new Map([["vendor-check", child]]) };
  const callChild = (workflow: string, outcomes: string) =>
    steps(
      "vet",
      `
  vet:
    kind: workflow
    owner: team:operations
    workflow: ${workflow}
    timeout: 5d
    outcomes: ${outcomes}`,
      end("done"),
    );

  it("say nothing when the charters linted together are not given", () => {
    const text = callChild("vendor-chek", "{ approved: done }");
    expect(findings("defined/unknown-workflow", text)).toEqual([]);
    expect(findings("defined/child-outcome", text)).toEqual([]);
  });

  it("warn about a child that is not among the linted charters, with the closest id", () => {
    const found = findings(
      "defined/unknown-workflow",
      callChild("vendor-chek", "{ default: done }"),
      options,
    );
    expect(found.map((d) => [d.path, d.severity])).toEqual([[["steps", "vet", "workflow"], "warning"]]);
    expect(found[0]!.message).toBe(
      'Step "vet" starts workflow "vendor-chek", which is not among the charters linted with this one. Did you mean "vendor-check"?',
    );
  });

  it("report an outcome the child never ends with, at its key", () => {
    const found = findings(
      "defined/child-outcome",
      callChild("vendor-check", "{ approved: done, blockd: done, default: done }"),
      options,
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "vet", "outcomes", "blockd"]]);
    expect(found[0]!.message).toBe(
      'Step "vet" routes outcome "blockd", but workflow "vendor-check" never ends with it. Did you mean "blocked"? Its outcomes are "approved", "blocked".',
    );
  });

  it("report a success outcome of the child that nothing routes, at outcomes", () => {
    const found = findings("defined/child-outcome", callChild("vendor-check", "{ blocked: done }"), options);
    expect(found.map((d) => d.path)).toEqual([["steps", "vet", "outcomes"]]);
    expect(found[0]!.message).toBe(
      'Step "vet" does not route success outcome "approved" of workflow "vendor-check", so a child that succeeds would fail the step: add next: <step id>, or approved: <step id> under outcomes.',
    );
  });

  it("accept a success outcome routed by next or by default", () => {
    const byNext = callChild("vendor-check", "{ blocked: done }").replace(
      "outcomes: { blocked: done }",
      "outcomes: { blocked: done }\n    next: done",
    );
    expect(findings("defined/child-outcome", byNext, options)).toEqual([]);
    expect(
      findings(
        "defined/child-outcome",
        callChild("vendor-check", "{ blocked: done, default: done }"),
        options,
      ),
    ).toEqual([]);
  });

  it("leave unsuccessful child outcomes unrouted: they fail the step with CHILD_FAILED", () => {
    expect(
      findings("defined/child-outcome", callChild("vendor-check", "{ approved: done }"), options),
    ).toEqual([]);
  });

  it("count carrying on in a parallel branch as the route for the child's success", () => {
    const inBranch = steps(
      "fan",
      `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[vet]]
    next: done
  vet:
    kind: workflow
    owner: team:operations
    workflow: vendor-check
    timeout: 5d
    outcomes: { blocked: exception }`,
      end("done"),
    );
    expect(findings("defined/child-outcome", inBranch, options)).toEqual([]);
  });

  it("know the charter itself as a child without being told", () => {
    const found = findings("defined/child-outcome", callChild("minimal", "{ finished: done }"));
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "vet", "outcomes"],
      ["steps", "vet", "outcomes", "finished"],
    ]);
  });
});
