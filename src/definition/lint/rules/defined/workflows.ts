/**
 * defined/unknown-workflow and defined/child-outcome: a workflow step starts a charter that is known,
 * and routes every outcome that child can end with.
 */
import { lenientCharterSchema } from "../../../schema.js";
import type { Charter } from "../../../schema.js";
import { didYouMean } from "../../../suggest.js";
import type { LintOptions, Rule, RuleExample } from "../../rule.js";
import { stepsOfKind } from "../charter-parts.js";
import { DONE_STEP } from "../examples.js";
import { createSuggester, listNames } from "../wording.js";

/** The charter a workflow step starts, when it is known: a charter linted with this one, or itself. */
function childCharter(charter: Charter, options: LintOptions, workflow: string): Charter | undefined {
  return options.workflows?.get(workflow) ?? (workflow === charter.workflow ? charter : undefined);
}

/** A child charter for the workflow-step examples: ends `approved` and `blocked`. */
const VENDOR_CHECK: Charter = lenientCharterSchema.parse({
  charter: 1,
  workflow: "vendor-check",
  title: "Vendor check",
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

const vetVendorSteps = (workflow: string, outcomes: string) => `
start: vet-vendor
steps:
  vet-vendor:
    kind: workflow
    owner: team:operations
    workflow: ${workflow}
    input: "{ 'vendorId': input.requestId }"
    timeout: 5d
    outcomes: ${outcomes}${DONE_STEP}
  refused: { kind: end, outcome: refused }
success:
  outcomes: [done, refused]
`;

const workflowExample: RuleExample = {
  bad: vetVendorSteps("vendor-chek", "{ approved: done, default: refused }"),
  good: vetVendorSteps("vendor-check", "{ approved: done, default: refused }"),
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
  bad: vetVendorSteps("vendor-check", "{ approved: done, blockd: refused }"),
  good: vetVendorSteps("vendor-check", "{ approved: done, blocked: refused }"),
  options: WITH_CHILD,
};

export const childOutcome: Rule = {
  id: "defined/child-outcome",
  severity: "error",
  summary:
    "A workflow step routes exactly the outcomes its child charter can end with (checked when the child is known).",
  rationale: `A \`workflow\` step continues according to the outcome its child run ended with. When the child charter
is known (linted together, or the charter itself), every key of \`outcomes\` must be an outcome of
one of the child's \`end\` steps, and every outcome the child can end with must be routed, by its
name or by \`default\`. Otherwise a child outcome would leave the parent run with nowhere to go. (The
examples are linted together with a charter \`vendor-check\` that ends \`approved\` or \`blocked\`.)`,
  example: childOutcomeExample,
  check({ charter, options, report }) {
    for (const { id, step } of stepsOfKind(charter, ["workflow"])) {
      const child = childCharter(charter, options, step.workflow);
      if (!child) continue;
      const outcomes = [...new Set(stepsOfKind(child, ["end"]).map(({ step: end }) => end.outcome))];
      const childSet = new Set(outcomes);
      for (const key of Object.keys(step.outcomes)) {
        if (key === "default" || childSet.has(key)) continue;
        report({
          message: `Step "${id}" routes outcome "${key}", but workflow "${step.workflow}" never ends with it.${didYouMean(key, outcomes)} Its outcomes are ${listNames(outcomes, 10) || "none"}.`,
          path: ["steps", id, "outcomes", key],
          atKey: true,
        });
      }
      if (Object.hasOwn(step.outcomes, "default")) continue;
      const uncovered = outcomes.filter((o) => !Object.hasOwn(step.outcomes, o));
      if (uncovered.length === 0 || Object.keys(step.outcomes).length === 0) continue;
      report({
        message: `Step "${id}" does not route outcome${uncovered.length > 1 ? "s" : ""} ${listNames(uncovered, 10)} of workflow "${step.workflow}": add ${uncovered.map((o) => `${o}: <step id>`).join(", ")}, or default: <step id>.`,
        path: ["steps", id, "outcomes"],
        atKey: true,
      });
    }
  },
};
