/**
 * defined/routes: every step has exactly the routes its kind needs, and parallel branches are well
 * formed (each step in one branch, entered only through its parallel, no end inside).
 */
import type { ValuePath } from "../../../diagnostic.js";
import { INPUT_NODE } from "../../../graph.js";
import { WORKFLOW_STEP_ERRORS } from "../../../schema.js";
import type { Step, StepOf } from "../../../schema.js";
import { didYouMean } from "../../../suggest.js";
import type { Rule, RuleContext } from "../../rule.js";
import { stepsOfKind } from "../../../steps.js";
import { DONE_STEP } from "../examples.js";
import { fieldOf } from "../wording.js";

/** A parallel running two checks, with lines added to the end of the first check. */
const gatherChecks = (creditCheckEnd: string) => `start: gather
steps:
  gather:
    kind: parallel
    owner: team:operations
    branches:
      - [check-credit]
      - [check-stock]
    next: done
  check-credit:
    kind: action
    owner: team:operations
    handler: credit.check
    timeout: 30s
    on_error: { default: exception }${creditCheckEnd}
  check-stock:
    kind: action
    owner: team:operations
    handler: stock.check
    timeout: 30s
    on_error: { default: exception }${DONE_STEP}
`;

export const routes: Rule = {
  id: "defined/routes",
  severity: "error",
  summary: "Every step has exactly the routes its kind needs, and parallel branches are well formed.",
  rationale: `Each kind of step continues in its own way: an action, an ai step and a wait continue with \`next\`;
a task with \`next\` or by \`outcomes\` (one of the two); an approval by \`outcomes\`, which must route
both \`approved\` and \`rejected\`; a workflow step by \`outcomes\` of its child, \`next\` for its
child's success, or both, and its \`on_error\` routes only the codes it fails with (\`CHILD_FAILED\`,
\`TIMEOUT\`, \`WORKFLOW_NOT_FOUND\`). A wait waits on either an \`event\` (with a \`correlation\` expression that
picks this run's event) or an \`until\` time; a parallel runs
either \`branches\` (fixed lists of steps) or \`for_each\` with a \`branch\` list (\`as\` and
\`concurrency\` belong to \`for_each\`), then continues with its \`next\` after the join. Steps of a
branch have no \`next\` of their own (the list gives the order), belong to one branch only, are
entered only through their parallel, and cannot be \`end\` steps: a run ends after the join.`,
  example: {
    bad: gatherChecks("\n    next: done"),
    good: gatherChecks(""),
  },
  check(context) {
    for (const [id, step] of Object.entries(context.charter.steps)) checkStepRoutes(id, step, context);
    checkBranchLists(context);
    checkBranchEntries(context);
  },
};

function checkStepRoutes(id: string, step: Step, { graph, report }: RuleContext): void {
  const membership = graph.branches.get(id);
  if (membership && "next" in step && step.next !== undefined)
    report({
      message: `Step "${id}" is in branch ${membership.branch + 1} of parallel "${membership.parallel}" and has its own next: remove it. The branch list gives the order, and "${membership.parallel}"'s next follows the join.`,
      path: ["steps", id, "next"],
    });
  // In a branch, completing a step continues the branch: no next is needed.
  else if (!membership) checkWayForward(id, step, report);
  if (step.kind === "wait") checkWaitOn(id, step, report);
  if (step.kind === "approval") checkApprovalOutcomes(id, step, report);
  if (step.kind === "parallel") checkParallelShape(id, step, report);
  if (step.kind === "workflow") checkChildErrorCodes(id, step, report);
}

const CHILD_ERROR_CODES = Object.keys(WORKFLOW_STEP_ERRORS);

/** A workflow step fails only with the child error codes: any other code in on_error never matches. */
function checkChildErrorCodes(id: string, step: StepOf<"workflow">, report: RuleContext["report"]): void {
  for (const code of Object.keys(step.on_error ?? {})) {
    if (code === "default" || CHILD_ERROR_CODES.includes(code)) continue;
    report({
      message: `Workflow step "${id}" routes error code "${code}" in on_error, but a workflow step fails only with ${CHILD_ERROR_CODES.join(", ")}.${didYouMean(code, CHILD_ERROR_CODES) || " Route one of those, or default."}`,
      path: ["steps", id, "on_error", code],
      atKey: true,
    });
  }
}

/** What `next` means, per kind of step that continues with it. */
const NEXT_MEANING = {
  action: "the step a run goes to when the action succeeds",
  ai: "where accepted output goes",
  wait: "the step a run goes to when the wait is over",
  parallel: "the step that follows when all branches have joined",
} as const;

/** Outside a branch, a step continues with `next` (or, for a task, by `outcomes`). */
function checkWayForward(id: string, step: Step, report: RuleContext["report"]): void {
  const at = { path: ["steps", id], atKey: true };
  if (step.kind === "action" || step.kind === "ai" || step.kind === "wait" || step.kind === "parallel") {
    if (step.next === undefined)
      report({
        message: `Step "${id}" (${step.kind}) has no next: add next: <step id>, ${NEXT_MEANING[step.kind]}.`,
        ...at,
      });
  } else if (step.kind === "workflow") {
    if (step.next === undefined && Object.keys(step.outcomes ?? {}).length === 0)
      report({
        message: `Workflow step "${id}" has no route forward: add next: <step id>, where the run goes when "${step.workflow}" succeeds, or outcomes: { <child outcome>: <step id> }.`,
        ...at,
      });
  } else if (step.kind === "task") {
    if (step.next !== undefined && step.outcomes !== undefined)
      report({
        message: `Task "${id}" has both next and outcomes: keep outcomes to route by what the person chose, or next to always go on the same way.`,
        path: ["steps", id, "next"],
        atKey: true,
      });
    else if (step.next === undefined && step.outcomes === undefined)
      report({
        message: `Task "${id}" has no route forward: add next: <step id>, or outcomes: { <outcome>: <step id> }.`,
        ...at,
      });
  }
}

function checkWaitOn(id: string, step: StepOf<"wait">, report: RuleContext["report"]): void {
  if (step.event !== undefined && step.until !== undefined)
    report({
      message: `Wait "${id}" has both event and until: wait for an event (event: <name> with correlation: <expression>) or until a time (until:), not both.`,
      path: ["steps", id, "until"],
      atKey: true,
    });
  else if (step.event === undefined && step.until === undefined)
    report({
      message: `Wait "${id}" waits for nothing: add event: <name> with correlation: <expression>, or until: <time expression>.`,
      path: ["steps", id],
      atKey: true,
    });
  else if (step.event !== undefined && step.correlation === undefined)
    report({
      message: `Wait "${id}" waits for event "${step.event}" with no correlation, so any run's event would resume it: add correlation: <expression> giving this run's key (e.g. input.requestId).`,
      path: ["steps", id, "event"],
      atKey: true,
    });
  if (step.event === undefined && step.until !== undefined && step.correlation !== undefined)
    report({
      message: `Wait "${id}" has correlation but waits until a time: correlation only picks an event; remove it, or wait for event: <name> instead of until.`,
      path: ["steps", id, "correlation"],
      atKey: true,
    });
}

function checkApprovalOutcomes(id: string, step: StepOf<"approval">, report: RuleContext["report"]): void {
  const missing = ["approved", "rejected"].filter((outcome) => !Object.hasOwn(step.outcomes, outcome));
  if (missing.length === 0) return;
  report({
    message: `Approval "${id}" does not route ${missing.map((m) => `"${m}"`).join(" or ")}: add ${missing.map((m) => `${m}: <step id>`).join(" and ")} to outcomes (an approval must say where both approved and rejected go).`,
    path: ["steps", id, "outcomes"],
    atKey: true,
  });
}

function checkParallelShape(id: string, step: StepOf<"parallel">, report: RuleContext["report"]): void {
  const at = (field: string): ValuePath => ["steps", id, field];
  const hasForEach = step.for_each !== undefined;
  if (step.branches !== undefined && (hasForEach || step.branch !== undefined)) {
    report({
      message: `Parallel "${id}" has both branches and ${hasForEach ? "for_each" : "branch"}: use branches for a fixed set of branches, or for_each with branch to run one branch per item.`,
      path: at(hasForEach ? "for_each" : "branch"),
      atKey: true,
    });
    return;
  }
  if (step.branches === undefined && !hasForEach && step.branch === undefined) {
    report({
      message: `Parallel "${id}" runs nothing: add branches: [[<step id>, ...], ...], or for_each: <expression> with branch: [<step id>, ...].`,
      path: ["steps", id],
      atKey: true,
    });
    return;
  }
  if (hasForEach && step.branch === undefined)
    report({
      message: `Parallel "${id}" has for_each but no branch: add branch: [<step id>, ...], the steps to run for each item.`,
      path: at("for_each"),
      atKey: true,
    });
  for (const field of ["branch", "as", "concurrency"] as const) {
    if (hasForEach || step[field] === undefined) continue;
    report({
      message: `Parallel "${id}" has ${field} but no for_each: ${field === "branch" ? "add for_each: <expression> to run the branch once per item, or use branches: [[...]]" : `${field} only applies to for_each; add for_each or remove ${field}`}.`,
      path: at(field),
      atKey: true,
    });
  }
}

/** Each step sits in one branch, a parallel does not list itself, and no branch holds an end. */
function checkBranchLists({ charter, report }: RuleContext): void {
  const seen = new Map<string, string>();
  for (const { id, step } of stepsOfKind(charter, ["parallel"])) {
    for (const { entry, path } of branchEntries(id, step)) {
      const where = `${fieldOf(path).replace(/\[\d+\]$/, "")} of parallel "${id}"`;
      const first = seen.get(entry);
      if (first !== undefined) {
        report({
          message: `Step "${entry}" is listed in ${where} but is already in ${first}: a step belongs to one branch. Give each branch its own step.`,
          path,
        });
        continue;
      }
      seen.set(entry, where);
      if (entry === id)
        report({
          message: `Parallel "${id}" lists itself in ${fieldOf(path)}: a branch cannot contain its own parallel.`,
          path,
        });
      else if (charter.steps[entry]?.kind === "end")
        report({
          message: `Parallel "${id}" lists end step "${entry}" in ${fieldOf(path)}: a branch cannot end the run. Put the end after the join, as "${id}"'s next.`,
          path,
        });
    }
  }
}

/** A branch step is entered only through its parallel (or from within its branch). */
function checkBranchEntries({ charter, graph, report }: RuleContext): void {
  const inside = (from: string, parallel: string, branch: number): boolean => {
    // Walk up nested branches; bounded, since a parallel listing itself would loop.
    let membership = graph.branches.get(from);
    for (let depth = 0; membership && depth < 64; depth++) {
      if (membership.parallel === parallel && membership.branch === branch) return true;
      membership = graph.branches.get(membership.parallel);
    }
    return false;
  };
  const startIn = graph.branches.get(charter.start);
  if (startIn)
    report({
      message: `start is "${charter.start}", a step inside branch ${startIn.branch + 1} of parallel "${startIn.parallel}": a run cannot begin inside a branch. Start at "${startIn.parallel}" or before it.`,
      path: ["start"],
    });
  for (const edge of graph.edges) {
    const target = graph.branches.get(edge.to);
    // Branch starts are branch lists, checked above; implicit edges continue inside their branch.
    if (!target || edge.path === undefined || edge.kind === "branch") continue;
    // A branch step's own next is already reported as such: one mistake, one report.
    if (edge.path[2] === "next" && graph.branches.has(edge.from)) continue;
    if (inside(edge.from, target.parallel, target.branch)) continue;
    const subject = edge.from === INPUT_NODE ? "Input validation" : `Step "${edge.from}"`;
    report({
      message: `${subject} goes to "${edge.to}" in ${fieldOf(edge.path)}, but "${edge.to}" is inside branch ${target.branch + 1} of parallel "${target.parallel}" and can only be entered through it: route to "${target.parallel}" instead.`,
      path: edge.path,
    });
  }
}

/** Each entry of each branch list of a parallel, with its path: `branches[i][j]` or `branch[j]`. */
export function branchEntries(id: string, step: StepOf<"parallel">): { entry: string; path: ValuePath }[] {
  const entries: { entry: string; path: ValuePath }[] = [];
  step.branches?.forEach((list, i) =>
    list.forEach((entry, j) => entries.push({ entry, path: ["steps", id, "branches", i, j] })),
  );
  step.branch?.forEach((entry, j) => entries.push({ entry, path: ["steps", id, "branch", j] }));
  return entries;
}
