/**
 * defined/unknown-workflow and defined/child-outcome: a workflow step starts a charter that is known,
 * routes only outcomes that child can end with, and routes every one of its success outcomes.
 */
import { isSuccessEnd } from "../../../gates.js";
import { lenientCharterSchema } from "../../../schema.js";
import type { Charter } from "../../../schema.js";
import { didYouMean } from "../../../suggest.js";
import type { LintOptions, Rule, RuleExample } from "../../rule.js";
import { stepsOfKind } from "../../../steps.js";
import { DONE_STEP } from "../examples.js";
import { createSuggester, listNames } from "../wording.js";

/** The charter a workflow step starts, when it is known: a charter linted with this one, or itself. */
function childCharter(charter: Charter, options: LintOptions, workflow: string): Charter | undefined {
  return options.workflows?.get(workflow) ?? (workflow === charter.workflow ? charter : undefined);
}

/** A child charter for the workflow-step examples: ends `approved` (a success) and `blocked`. */
const VENDOR_CHECK: Charter = lenientCharterSchema.parse({
  charter: 1,
  workflow: "vendor-check",
  title: "Vendor check",
  success: { outcomes: ["approved"] },
  start: "screen",
  steps: {
    screen: {
      kind: "decision",
      rules: [{ when: "input.vendorId = 'blocked'", goto: "blocked" }],
      default: "approved",
    },
    approved: { kind: "end", outcome: "approved" },
    blocked: { kind: "end", outcome: "blocked", success: false },
  },
});

const WITH_CHILD: LintOptions = { workflows: new Map([["vendor-check", VENDOR_CHECK]]) };

/** A workflow step `vet-vendor` starting `workflow`, with its route lines (outcomes, next). */
const vetVendorSteps = (workflow: string, routes: string) => `
start: vet-vendor
steps:
  vet-vendor:
    kind: workflow
    owner: team:operations
    workflow: ${workflow}
    input: "{ 'vendorId': input.requestId }"
    timeout: 5d
${routes}${DONE_STEP}
  refused: { kind: end, outcome: refused }
success:
  outcomes: [done, refused]
`;

const workflowExample: RuleExample = {
  bad: vetVendorSteps("vendor-chek", "    outcomes: { approved: done, default: refused }"),
  good: vetVendorSteps("vendor-check", "    outcomes: { approved: done, default: refused }"),
  options: WITH_CHILD,
};

export const unknownWorkflow: Rule = {
  id: "defined/unknown-workflow",
  severity: "warning",
  summary:
    "A workflow step starts a charter that is linted with this one (checked when charters are linted together).",
  rationale: `A \`workflow\` step starts another charter and waits for its outcome. When several charters are linted
together, a child that is not among them is probably a misspelt id. It may also be deployed
separately, so this is a warning; the child must be deployed before a run reaches the step. (The
examples are linted together with a charter \`vendor-check\` that ends \`approved\` or \`blocked\`.)`,
  example: workflowExample,
  check({ charter, options, report }) {
    if (options.workflows === undefined) return;
    const known = [...options.workflows.keys(), charter.workflow];
    const suggest = createSuggester(known);
    for (const { id, step } of stepsOfKind(charter, ["workflow"])) {
      if (childCharter(charter, options, step.workflow)) continue;
      report({
        message: `Step "${id}" starts workflow "${step.workflow}", which is not among the charters linted with this one.${suggest(step.workflow) || " Lint it together with this charter, or make sure it is deployed first."}`,
        path: ["steps", id, "workflow"],
      });
    }
  },
};

const childOutcomeExample: RuleExample = {
  bad: vetVendorSteps("vendor-check", "    outcomes: { approved: done, blockd: refused }"),
  good: vetVendorSteps("vendor-check", "    outcomes: { blocked: refused }\n    next: done"),
  options: WITH_CHILD,
};

export const childOutcome: Rule = {
  id: "defined/child-outcome",
  severity: "error",
  summary:
    "A workflow step routes only outcomes its child can end with, and every success of the child (checked when the child is known).",
  rationale: `A \`workflow\` step continues according to the outcome its child run ended with: to the step its
\`outcomes\` lists for that outcome; otherwise to \`next\` when the child's end counts as success;
otherwise to \`outcomes.default\`; otherwise the step fails with \`CHILD_FAILED\`, routed by its
\`on_error\`. When the child charter is known (linted together, or the charter itself), every key of
\`outcomes\` must be an outcome of one of the child's \`end\` steps, and every success outcome of the
child must be routed (by its name, \`next\` or \`default\`): a child that succeeded must not fail its
parent. Unsuccessful child outcomes may stay unrouted; they fail the step with \`CHILD_FAILED\`. (The
examples are linted together with a charter \`vendor-check\` that ends \`approved\`, a success, or
\`blocked\`, not a success.)`,
  example: childOutcomeExample,
  check({ charter, graph, options, report }) {
    for (const { id, step } of stepsOfKind(charter, ["workflow"])) {
      const child = childCharter(charter, options, step.workflow);
      if (!child) continue;
      const ends = stepsOfKind(child, ["end"]);
      const outcomes = [...new Set(ends.map(({ step: end }) => end.outcome))];
      const childSet = new Set(outcomes);
      const routed = step.outcomes ?? {};
      for (const key of Object.keys(routed)) {
        if (key === "default" || childSet.has(key)) continue;
        report({
          message: `Step "${id}" routes outcome "${key}", but workflow "${step.workflow}" never ends with it.${didYouMean(key, outcomes)} Its outcomes are ${listNames(outcomes, 10) || "none"}.`,
          path: ["steps", id, "outcomes", key],
          atKey: true,
        });
      }
      // A step with no route at all is reported by defined/routes; in a branch, success carries on.
      if (step.next !== undefined || graph.branches.has(id) || Object.hasOwn(routed, "default")) continue;
      if (Object.keys(routed).length === 0) continue;
      const successes = [
        ...new Set(
          ends.filter(({ step: end }) => isSuccessEnd(child, end)).map(({ step: end }) => end.outcome),
        ),
      ];
      const unrouted = successes.filter((o) => !Object.hasOwn(routed, o));
      if (unrouted.length === 0) continue;
      const plural = unrouted.length > 1 ? "s" : "";
      report({
        message: `Step "${id}" does not route success outcome${plural} ${listNames(unrouted, 10)} of workflow "${step.workflow}", so a child that succeeds would fail the step: add next: <step id>, or ${unrouted.map((o) => `${o}: <step id>`).join(", ")} under outcomes.`,
        path: ["steps", id, "outcomes"],
        atKey: true,
      });
    }
  },
};
