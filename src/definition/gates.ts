/**
 * Gates: the places where a rule or a person decides what happens to a run. A gate is a decision
 * (rules decide) or a human step (a person decides); an approval or task that expires decided
 * nothing, so its `expire` route is not gated. The linter (oversight, ai-authority) and the docs
 * (the AI boundaries section) both read these predicates and searches, so that what a page says is
 * gated is what the linter checked.
 */
import type { CharterGraph, Edge } from "./graph.js";
import { EXCEPTION_TARGET, HUMAN_STEP_KINDS } from "./schema.js";
import type { Charter, Step, StepKind, StepOf } from "./schema.js";

/** Step kinds whose outcome is decided by a rule or a person. */
export const GATE_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(["decision", ...HUMAN_STEP_KINDS]);

/** An approval or a task: a step where a person acts. */
export function isHumanStep(step: Step | undefined): step is StepOf<"approval"> | StepOf<"task"> {
  return step !== undefined && HUMAN_STEP_KINDS.includes(step.kind);
}

/** A decision or a human step. */
export function isGate(step: Step | undefined): boolean {
  return step !== undefined && GATE_KINDS.has(step.kind);
}

/** True when a run leaving `step` by `edge` has passed a rule or a person. */
export function isGatedEdge(step: Step | undefined, edge: Edge): boolean {
  // An expired approval or task was decided by nobody: its route carries the run on ungated.
  return isGate(step) && edge.kind !== "expire";
}

export function isIrreversibleAction(step: Step | undefined): boolean {
  return step?.kind === "action" && step.irreversible === true;
}

/** An end whose outcome counts as success: listed in `success.outcomes` (or `success: true`). */
export function isSuccessEnd(charter: Charter, step: Step | undefined): boolean {
  if (step?.kind !== "end" || step.success === false) return false;
  return step.success === true || (charter.success?.outcomes ?? []).includes(step.outcome);
}

/**
 * A route a run takes out of `step` with nobody deciding. The exception queue is not followed: it has
 * an owner, who decides what happens next. A join is gated when one of the branches it waits for
 * is: the run passes it only after every branch finished, so after that branch's gate.
 */
function isUngatedRoute(charter: Charter, graph: CharterGraph, step: Step | undefined, edge: Edge): boolean {
  return !isGatedEdge(step, edge) && edge.to !== EXCEPTION_TARGET && !gatedJoins(charter, graph).has(edge);
}

const gatedJoinCache = new WeakMap<CharterGraph, ReadonlySet<Edge>>();

/** The join routes (a branch's last step to the parallel's `next`) of parallels with a gated branch. */
function gatedJoins(charter: Charter, graph: CharterGraph): ReadonlySet<Edge> {
  const cached = gatedJoinCache.get(graph);
  if (cached) return cached;
  const joinsOf = new Map<string, Edge[]>();
  for (const edge of graph.edges) {
    const membership = graph.branches.get(edge.from);
    const parallel = membership && charter.steps[membership.parallel];
    if (!membership || !parallel || !("next" in parallel) || edge.to !== parallel.next) continue;
    if (membership.list.includes(edge.to)) continue;
    joinsOf.set(membership.parallel, [...(joinsOf.get(membership.parallel) ?? []), edge]);
  }
  const gated = new Set<Edge>();
  for (const [parallelId, joins] of joinsOf) {
    const step = charter.steps[parallelId];
    if (step?.kind !== "parallel") continue;
    const lists = step.branches ?? (step.branch ? [step.branch] : []);
    if (lists.some((list) => isGatedBranch(charter, graph, list, new Set(joins))))
      for (const edge of joins) gated.add(edge);
  }
  gatedJoinCache.set(graph, gated);
  return gated;
}

/** No way through the branch list to its join without a gate. */
function isGatedBranch(
  charter: Charter,
  graph: CharterGraph,
  list: readonly string[],
  joins: ReadonlySet<Edge>,
): boolean {
  const inList = new Set(list);
  const seen = new Set<string>([list[0]!]);
  const queue = [list[0]!];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    const step = charter.steps[id];
    for (const edge of graph.outgoing.get(id) ?? []) {
      if (isGatedEdge(step, edge) || edge.to === EXCEPTION_TARGET) continue;
      if (joins.has(edge)) return false;
      if (inList.has(edge.to) && !seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return true;
}

/** A step a run can reach ungated, and a shortest such path (step ids, first the source). */
export interface UngatedPath {
  readonly target: string;
  readonly path: readonly string[];
}

export interface UngatedSearch {
  /** Each target reached, with a shortest path to it. */
  readonly paths: readonly UngatedPath[];
  /** Every step the search reached, in breadth-first order (sources first, targets included). */
  readonly reached: readonly string[];
}

/**
 * Every step satisfying `isTarget` that a run can reach from `sources` without passing a gate, each
 * with a shortest path. One breadth-first search over the whole graph, whatever the number of
 * targets: linear in the number of edges. A target is not searched past (whatever lies beyond it
 * is reached only through it, so the finding about the target covers it). `leaves` restricts the
 * edges taken out of a source (an ai step is followed only through its accepted route).
 */
export function findUngatedPaths(
  charter: Charter,
  graph: CharterGraph,
  sources: readonly string[],
  isTarget: (id: string, step: Step) => boolean,
  leaves: (edge: Edge) => boolean = () => true,
): UngatedSearch {
  const previous = new Map<string, string | null>();
  const queue: string[] = [];
  for (const source of sources) {
    if (previous.has(source)) continue;
    previous.set(source, null);
    queue.push(source);
  }
  const sourceSet = new Set(sources);
  const paths: UngatedPath[] = [];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    const step = charter.steps[id];
    if (step && isTarget(id, step)) {
      paths.push({ target: id, path: unwind(previous, id) });
      continue;
    }
    for (const edge of graph.outgoing.get(id) ?? []) {
      if (sourceSet.has(id) && !leaves(edge)) continue;
      if (!isUngatedRoute(charter, graph, step, edge) || previous.has(edge.to)) continue;
      previous.set(edge.to, id);
      queue.push(edge.to);
    }
  }
  return { paths, reached: queue };
}

function unwind(previous: ReadonlyMap<string, string | null>, last: string): string[] {
  const path = [last];
  for (let id = previous.get(last); id != null; id = previous.get(id)) path.push(id);
  return path.reverse();
}

/** A source whose first steps reach a target ungated: the start of a shortest path, and its length. */
export interface UngatedReach {
  readonly source: string;
  readonly target: string;
  /** The path's first steps, from the source; at most `headLength` of them, never the target. */
  readonly head: readonly string[];
  /** Steps on the whole path, the source and the target included. */
  readonly length: number;
}

/**
 * For each source, every target that one of its `firsts` (the steps a run goes to first from that
 * source) reaches with no gate on the way, by a shortest path. The search is like
 * {@link findUngatedPaths}, but runs backward: one search per target over the ungated routes finds
 * every step that can reach it, with its next step on a shortest path, and each source then looks up
 * its first steps. Time is O(targets x routes) plus O(headLength) per finding, where a search per
 * source would be quadratic in a long chain of sources. One consequence, on purpose: a path that
 * loops back into a source may leave it again by any of its routes, error routes included, as a
 * later step's would.
 */
export function findUngatedReaches(
  charter: Charter,
  graph: CharterGraph,
  firsts: ReadonlyMap<string, readonly string[]>,
  isTarget: (step: Step | undefined) => boolean,
  headLength: number,
): UngatedReach[] {
  const targets = Object.keys(charter.steps).filter((id) => isTarget(charter.steps[id]));
  if (firsts.size === 0 || targets.length === 0) return [];
  const incoming = ungatedIncoming(charter, graph, isTarget);
  const reaches: UngatedReach[] = [];
  for (const target of targets) {
    const toward = shortestToward(incoming, target);
    for (const [source, next] of firsts) {
      const reach = reachVia(toward, source, next, target, headLength);
      if (reach) reaches.push(reach);
    }
  }
  return reaches;
}

/** Routes a run takes with no one deciding, by target; none leaves a target, where a search stops. */
function ungatedIncoming(
  charter: Charter,
  graph: CharterGraph,
  isTarget: (step: Step | undefined) => boolean,
): Map<string, string[]> {
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const from = charter.steps[edge.from];
    if (!from || isTarget(from) || !isUngatedRoute(charter, graph, from, edge)) continue;
    const list = incoming.get(edge.to) ?? [];
    list.push(edge.from);
    incoming.set(edge.to, list);
  }
  return incoming;
}

/** For each step that reaches `target` ungated: its next step on a shortest path, and the distance. */
interface Toward {
  readonly next: ReadonlyMap<string, string | null>;
  readonly distance: ReadonlyMap<string, number>;
}

function shortestToward(incoming: ReadonlyMap<string, readonly string[]>, target: string): Toward {
  const next = new Map<string, string | null>([[target, null]]);
  const distance = new Map<string, number>([[target, 0]]);
  const queue = [target];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const from of incoming.get(id) ?? []) {
      if (next.has(from)) continue;
      next.set(from, id);
      distance.set(from, distance.get(id)! + 1);
      queue.push(from);
    }
  }
  return { next, distance };
}

/** The shortest path from `source` through the nearest of its first steps to `target`, if any. */
function reachVia(
  toward: Toward,
  source: string,
  firsts: readonly string[],
  target: string,
  headLength: number,
): UngatedReach | undefined {
  const { next, distance } = toward;
  let best: string | undefined;
  for (const first of firsts) {
    if (distance.has(first) && (best === undefined || distance.get(first)! < distance.get(best)!))
      best = first;
  }
  if (best === undefined) return undefined;
  const head = [source];
  let step: string | null | undefined = best;
  while (step && step !== target && head.length < headLength) {
    head.push(step);
    step = next.get(step);
  }
  return { source, target, head, length: distance.get(best)! + 2 };
}
