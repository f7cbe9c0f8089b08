/**
 * The step graph of a charter: every route from one step to another, with the field it comes from.
 * Lint (reachability, AI-authority paths) and docs (the diagram) read the same edges, so what the
 * diagram shows is what the linter checked.
 */
import type { ValuePath } from "./diagnostic.js";
import { CONTINUE_TARGET, EXCEPTION_TARGET, REJECT_TARGET } from "./schema.js";
import type { Charter, Step } from "./schema.js";

export const EDGE_KINDS = {
  next: "normal completion",
  accepted: "AI output accepted by its acceptance condition",
  review: "AI output sent to a person for review",
  rule: "a decision rule matched",
  default: "no decision rule matched",
  outcome: "a human or child-workflow outcome",
  branch: "a parallel branch starts",
  join: "all branches joined",
  error: "an error routed by on_error",
  expire: "a human step expired",
  timeout: "a wait timed out",
  invalid: "the run's input was invalid",
} as const;
export type EdgeKind = keyof typeof EDGE_KINDS;

/** Edges that are exception routes: drawn differently, and listed in the exception catalogue. */
export const EXCEPTION_EDGE_KINDS: ReadonlySet<EdgeKind> = new Set(["error", "expire", "timeout", "invalid"]);

export interface Edge {
  /** A step id, or {@link INPUT_NODE} for the input-validation entry. */
  readonly from: string;
  /** A step id, or {@link EXCEPTION_TARGET}; may name an unknown step (the linter reports it). */
  readonly to: string;
  readonly kind: EdgeKind;
  /** The error code, rule name, outcome or branch number the edge is taken for. */
  readonly label?: string;
  /** Where the target is written; undefined for implicit edges (the next step in a branch). */
  readonly path?: ValuePath;
}

/** Pseudo-node for the route a run takes when its input is invalid. */
export const INPUT_NODE = "$input";

export interface BranchMembership {
  readonly parallel: string;
  readonly branch: number;
  readonly position: number;
  readonly list: readonly string[];
}

export interface CharterGraph {
  readonly stepIds: readonly string[];
  readonly edges: readonly Edge[];
  readonly outgoing: ReadonlyMap<string, readonly Edge[]>;
  /** Steps that sit in a parallel's branch list (and so have no `next` of their own). */
  readonly branches: ReadonlyMap<string, BranchMembership>;
  /** Steps a run can begin at: `start`, and the `on_invalid` route. */
  readonly entries: readonly string[];
}

export function buildGraph(charter: Charter): CharterGraph {
  const stepIds = Object.keys(charter.steps);
  const branches = collectBranches(charter);
  const edges: Edge[] = [];
  for (const id of stepIds) edges.push(...stepEdges(id, charter.steps[id]!, charter, branches));
  const onInvalid = charter.input?.on_invalid;
  if (onInvalid !== undefined && onInvalid !== REJECT_TARGET) {
    edges.push({ from: INPUT_NODE, to: onInvalid, kind: "invalid", path: ["input", "on_invalid"] });
  }
  const outgoing = new Map<string, Edge[]>();
  for (const edge of edges) {
    const list = outgoing.get(edge.from) ?? [];
    list.push(edge);
    outgoing.set(edge.from, list);
  }
  const entries = [charter.start, ...(onInvalid && onInvalid !== REJECT_TARGET ? [onInvalid] : [])];
  return { stepIds, edges, outgoing, branches, entries };
}

function collectBranches(charter: Charter): Map<string, BranchMembership> {
  const branches = new Map<string, BranchMembership>();
  for (const [parallel, step] of Object.entries(charter.steps)) {
    if (step.kind !== "parallel") continue;
    const lists = step.branches ?? (step.branch ? [step.branch] : []);
    lists.forEach((list, branch) =>
      list.forEach((id, position) => {
        // First membership wins; a step listed twice is reported by the linter.
        if (!branches.has(id)) branches.set(id, { parallel, branch, position, list });
      }),
    );
  }
  return branches;
}

/** Where a step in a branch goes when it completes normally: the next in the list, or the join. */
function continuation(
  id: string,
  charter: Charter,
  branches: ReadonlyMap<string, BranchMembership>,
  depth = 0,
): string | undefined {
  const membership = branches.get(id);
  if (!membership) return undefined;
  const following = membership.list[membership.position + 1];
  if (following !== undefined) return following;
  const parallel = charter.steps[membership.parallel];
  const next = parallel && "next" in parallel ? parallel.next : undefined;
  // A parallel nested in a branch has no next of its own: its join continues the enclosing branch.
  // The depth bound stops a (reported) cycle of parallels listing each other.
  if (next === undefined && depth < 64)
    return continuation(membership.parallel, charter, branches, depth + 1);
  return next;
}

function stepEdges(
  id: string,
  step: Step,
  charter: Charter,
  branches: ReadonlyMap<string, BranchMembership>,
): Edge[] {
  const edges: Edge[] = [];
  const inBranch = branches.has(id);
  const add = (to: string | undefined, kind: EdgeKind, path: ValuePath | undefined, label?: string) => {
    if (to === undefined) return;
    // `continue` (allowed in a branch) means "carry on in the branch": resolve it here, once.
    const target = to === CONTINUE_TARGET && inBranch ? continuation(id, charter, branches) : to;
    if (target !== undefined)
      edges.push({
        from: id,
        to: target,
        kind,
        ...(label === undefined ? {} : { label }),
        ...(path ? { path } : {}),
      });
  };
  const addNext = (next: string | undefined, kind: EdgeKind) => {
    if (next !== undefined) add(next, kind, ["steps", id, "next"]);
    else if (inBranch) add(continuation(id, charter, branches), kind, undefined);
  };
  const addErrors = (onError: Record<string, string> | undefined) => {
    for (const [code, to] of Object.entries(onError ?? {}))
      add(to, "error", ["steps", id, "on_error", code], code);
  };
  const addOutcomes = (outcomes: Record<string, string> | undefined) => {
    for (const [outcome, to] of Object.entries(outcomes ?? {}))
      add(to, "outcome", ["steps", id, "outcomes", outcome], outcome);
  };

  switch (step.kind) {
    case "action":
      addNext(step.next, "next");
      addErrors(step.on_error);
      break;
    case "ai":
      addNext(step.next, "accepted");
      add(step.review, "review", ["steps", id, "review"]);
      addErrors(step.on_error);
      break;
    case "decision":
      step.rules.forEach((rule, i) =>
        add(rule.goto, "rule", ["steps", id, "rules", i, "goto"], rule.name ?? `rule ${i + 1}`),
      );
      add(step.default, "default", ["steps", id, "default"], "default");
      break;
    case "approval":
      addOutcomes(step.outcomes);
      add(step.expire?.goto, "expire", ["steps", id, "expire", "goto"], "expired");
      break;
    case "task":
      if (step.outcomes) addOutcomes(step.outcomes);
      else addNext(step.next, "next");
      add(step.expire?.goto, "expire", ["steps", id, "expire", "goto"], "expired");
      break;
    case "parallel": {
      const lists = step.branches ?? (step.branch ? [step.branch] : []);
      lists.forEach((list, i) =>
        add(
          list[0],
          "branch",
          ["steps", id, step.branches ? "branches" : "branch", ...(step.branches ? [i, 0] : [0])],
          step.branches ? `branch ${i + 1}` : "each item",
        ),
      );
      // The join is the last step of each branch continuing to `next`; with no branches at all
      // (a lint error) keep the graph connected so that one mistake is reported once.
      if (lists.length === 0) addNext(step.next, "join");
      addErrors(step.on_error);
      break;
    }
    case "wait":
      addNext(step.next, "next");
      add(step.on_timeout, "timeout", ["steps", id, "on_timeout"], "timeout");
      break;
    case "workflow":
      addOutcomes(step.outcomes);
      break;
    case "end":
      break;
  }
  return edges;
}

/** Every step reachable from `from` (inclusive), following all edges except to the exception queue. */
export function reachableFrom(graph: CharterGraph, from: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || id === EXCEPTION_TARGET) continue;
    seen.add(id);
    for (const edge of graph.outgoing.get(id) ?? []) if (!seen.has(edge.to)) stack.push(edge.to);
  }
  return seen;
}

/**
 * A shortest path from `from` to a step satisfying `isTarget`, never passing through a step for which
 * `isBarrier` is true (the start step itself may be one). Used for "AI output reaches X ungated".
 */
export function findPath(
  graph: CharterGraph,
  from: string,
  isTarget: (id: string) => boolean,
  isBarrier: (id: string) => boolean,
  skipEdge: (edge: Edge) => boolean = () => false,
): string[] | undefined {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    if (id !== from && isTarget(id)) return unwind(previous, id);
    if (id !== from && isBarrier(id)) continue;
    for (const edge of graph.outgoing.get(id) ?? []) {
      if (skipEdge(edge) || previous.has(edge.to) || edge.to === EXCEPTION_TARGET) continue;
      previous.set(edge.to, id);
      queue.push(edge.to);
    }
  }
  return undefined;
}

function unwind(previous: ReadonlyMap<string, string | null>, last: string): string[] {
  const path = [last];
  for (let id = previous.get(last); id != null; id = previous.get(id)) path.unshift(id);
  return path;
}
