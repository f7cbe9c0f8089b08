/**
 * oversight: people are in control where it matters. Human steps have assignees, separation of
 * duties names real actors, and no irreversible action runs unless a rule or a person let it. What
 * counts as a gate (a decision or a human step, not its expiry) is defined once, in gates.ts.
 */
import type { CharterGraph } from "../../graph.js";
import { findUngatedPaths, isGate, isIrreversibleAction } from "../../gates.js";
import type { Charter } from "../../schema.js";
import { closest } from "../../suggest.js";
import type { Rule } from "../rule.js";
import { stepsOfKind } from "../../steps.js";
import { HUMAN_KINDS } from "./charter-parts.js";
import { APPROVAL_ENDS, approvalStep, PAY_STEP } from "./examples.js";
import { formatStepPath, withArticle } from "./wording.js";

// The example approval's decider lines, each less the field its rule asks for.
const WITHOUT_ASSIGNEE = `    not_by: [initiator]
    require_reason: true`;
const WITHOUT_NOT_BY = `    assignee: role:reviewer
    require_reason: true`;
const WITHOUT_REASON = `    assignee: role:reviewer
    not_by: [initiator]`;

/** A review task, then an approval that excludes `notBy`. */
function reviewThenApprove(notBy: string): string {
  const deciders = `    assignee: role:reviewer
    not_by: ${notBy}
    require_reason: true`;
  return `
start: review
steps:
  review:
    kind: task
    owner: team:operations
    assignee: role:reviewer
    due: 1d
    expire: { after: 3d, goto: stalled }
    next: approve${approvalStep("approve", { deciders })}${APPROVAL_ENDS}
`;
}

/** For each step that can reach an irreversible action (by any route), the nearest such action. */
function irreversibleAhead(charter: Charter, graph: CharterGraph): Map<string, string> {
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = incoming.get(edge.to) ?? [];
    list.push(edge.from);
    incoming.set(edge.to, list);
  }
  const ahead = new Map<string, string>();
  const queue: string[] = [];
  for (const [id, step] of Object.entries(charter.steps)) {
    if (!isIrreversibleAction(step)) continue;
    ahead.set(id, id);
    queue.push(id);
  }
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const from of incoming.get(id) ?? []) {
      if (ahead.has(from)) continue;
      ahead.set(from, ahead.get(id)!);
      queue.push(from);
    }
  }
  return ahead;
}

const approvalAssignee: Rule = {
  id: "oversight/approval-assignee",
  severity: "error",
  summary: "Every approval and task says who may act on it.",
  rationale: `An approval nobody is assigned to sits in no one's inbox: the run waits until it expires, and
the audit trail cannot say who was supposed to decide. Give every \`approval\` and \`task\` an
\`assignee\`: a role (\`role:finance-manager\`), a user (\`user:ana\`), or a JSONata expression that
computes one from the run (\`input.region = 'EU' ? 'role:eu-ap' : 'role:us-ap'\`). An AI is never an
assignee (see \`ai-authority/ai-actor\`).`,
  example: {
    bad: `
roles:
  reviewer: { description: Reviews requests, members: [user:rita] }
start: approve
steps:${approvalStep("approve", { deciders: WITHOUT_ASSIGNEE })}${APPROVAL_ENDS}
`,
    good: `
roles:
  reviewer: { description: Reviews requests, members: [user:rita] }
start: approve
steps:${approvalStep("approve")}${APPROVAL_ENDS}
`,
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, HUMAN_KINDS)) {
      // A team owns work but is not a person who can decide: assign one of its roles or a user.
      for (const [field, actor] of [
        ["assignee", step.assignee],
        ["escalate", step.escalate?.to],
      ] as const) {
        if (!actor?.startsWith("team:")) continue;
        report({
          message: `${step.kind} "${id}" is assigned to the team "${actor}"; a team owns steps but cannot decide one: assign a role:<id> or a user:<id>`,
          path: field === "assignee" ? ["steps", id, "assignee"] : ["steps", id, "escalate", "to"],
        });
      }
      if (step.assignee !== undefined) continue;
      report({
        message: `${step.kind} "${id}" has no assignee; add assignee: role:<id>, user:<id> or an expression so that a person receives it`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

const ungatedIrreversible: Rule = {
  id: "oversight/ungated-irreversible",
  severity: "error",
  summary: "An irreversible action runs only after a decision or a human step.",
  rationale: `An action marked \`irreversible: true\` (a payment, a deletion, an email to a customer) cannot be
taken back. A run must not be able to reach one straight from its start, or from the invalid-input
route, without a \`decision\` (explicit rules, recorded with the policy they implement) or a human step
(\`approval\` or \`task\`) on the way. The linter follows every route (next steps, error routes,
timeouts, parallel branches and joins, child-workflow outcomes) and names the shortest ungated path.
An approval's or task's \`expire\` route counts as ungated: nobody decided, however the run reached
it. A parallel's join counts as gated when one of its branches has a gate on every path, since the
run passes the join only after that branch's decision. Put a decision or an approval on the path.`,
  example: {
    bad: `
start: pay
steps:${PAY_STEP}
  done: { kind: end, outcome: done }
`,
    good: `
start: route
steps:
  route:
    kind: decision
    owner: team:finance-controls
    policy: Payments up to 100 are automatic
    rules:
      - when: "input.amount <= 100"
        goto: pay
    default: refused${PAY_STEP}
  done: { kind: end, outcome: done }
  refused: { kind: end, outcome: refused, success: false }
`,
  },
  check({ charter, graph, report }) {
    // A run also moves on ungated when an approval or task expires, however it got there.
    const expiring = graph.edges.filter((edge) => edge.kind === "expire").map((edge) => edge.from);
    const { paths } = findUngatedPaths(charter, graph, [...graph.entries, ...expiring], (_, step) =>
      isIrreversibleAction(step),
    );
    for (const { target, path } of paths) {
      const fromStart = path[0] === charter.start;
      const fromExpiry = !graph.entries.includes(path[0]!);
      const from = fromExpiry
        ? `when "${path[0]}" expires`
        : fromStart
          ? "from the start"
          : "from the invalid-input route (input.on_invalid)";
      const how =
        path.length > 1
          ? `is reached ${from} via ${formatStepPath(path, path.length, target)} with no decision or human step on the way`
          : `is ${fromStart ? "the start step" : "where input.on_invalid goes"}, so it runs with no decision or human step before it`;
      report({
        message: `irreversible action "${target}" ${how}; put a decision or an approval before it`,
        path: ["steps", target, "irreversible"],
        atKey: true,
      });
    }
  },
};

const ACTOR_PREFIXES = ["user:", "role:"];

const notBy: Rule = {
  id: "oversight/not-by",
  severity: "error",
  summary: "`not_by` names only actors that exist.",
  rationale: `\`not_by\` is separation of duties: the actors listed may not decide this step. The engine enforces it,
so an entry that names nothing would silently exclude nobody. Each entry must be \`initiator\` (who
started the run), the id of a decision or human step (whoever decided that step), \`user:<id>\`, or
\`role:<id>\` for a role declared under \`roles\`. Steps that no one decides (actions, AI steps, waits)
have no one to exclude.`,
  example: {
    bad: reviewThenApprove("[initiator, reveiw, role:auditor]"),
    good: reviewThenApprove("[initiator, review, user:rita]"),
  },
  check({ charter, options, report }) {
    const roles = new Set([
      ...Object.keys(charter.roles ?? {}),
      ...Object.keys(options.directory?.roles ?? {}),
    ]);
    const deciders = Object.entries(charter.steps)
      .filter(([, step]) => isGate(step))
      .map(([id]) => id);
    for (const { id, step } of stepsOfKind(charter, HUMAN_KINDS)) {
      (step.not_by ?? []).forEach((entry, i) => {
        const problem = notByProblem(entry, charter, roles, deciders);
        if (problem)
          report({ message: `not_by of ${step.kind} "${id}" ${problem}`, path: ["steps", id, "not_by", i] });
      });
    }
  },
};

function notByProblem(
  entry: string,
  charter: Charter,
  roles: ReadonlySet<string>,
  deciders: readonly string[],
): string | undefined {
  if (entry === "initiator") return undefined;
  if (entry.startsWith("user:"))
    return /^user:[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(entry) ? undefined : invalidUser(entry);
  if (entry.startsWith("role:")) {
    const role = entry.slice("role:".length);
    if (roles.has(role)) return undefined;
    const match = closest(role, roles);
    return `names role "${role}", which is not declared under roles; declare it or fix the name${
      match === undefined ? "" : `. Did you mean "role:${match}"?`
    }`;
  }
  const step = charter.steps[entry];
  if (step) {
    if (isGate(step)) return undefined;
    return `names step "${entry}", ${withArticle(step.kind)} step that no one decides; name a decision or human step, "initiator", a user or a role`;
  }
  const prefix = /^([a-z]+):/.exec(entry)?.[1];
  if (prefix !== undefined && !ACTOR_PREFIXES.includes(`${prefix}:`)) {
    return `names "${entry}"; only "initiator", a decision or human step id, "user:<id>" or "role:<id>" can be excluded`;
  }
  const match = closest(entry, ["initiator", ...deciders]);
  return `names "${entry}", which is not "initiator", a decision or human step, a user or a role; fix or remove it${
    match === undefined ? "" : `. Did you mean "${match}"?`
  }`;
}

function invalidUser(entry: string): string {
  return `names "${entry}", which is not a valid user; write "user:<id>"`;
}

const separationOfDuties: Rule = {
  id: "oversight/separation-of-duties",
  severity: "warning",
  summary: "An approval that leads to an irreversible action excludes the run's initiator.",
  rationale: `Whoever asked for a payment should not be the one who approves it. When an approval's outcome can
lead to an irreversible action, list \`initiator\` in its \`not_by\`, so that the engine refuses a
decision by the person who started the run (and records the refusal). This is a warning, not an
error: some processes are started by a system account, where excluding the initiator changes nothing.`,
  example: {
    bad: `
start: approve
steps:${approvalStep("approve", { deciders: WITHOUT_NOT_BY, approved: "pay" })}${PAY_STEP}${APPROVAL_ENDS}
`,
    good: `
start: approve
steps:${approvalStep("approve", { approved: "pay" })}${PAY_STEP}${APPROVAL_ENDS}
`,
  },
  check({ charter, graph, report }) {
    const approvals = stepsOfKind(charter, ["approval"]);
    if (approvals.length === 0) return;
    const ahead = irreversibleAhead(charter, graph);
    for (const { id, step } of approvals) {
      if (step.not_by?.includes("initiator")) continue;
      const action = (graph.outgoing.get(id) ?? [])
        .filter((edge) => edge.kind === "outcome")
        .map((edge) => ahead.get(edge.to))
        .find((found) => found !== undefined);
      if (action === undefined) continue;
      report({
        message: `approval "${id}" leads to irreversible action "${action}" but does not exclude the run's initiator; add "initiator" to not_by so that nobody approves their own request`,
        path: step.not_by ? ["steps", id, "not_by"] : ["steps", id],
        atKey: true,
      });
    }
  },
};

const reason: Rule = {
  id: "oversight/reason",
  severity: "warning",
  summary: "An approval that can reject asks for the reason.",
  rationale: `A rejection without a reason leaves the requester nothing to fix, and leaves the audit trail
unable to answer *why*. Set \`require_reason: true\` on approvals that have a \`rejected\` outcome, and
the inbox will not accept a decision without one. If a reason is truly not wanted, say so with
\`require_reason: false\`: the warning is for approvals that never considered it.`,
  example: {
    bad: `
start: approve
steps:${approvalStep("approve", { deciders: WITHOUT_REASON })}${APPROVAL_ENDS}
`,
    good: `
start: approve
steps:${approvalStep("approve")}${APPROVAL_ENDS}
`,
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["approval"])) {
      if (step.require_reason !== undefined) continue;
      if (!Object.hasOwn(step.outcomes, "rejected")) continue;
      report({
        message: `approval "${id}" can reject without a reason; set require_reason: true so that a rejection tells the requester and the audit trail why (or require_reason: false if none is wanted)`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

export const oversightRules: readonly Rule[] = [
  approvalAssignee,
  ungatedIrreversible,
  notBy,
  separationOfDuties,
  reason,
];
