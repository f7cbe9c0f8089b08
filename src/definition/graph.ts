/**
 * The step graph of a charter: every route from one step to another, with the field it comes from.
 * Lint (reachability, AI-authority paths) and docs (the diagram) read the same edges, so what the
 * diagram shows is what the linter checked. Searches that stop at gates are in gates.ts.
 */
import type { ValuePath } from "./diagnostic.js";
import { CONTINUE_TARGET, EXCEPTION_TARGET, REJECT_TARGET } from "./schema.js";
import type { Charter, Step, StepOf } from "./schema.js";

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

/** Collects one step's edges: resolves `continue`, and the implicit next step of a branch. */
interface EdgeWriter {
  readonly edges: Edge[];
  /** An edge to `to`, written at `path` (undefined for an implicit edge); nothing when `to` is unset. */
  add(to: string | undefined, kind: EdgeKind, path: ValuePath | undefined, label?: string): void;
  /** The `next` route; in a branch, an unset `next` carries on in the branch. */
  next(next: string | undefined, kind: EdgeKind): void;
  errors(onError: Record<string, string> | undefined): void;
  outcomes(outcomes: Record<string, string> | undefined): void;
}

function edgeWriter(
  id: string,
  charter: Charter,
  branches: ReadonlyMap<string, BranchMembership>,
): EdgeWriter {
  const edges: Edge[] = [];
  const inBranch = branches.has(id);
  const add: EdgeWriter["add"] = (to, kind, path, label) => {
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
  return {
    edges,
    add,
    next: (next, kind) => {
      if (next !== undefined) add(next, kind, ["steps", id, "next"]);
      else if (inBranch) add(continuation(id, charter, branches), kind, undefined);
    },
    errors: (onError) => {
      for (const [code, to] of Object.entries(onError ?? {}))
        add(to, "error", ["steps", id, "on_error", code], code);
    },
    outcomes: (outcomes) => {
      for (const [outcome, to] of Object.entries(outcomes ?? {}))
        add(to, "outcome", ["steps", id, "outcomes", outcome], outcome);
    },
  };
}

function stepEdges(
  id: string,
  step: Step,
  charter: Charter,
  branches: ReadonlyMap<string, BranchMembership>,
): Edge[] {
  const out = edgeWriter(id, charter, branches);
  switch (step.kind) {
    case "action":
      out.next(step.next, "next");
      out.errors(step.on_error);
      break;
    case "ai":
      out.next(step.next, "accepted");
      out.add(step.review, "review", ["steps", id, "review"]);
      out.errors(step.on_error);
      break;
    case "decision":
      step.rules.forEach((rule, i) =>
        out.add(rule.goto, "rule", ["steps", id, "rules", i, "goto"], rule.name ?? `rule ${i + 1}`),
      );
      out.add(step.default, "default", ["steps", id, "default"], "default");
      break;
    case "approval":
      out.outcomes(step.outcomes);
      out.add(step.expire?.goto, "expire", ["steps", id, "expire", "goto"], "expired");
      break;
    case "task":
      if (step.outcomes) out.outcomes(step.outcomes);
      else out.next(step.next, "next");
      out.add(step.expire?.goto, "expire", ["steps", id, "expire", "goto"], "expired");
      break;
    case "parallel":
      parallelEdges(id, step, out);
      break;
    case "wait":
      out.next(step.next, "next");
      out.add(step.on_timeout, "timeout", ["steps", id, "on_timeout"], "timeout");
      break;
    case "workflow":
      // Listed outcomes first; `next` takes the child's other success outcomes (in a branch, an
      // unset next carries on in the branch); on_error takes CHILD_FAILED, TIMEOUT and the rest.
      out.outcomes(step.outcomes);
      out.next(step.next, "next");
      out.errors(step.on_error);
      break;
    case "end":
      break;
  }
  return out.edges;
}

/** A parallel's branch starts; its join is the last step of each branch continuing to `next`. */
function parallelEdges(id: string, step: StepOf<"parallel">, out: EdgeWriter): void {
  const lists = step.branches ?? (step.branch ? [step.branch] : []);
  lists.forEach((list, i) =>
    out.add(
      list[0],
      "branch",
      ["steps", id, step.branches ? "branches" : "branch", ...(step.branches ? [i, 0] : [0])],
      step.branches ? `branch ${i + 1}` : "each item",
    ),
  );
  // With no branches at all (a lint error) keep the graph connected, so that one mistake is
  // reported once.
  if (lists.length === 0) out.next(step.next, "join");
  out.errors(step.on_error);
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
