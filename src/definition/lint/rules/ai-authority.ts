/**
 * ai-authority: AI proposes, rules and people decide. An `ai` step's output is a proposal with a
 * schema and a confidence; an explicit acceptance condition lets it go on, a person reviews the rest,
 * and nothing irreversible or final happens on AI output alone.
 */
import type { CharterGraph } from "../../graph.js";
import { findUngatedReaches, isHumanStep, isIrreversibleAction, isSuccessEnd } from "../../gates.js";
import { isActorLiteral } from "../../expressions.js";
import { CONTINUE_TARGET, EXCEPTION_TARGET, REJECT_TARGET } from "../../schema.js";
import type { Charter, Step } from "../../schema.js";
import type { Rule, RuleContext } from "../rule.js";
import { stepsOfKind } from "../../steps.js";
import { actorFields } from "./charter-parts.js";
import { APPROVAL_ENDS, approvalStep, PAY_STEP } from "./examples.js";
import { formatStepPath, PATH_HEAD_NEEDED, withArticle } from "./wording.js";

/** An ai step's accepted output reaching a target (irreversible action or success end) ungated. */
interface AiReach {
  readonly ai: string;
  readonly target: string;
  /** The shortest such path, for the message. */
  readonly path: string;
}

// Both path rules need the same search; run it once per lint (keyed by the lint's graph).
const reachCache = new WeakMap<CharterGraph, readonly AiReach[]>();

/**
 * Irreversible actions and success ends that each ai step's accepted output reaches with no gate on
 * the way. A path leaves the ai step by its accepted route (its review and error routes carry no
 * accepted output), then follows every route of every later step that is not a gate, and stops at
 * the first target (what lies beyond is reached only through it, so that finding covers it).
 * The search runs backward from the targets (see findUngatedReaches), so that a long chain of ai
 * steps stays linear per target.
 */
function ungatedFromAi(charter: Charter, graph: CharterGraph): readonly AiReach[] {
  const cached = reachCache.get(graph);
  if (cached) return cached;
  const accepted = new Map<string, string[]>();
  for (const { id } of stepsOfKind(charter, ["ai"])) {
    const next = (graph.outgoing.get(id) ?? []).filter((e) => e.kind === "accepted").map((e) => e.to);
    if (next.length > 0) accepted.set(id, next);
  }
  const isTarget = (step: Step | undefined) => isIrreversibleAction(step) || isSuccessEnd(charter, step);
  const reaches = findUngatedReaches(charter, graph, accepted, isTarget, PATH_HEAD_NEEDED).map(
    ({ source, target, head, length }) => ({
      ai: source,
      target,
      path: formatStepPath(head, length, target),
    }),
  );
  reachCache.set(graph, reaches);
  return reaches;
}

/** Shared steps of the examples: a review approval and the ends it leads to. */
const REVIEW_STEPS = `${approvalStep("review-request")}${APPROVAL_ENDS}`;

/** A classification step, with a placeholder for the fields under test. */
const classifyStep = (fields: string) => `
  classify:
    kind: ai
    owner: team:operations
    model_task: classify
${fields}`;

const outputSchema: Rule = {
  id: "ai-authority/output-schema",
  severity: "error",
  summary: "Every model task declares the JSON Schema of its output.",
  rationale: `A model's answer is data from outside the charter. The engine validates it against the model task's
\`output\` schema before anything reads it, so that acceptance conditions, decisions and reviewers
work with named, typed fields rather than free text. A model task without an \`output\` schema has
nothing to validate against: declare one, with the fields later steps read as \`required\`.`,
  example: {
    bad: `
model_tasks:
  classify:
    instructions: Classify the request.
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: review-request
    next: review-request`)}${REVIEW_STEPS}
`,
    good: `
model_tasks:
  classify:
    instructions: Classify the request.
    output:
      type: object
      required: [category]
      properties:
        category: { type: string }
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: review-request
    next: review-request`)}${REVIEW_STEPS}
`,
  },
  check({ charter, report }) {
    const users = new Map<string, string[]>();
    for (const { id, step } of stepsOfKind(charter, ["ai"]))
      users.set(step.model_task, [...(users.get(step.model_task) ?? []), id]);
    for (const [id, task] of Object.entries(charter.model_tasks ?? {})) {
      if (task.output !== undefined) continue;
      const used = users.get(id);
      const by = used
        ? ` (used by ai step${used.length > 1 ? "s" : ""} ${used.map((s) => `"${s}"`).join(", ")})`
        : "";
      report({
        message: `model task "${id}"${by} has no output schema; add output: with a JSON Schema so that every proposal is validated before a rule or a person reads it`,
        path: ["model_tasks", id],
        atKey: true,
      });
    }
  },
};

const acceptance: Rule = {
  id: "ai-authority/acceptance",
  severity: "error",
  summary: "Every ai step has an explicit acceptance condition.",
  rationale: `An AI proposal goes on without a person only when an explicit rule says so. \`accept.when\` is that
rule: a JSONata condition over the proposal (\`output\`, \`confidence\`) and the run, written in the
charter, recorded with every run, and reviewed like any other policy. Proposals that do not meet it
go to the step's \`review\` route.`,
  example: {
    bad: `
start: classify
steps:${classifyStep(`    review: review-request
    next: review-request`)}${REVIEW_STEPS}
`,
    good: `
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9 and output.category != 'other'" }
    review: review-request
    next: review-request`)}${REVIEW_STEPS}
`,
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["ai"])) {
      if (step.accept !== undefined) continue;
      report({
        message: `ai step "${id}" has no acceptance condition; add accept: { when: "confidence >= 0.9" } (or a stricter rule) so that only proposals meeting an explicit rule go on without review`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

const review: Rule = {
  id: "ai-authority/review",
  severity: "error",
  summary: "Every ai step sends proposals it does not accept to a person.",
  rationale: `When a proposal does not meet its acceptance condition, a person looks at it. The \`review\` route of
an \`ai\` step must name an \`approval\` or a \`task\`: a step with an assignee, a due date and an
audit record of who decided. Routing rejected proposals to a decision, an action or the exception
queue would let them go on, or fail, with no one having read them.`,
  example: {
    bad: `
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: exception
    next: review-request`)}${REVIEW_STEPS}
`,
    good: `
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: review-request
    next: review-request`)}${REVIEW_STEPS}
`,
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["ai"])) {
      if (step.review === undefined) {
        report({
          message: `ai step "${id}" has no review route; add review: <approval or task step> so that a person sees the proposals that are not accepted`,
          path: ["steps", id],
          atKey: true,
        });
        continue;
      }
      const target = charter.steps[step.review];
      if (isHumanStep(target)) continue;
      let where: string;
      if (target) where = `"${step.review}", ${withArticle(target.kind)} step`;
      else if (step.review === EXCEPTION_TARGET) where = "the exception queue";
      else if (step.review === REJECT_TARGET || step.review === CONTINUE_TARGET) where = `"${step.review}"`;
      else continue; // an unknown step: defined reports it, with a suggestion
      report({
        message: `review route of ai step "${id}" goes to ${where}; route proposals that are not accepted to an approval or a task so that a person reviews them`,
        path: ["steps", id, "review"],
      });
    }
  },
};

const ungatedIrreversible: Rule = {
  id: "ai-authority/ungated-irreversible",
  severity: "error",
  summary: "No AI output reaches an irreversible action without a decision or a human step.",
  rationale: `An AI step's accepted output is still a proposal. Before it can cause something that cannot be undone
(a payment, a deletion, a message to a customer), a \`decision\` (explicit rules over the proposal)
or a human step (\`approval\`, \`task\`) must stand between them. The linter follows the ai step's
accepted route and every route after it (next steps, error routes, timeouts, parallel branches and
joins, child workflows, the \`expire\` route of a human step that nobody decided) and reports the
shortest path that reaches an \`irreversible: true\` action with no gate. A parallel's join counts as
gated when one of its branches has a gate on every path: the run passes the join only after that
decision. Route the output through a decision or an approval.`,
  example: {
    bad: `
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: review-request
    next: pay`)}${PAY_STEP}${REVIEW_STEPS}
`,
    good: `
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: review-request
    next: route`)}
  route:
    kind: decision
    owner: team:finance-controls
    policy: Refunds up to 100 are automatic
    rules:
      - when: "steps.classify.output.category = 'refund' and input.amount <= 100"
        goto: pay
    default: review-request${PAY_STEP}${REVIEW_STEPS}
`,
  },
  check({ charter, graph, report }) {
    for (const { ai, target, path } of ungatedFromAi(charter, graph)) {
      if (!isIrreversibleAction(charter.steps[target])) continue;
      report({
        message: `AI output of step "${ai}" reaches irreversible action "${target}" via ${path} with no decision or human step on the way; route it through a decision or an approval`,
        path: ["steps", ai],
        atKey: true,
      });
    }
  },
};

const ungatedSuccess: Rule = {
  id: "ai-authority/ungated-success",
  severity: "error",
  summary: "No AI output ends a run in success without a decision or a human step.",
  rationale: `A run that ends in a success outcome is done: the invoice counts as handled, the claim as settled.
That verdict is a decision, and AI output alone must not make it. The linter follows each ai step's
accepted route and every route after it, and reports an \`end\` whose outcome counts as success
(listed in \`success.outcomes\`, and not \`success: false\`) that it reaches with no \`decision\` or
human step on the way. Route the output through a decision that checks it, or an approval.`,
  example: {
    bad: `
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: review-request
    next: done`)}${REVIEW_STEPS}
`,
    good: `
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: review-request
    next: route`)}
  route:
    kind: decision
    owner: team:operations
    policy: Spam is closed without review
    rules:
      - when: "steps.classify.output.category = 'spam'"
        goto: done
    default: review-request${REVIEW_STEPS}
`,
  },
  check({ charter, graph, report }) {
    for (const { ai, target, path } of ungatedFromAi(charter, graph)) {
      const end = charter.steps[target];
      if (end?.kind !== "end") continue;
      report({
        message: `AI output of step "${ai}" reaches success outcome "${end.outcome}" (end "${target}") via ${path} with no decision or human step on the way; route it through a decision or an approval`,
        path: ["steps", ai],
        atKey: true,
      });
    }
  },
};

/** The example approval's decider lines, assigned to an AI. */
const AI_ASSIGNEE = `    assignee: ai:gpt-4o
    not_by: [initiator]
    require_reason: true`;

/** A quoted `ai:` actor inside an expression: the expression can evaluate to an AI. */
const AI_LITERAL = /(["'])(ai:[^"']*)\1/;

function aiIn(value: string | undefined): { actor: string; computed: boolean } | undefined {
  if (value === undefined) return undefined;
  if (isActorLiteral(value)) return value.startsWith("ai:") ? { actor: value, computed: false } : undefined;
  const match = AI_LITERAL.exec(value);
  return match ? { actor: match[2]!, computed: true } : undefined;
}

const aiActor: Rule = {
  id: "ai-authority/ai-actor",
  severity: "error",
  summary: "An AI is never an owner, an assignee, an escalation target or a role member.",
  rationale: `\`ai:<model>\` is how the audit trail names what a model did, so it parses as an actor. But an AI is
never accountable and never decides: it cannot own a charter or a step, be assigned an approval or
task, receive an escalation, or hold a role (which would let it act on a human step). Name a team,
a role or a user instead. An assignee expression that can evaluate to an \`ai:\` actor is refused
too.`,
  example: {
    bad: `
start: review-request
steps:${approvalStep("review-request", { deciders: AI_ASSIGNEE })}${APPROVAL_ENDS}
`,
    good: `
start: review-request
steps:${REVIEW_STEPS}
`,
  },
  check({ charter, options, report }) {
    for (const { field, value, path, step } of actorFields(charter)) {
      // not_by excludes actors: naming an AI there gives it nothing.
      const found = field === "not_by" ? undefined : aiIn(value);
      if (!found) continue;
      if (field !== "owner") {
        const is = found.computed ? `can evaluate to "${found.actor}"` : `is "${found.actor}"`;
        report({
          message: `${field} of ${step!.kind} "${step!.id}" ${is}, an AI; AI output is a proposal, never a decision: name a role or a user`,
          path,
        });
      } else if (!found.computed) {
        const whose = step ? `owner of step "${step.id}" is` : "the charter's owner is";
        report({
          message: `${whose} "${found.actor}", an AI; an AI is never accountable: make a team, a role or a user the owner`,
          path,
        });
      }
    }
    checkDirectoryMembers(charter, options, report);
  },
};

/** No role of the directory has an AI member. */
function checkDirectoryMembers(
  charter: Charter,
  options: RuleContext["options"],
  report: RuleContext["report"],
): void {
  for (const [role, members] of Object.entries(options.directory?.roles ?? {})) {
    const ai = members.find((member) => member.startsWith("ai:"));
    if (ai === undefined) continue;
    report({
      message: `role "${role}" has member "${ai}" in the directory, an AI; an AI cannot hold a role, since role holders decide human steps: remove it`,
      path: charter.roles?.[role]
        ? ["roles", role]
        : charter.directory !== undefined
          ? ["directory"]
          : ["roles"],
      atKey: charter.roles?.[role] !== undefined,
    });
  }
}

export const aiAuthorityRules: readonly Rule[] = [
  outputSchema,
  acceptance,
  review,
  ungatedIrreversible,
  ungatedSuccess,
  aiActor,
];
