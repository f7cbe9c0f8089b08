/**
 * ai-authority: AI proposes, rules and people decide. An `ai` step's output is a proposal with a
 * schema and a confidence; an explicit acceptance condition lets it go on, a person reviews the rest,
 * and nothing irreversible or final happens on AI output alone.
 */
import type { CharterGraph } from "../../graph.js";
import { isActorLiteral } from "../../expressions.js";
import { CONTINUE_TARGET, EXCEPTION_TARGET, HUMAN_STEP_KINDS, REJECT_TARGET } from "../../schema.js";
import type { Charter, Step } from "../../schema.js";
import type { Rule } from "../rule.js";
import {
  formatStepPath,
  isGatedEdge,
  isIrreversibleAction,
  PATH_HEAD_NEEDED,
  withArticle,
} from "./oversight.js";

/** An end whose outcome counts as success: listed in `success.outcomes` (or `success: true`). */
export function isSuccessEnd(charter: Charter, step: Step | undefined): boolean {
  if (step?.kind !== "end" || step.success === false) return false;
  return step.success === true || (charter.success?.outcomes ?? []).includes(step.outcome);
}

function aiSteps(charter: Charter) {
  return Object.entries(charter.steps).flatMap(([id, step]) => (step.kind === "ai" ? [{ id, step }] : []));
}

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
 *
 * Rather than a search per ai step (quadratic in a long chain of ai steps), this runs one backward
 * search per target over the ungated routes: every step that can reach the target, with its next
 * step on a shortest path. Each ai step then looks up its accepted successors. Time is
 * O(targets x routes) plus O(1) per finding (a message shows at most a path's first steps). One
 * consequence, on purpose: a path that loops back into the ai step may leave it again by any of
 * its routes, error routes included, as a later step's would.
 */
function ungatedFromAi(charter: Charter, graph: CharterGraph): readonly AiReach[] {
  const cached = reachCache.get(graph);
  if (cached) return cached;
  const reaches: AiReach[] = [];
  reachCache.set(graph, reaches);

  const accepted = new Map<string, string[]>();
  for (const { id } of aiSteps(charter)) {
    const next = (graph.outgoing.get(id) ?? []).filter((e) => e.kind === "accepted").map((e) => e.to);
    if (next.length > 0) accepted.set(id, next);
  }
  const isTarget = (step: Step | undefined) => isIrreversibleAction(step) || isSuccessEnd(charter, step);
  const targets = Object.keys(charter.steps).filter((id) => isTarget(charter.steps[id]));
  if (accepted.size === 0 || targets.length === 0) return reaches;

  // Routes a run takes with no one deciding; none leaves a target, since a search stops there.
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const from = charter.steps[edge.from];
    if (!from || isTarget(from) || isGatedEdge(from, edge) || edge.to === EXCEPTION_TARGET) continue;
    const list = incoming.get(edge.to) ?? [];
    list.push(edge.from);
    incoming.set(edge.to, list);
  }

  for (const target of targets) {
    // toward.get(x): the step after x on a shortest ungated path from x to the target.
    const toward = new Map<string, string | null>([[target, null]]);
    const distance = new Map<string, number>([[target, 0]]);
    const queue = [target];
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head]!;
      for (const from of incoming.get(id) ?? []) {
        if (toward.has(from)) continue;
        toward.set(from, id);
        distance.set(from, distance.get(id)! + 1);
        queue.push(from);
      }
    }
    for (const [ai, successors] of accepted) {
      let best: string | undefined;
      for (const next of successors) {
        if (distance.has(next) && (best === undefined || distance.get(next)! < distance.get(best)!))
          best = next;
      }
      if (best === undefined) continue;
      const head = [ai];
      let step: string | null | undefined = best;
      while (step && step !== target && head.length < PATH_HEAD_NEEDED) {
        head.push(step);
        step = toward.get(step);
      }
      reaches.push({ ai, target, path: formatStepPath(head, distance.get(best)! + 2, target) });
    }
  }
  return reaches;
}

/** Shared steps of the examples: a review approval and the ends it leads to. */
const REVIEW_STEPS = `
  review-request:
    kind: approval
    owner: team:operations
    assignee: role:reviewer
    not_by: [initiator]
    require_reason: true
    due: 1d
    expire: { after: 3d, goto: stalled }
    outcomes: { approved: done, rejected: refused }
  done: { kind: end, outcome: done }
  refused: { kind: end, outcome: refused }
  stalled: { kind: end, outcome: stalled, success: false }
success:
  outcomes: [done, refused]`;

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
    for (const { id, step } of aiSteps(charter))
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
    for (const { id, step } of aiSteps(charter)) {
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
    for (const { id, step } of aiSteps(charter)) {
      if (step.review === undefined) {
        report({
          message: `ai step "${id}" has no review route; add review: <approval or task step> so that a person sees the proposals that are not accepted`,
          path: ["steps", id],
          atKey: true,
        });
        continue;
      }
      const target = charter.steps[step.review];
      if (target && HUMAN_STEP_KINDS.includes(target.kind)) continue;
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
shortest path that reaches an \`irreversible: true\` action with no gate. Route the output through a
decision or an approval.`,
  example: {
    bad: `
start: classify
steps:${classifyStep(`    accept: { when: "confidence >= 0.9" }
    review: review-request
    next: pay`)}
  pay:
    kind: action
    owner: team:treasury
    handler: bank.pay
    irreversible: true
    idempotency: input.requestId
    timeout: 1m
    on_error: { default: exception }
    next: done${REVIEW_STEPS}
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
    default: review-request
  pay:
    kind: action
    owner: team:treasury
    handler: bank.pay
    irreversible: true
    idempotency: input.requestId
    timeout: 1m
    on_error: { default: exception }
    next: done${REVIEW_STEPS}
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
steps:
  review-request:
    kind: approval
    owner: team:operations
    assignee: ai:gpt-4o
    not_by: [initiator]
    require_reason: true
    due: 1d
    expire: { after: 3d, goto: stalled }
    outcomes: { approved: done, rejected: refused }
  done: { kind: end, outcome: done }
  refused: { kind: end, outcome: refused }
  stalled: { kind: end, outcome: stalled, success: false }
success:
  outcomes: [done, refused]
`,
    good: `
start: review-request
steps:${REVIEW_STEPS}
`,
  },
  check({ charter, options, report }) {
    const owner = aiIn(charter.owner);
    if (owner && !owner.computed)
      report({
        message: `the charter's owner is "${owner.actor}", an AI; an AI is never accountable: make a team, a role or a user the owner`,
        path: ["owner"],
      });
    for (const [id, step] of Object.entries(charter.steps)) {
      if (step.kind === "end") continue;
      const stepOwner = aiIn(step.owner);
      if (stepOwner && !stepOwner.computed)
        report({
          message: `owner of step "${id}" is "${stepOwner.actor}", an AI; an AI is never accountable: make a team, a role or a user the owner`,
          path: ["steps", id, "owner"],
        });
      if (step.kind !== "approval" && step.kind !== "task") continue;
      const fields = [
        { name: "assignee", value: step.assignee, path: ["steps", id, "assignee"] },
        { name: "escalate.to", value: step.escalate?.to, path: ["steps", id, "escalate", "to"] },
      ];
      for (const field of fields) {
        const found = aiIn(field.value);
        if (!found) continue;
        const is = found.computed ? `can evaluate to "${found.actor}"` : `is "${found.actor}"`;
        report({
          message: `${field.name} of ${step.kind} "${id}" ${is}, an AI; AI output is a proposal, never a decision: name a role or a user`,
          path: field.path,
        });
      }
    }
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
  },
};

export const aiAuthorityRules: readonly Rule[] = [
  outputSchema,
  acceptance,
  review,
  ungatedIrreversible,
  ungatedSuccess,
  aiActor,
];
