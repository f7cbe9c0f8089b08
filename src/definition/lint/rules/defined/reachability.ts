/**
 * defined/unreachable and defined/no-end: every step can be reached from the start, and from every
 * step a run can reach an end. Both read the step graph, and stay linear in its size.
 */
import type { CharterGraph, Edge } from "../../../graph.js";
import { reachableFrom } from "../../../graph.js";
import { EXCEPTION_TARGET } from "../../../schema.js";
import type { Charter } from "../../../schema.js";
import type { Rule } from "../../rule.js";
import { CHECK_STEP, DONE_STEP } from "../examples.js";
import { listNames } from "../wording.js";

/** An action `archive` that goes on to `done`. */
const ARCHIVE_STEP = `
  archive:
    kind: action
    owner: team:operations
    handler: requests.archive
    timeout: 30s
    on_error: { default: exception }
    next: done`;

export const unreachable: Rule = {
  id: "defined/unreachable",
  severity: "error",
  summary: "Every step can be reached from `start` (or from `input.on_invalid`).",
  rationale: `A step no route leads to never runs, yet it is documented, reviewed and believed to happen: usually a
\`next\` was forgotten or misspelt. Every step must be reachable from \`start\` or from the
\`input.on_invalid\` route, following any route (next, outcomes, rules, error and timeout routes,
branches). Wire the step in, or delete it.`,
  example: {
    bad: `steps:${CHECK_STEP("done")}${ARCHIVE_STEP}${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("archive")}${ARCHIVE_STEP}${DONE_STEP}
`,
  },
  check({ charter, graph, report }) {
    const stepIds = new Set(graph.stepIds);
    // An unknown start leaves everything unreachable: defined/unknown-step reports the one cause.
    if (!stepIds.has(charter.start)) return;
    const reached = reachableFrom(graph, graph.entries);
    const routedFrom = new Map<string, string[]>();
    for (const edge of graph.edges) {
      if (reached.has(edge.to) || !stepIds.has(edge.to) || edge.from === edge.to) continue;
      const sources = routedFrom.get(edge.to) ?? [];
      if (sources.length < 3 && !sources.includes(edge.from)) sources.push(edge.from);
      routedFrom.set(edge.to, sources);
    }
    for (const id of graph.stepIds) {
      if (reached.has(id)) continue;
      const sources = routedFrom.get(id);
      const why = sources
        ? `only unreachable steps route to it (${listNames(sources)})`
        : `no route leads to it from start "${charter.start}"`;
      report({
        message: `Step "${id}" is unreachable: ${why}. Route to it from a reachable step, or remove it.`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

export const noEnd: Rule = {
  id: "defined/no-end",
  severity: "error",
  summary: "From every step, a run can reach an end step without failing.",
  rationale: `A run that can never end holds its state, its people and its service level forever. From every step,
some route that is not an error route must lead to an \`end\` step or to the exception queue
(\`exception\`, which has an owner). A loop is fine when a decision, an outcome or a timeout can
leave it; a loop that only an \`on_error\` route leaves means that when nothing fails, the run never
ends. (A step that has no route at all is reported by \`defined/routes\`, and a route to an unknown
step by \`defined/unknown-step\`.)`,
  example: {
    bad: `steps:${CHECK_STEP("route")}
  route:
    kind: decision
    owner: team:operations
    rules:
      - when: "input.amount > 100"
        goto: check
    default: check${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("route")}
  route:
    kind: decision
    owner: team:operations
    rules:
      - when: "input.amount > 100"
        goto: check
    default: done${DONE_STEP}
`,
  },
  check({ charter, graph, report }) {
    // Error routes do not count as a way to end: a run that ends only by failing never ends well.
    const routesOf = (id: string) => (graph.outgoing.get(id) ?? []).filter((edge) => edge.kind !== "error");
    const canEnd = stepsThatCanEnd(charter, graph, routesOf);
    if (canEnd.size === graph.stepIds.length) return;
    // Unreachable steps are reported by defined/unreachable; wiring them in comes first.
    const reached = graph.stepIds.includes(charter.start) ? reachableFrom(graph, graph.entries) : undefined;
    for (const id of graph.stepIds) {
      if (canEnd.has(id) || (reached && !reached.has(id))) continue;
      const loop = loopFrom(id, routesOf);
      const errorExit = loop.some((s) => (graph.outgoing.get(s) ?? []).some((e) => e.kind === "error"));
      const fix = errorExit
        ? " and only on_error routes leave the loop, so when nothing fails the run never ends. Give a step of the loop a normal route out (next, an outcome or a rule) to an end step."
        : '. Route a step of the loop to an end step or to "exception".';
      report({
        message: `Step "${id}" never reaches an end: its routes only loop (${loop.join(" → ")})${fix}`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

/** Every step from which `routesOf` lead to an end: one backward search from the terminal steps. */
function stepsThatCanEnd(
  charter: Charter,
  graph: CharterGraph,
  routesOf: (id: string) => readonly Edge[],
): Set<string> {
  const stepIds = new Set(graph.stepIds);
  const incoming = new Map<string, string[]>();
  const canEnd = new Set<string>();
  for (const id of graph.stepIds) {
    const out = routesOf(id);
    // Terminal: an end, the exception queue, a route already reported elsewhere (an unknown
    // target, or no route at all), so that one mistake is reported once.
    if (
      charter.steps[id]!.kind === "end" ||
      out.length === 0 ||
      out.some((e) => !stepIds.has(e.to) || e.to === EXCEPTION_TARGET)
    )
      canEnd.add(id);
    for (const edge of out) {
      const list = incoming.get(edge.to) ?? [];
      list.push(id);
      incoming.set(edge.to, list);
    }
  }
  const queue = [...canEnd];
  for (let head = 0; head < queue.length; head++)
    for (const from of incoming.get(queue[head]!) ?? [])
      if (!canEnd.has(from)) {
        canEnd.add(from);
        queue.push(from);
      }
  return canEnd;
}

/** A few steps along the first route from `id`, up to the first repeat: the loop a run is caught in. */
function loopFrom(id: string, routesOf: (id: string) => readonly Edge[]): string[] {
  const trail = [id];
  const seen = new Set(trail);
  let current = id;
  for (let i = 0; i < 8; i++) {
    const next = routesOf(current)[0]?.to;
    if (next === undefined) break;
    trail.push(next);
    if (seen.has(next)) return trail;
    seen.add(next);
    current = next;
  }
  trail.push("…");
  return trail;
}
