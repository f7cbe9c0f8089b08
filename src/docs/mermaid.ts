/**
 * Charter -> Mermaid flowchart. Every route of the step graph is drawn (the same edges the linter
 * checks); each step kind has its own shape and class, and exception routes are dashed and labelled.
 *
 * Only the classic shape syntax is used (no `@{ shape: ... }`): GitHub and wikis often run an older
 * Mermaid than the one the tests parse with.
 */
import type { CharterGraph, Edge } from "../definition/graph.js";
import { buildGraph, EXCEPTION_EDGE_KINDS, INPUT_NODE } from "../definition/graph.js";
import type { Charter, Step } from "../definition/schema.js";
import { EXCEPTION_TARGET, REJECT_TARGET } from "../definition/schema.js";
import { describeTrigger, isSuccessEnd, joinOf, routeLabel } from "./describe.js";

/** Mermaid's delimiters for each shape we draw. */
const SHAPES = {
  rectangle: ["[", "]"],
  rounded: ["(", ")"],
  stadium: ["([", "])"],
  subroutine: ["[[", "]]"],
  cylinder: ["[(", ")]"],
  circle: ["((", "))"],
  doubleCircle: ["(((", ")))"],
  flag: [">", "]"],
  rhombus: ["{", "}"],
  hexagon: ["{{", "}}"],
  parallelogram: ["[/", "/]"],
  trapezoid: ["[/", "\\]"],
  invTrapezoid: ["[\\", "/]"],
} as const;
type Shape = keyof typeof SHAPES;

/**
 * Class name -> style. Colours set both fill and text so that nodes stay legible in dark themes.
 * Later entries win where two classes meet (`irreversible` thickens an action's border).
 */
export const NODE_CLASSES = {
  entry: "fill:#ecfdf3,stroke:#15803d,color:#14532d",
  action: "fill:#f4f4f5,stroke:#52525b,color:#18181b",
  ai: "fill:#f3e8ff,stroke:#7e22ce,color:#3b0764,stroke-width:2px",
  decision: "fill:#e0f2fe,stroke:#0369a1,color:#0c4a6e",
  human: "fill:#fef3c7,stroke:#b45309,color:#451a03,stroke-width:2px",
  wait: "fill:#ecfeff,stroke:#0e7490,color:#164e63",
  workflow: "fill:#f7fee7,stroke:#4d7c0f,color:#1a2e05",
  fork: "fill:#e4e4e7,stroke:#3f3f46,color:#18181b",
  endSuccess: "fill:#dcfce7,stroke:#15803d,color:#14532d,stroke-width:3px",
  endFailure: "fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d,stroke-width:2px",
  exception: "fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d,stroke-dasharray:5 3",
  irreversible: "stroke:#b91c1c,stroke-width:3px",
  unknown: "fill:#ffffff,stroke:#b91c1c,color:#7f1d1d,stroke-dasharray:2 2",
} as const;
export type NodeClass = keyof typeof NODE_CLASSES;

/** Style of exception routes, on top of their dashes. */
const EXCEPTION_LINK_STYLE = "stroke:#b91c1c,color:#b91c1c";

/** Node ids of the pseudo-nodes; step nodes are `s_…`, joins `j_…`, unknown targets `u_…`. */
export const ENTRY_NODE_ID = "n_start";
export const EXCEPTION_NODE_ID = "n_exception";
export const REJECT_NODE_ID = "n_reject";

const MAX_LABEL_LINE = 48;

interface DiagramNode {
  readonly id: string;
  readonly shape: Shape;
  readonly lines: readonly string[];
  readonly classes: readonly NodeClass[];
}

interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly dashed: boolean;
  readonly labels: string[];
}

/** The Mermaid id of a step. Step ids are `[a-z0-9-]`; the prefix keeps them off Mermaid keywords. */
export function stepNodeId(stepId: string): string {
  return `s_${stepId.replaceAll("-", "_")}`;
}

export function joinNodeId(parallelId: string): string {
  return `j_${parallelId.replaceAll("-", "_")}`;
}

export function renderMermaid(charter: Charter): string {
  const graph = buildGraph(charter);
  const targets = new TargetIds(charter);
  const edges = diagramEdges(charter, graph, targets);
  const nodes = [entryNode(charter), ...stepNodes(charter, graph), ...targets.pseudoNodes(charter)];
  return [
    "flowchart TD",
    `  accTitle: ${accessibleText(charter.title)}`,
    `  accDescr: Steps of workflow ${charter.workflow}, from its triggers to its end outcomes`,
    ...nodes.map(renderNode),
    ...edges.map(renderEdge),
    ...renderStyles(nodes, edges),
  ].join("\n");
}

/** Resolves route targets to node ids, and remembers which pseudo-nodes the routes need. */
class TargetIds {
  private readonly unknown = new Map<string, string>();
  private exception = false;
  private reject = false;

  constructor(private readonly charter: Charter) {}

  of(target: string): string {
    if (target === INPUT_NODE) return ENTRY_NODE_ID;
    // The reserved targets come first, as in the graph: a step named "exception" is a lint error.
    if (target === EXCEPTION_TARGET) {
      this.exception = true;
      return EXCEPTION_NODE_ID;
    }
    if (target === REJECT_TARGET) {
      this.reject = true;
      return REJECT_NODE_ID;
    }
    if (Object.hasOwn(this.charter.steps, target)) return stepNodeId(target);
    // A route to a step that does not exist (the linter reports it): draw it, marked, under a safe id.
    let id = this.unknown.get(target);
    if (id === undefined) this.unknown.set(target, (id = `u_${this.unknown.size + 1}`));
    return id;
  }

  pseudoNodes(charter: Charter): DiagramNode[] {
    const nodes: DiagramNode[] = [];
    if (this.exception) {
      const owner = charter.owner === undefined ? [] : [`owner ${charter.owner}`];
      nodes.push({
        id: EXCEPTION_NODE_ID,
        shape: "cylinder",
        lines: ["Exception queue", ...owner],
        classes: ["exception"],
      });
    }
    if (this.reject)
      nodes.push({ id: REJECT_NODE_ID, shape: "circle", lines: ["input refused"], classes: ["endFailure"] });
    for (const [target, id] of this.unknown)
      nodes.push({ id, shape: "rectangle", lines: ["⚠ unknown step", target], classes: ["unknown"] });
    return nodes;
  }
}

function entryNode(charter: Charter): DiagramNode {
  const triggers = (charter.triggers ?? []).map((trigger) => {
    const part = describeTrigger(trigger);
    return "value" in part ? `${part.kind} ${part.value}` : part.kind;
  });
  return { id: ENTRY_NODE_ID, shape: "flag", lines: ["Start", ...triggers], classes: ["entry"] };
}

function stepNodes(charter: Charter, graph: CharterGraph): DiagramNode[] {
  return graph.stepIds.flatMap((id) => {
    const step = charter.steps[id]!;
    const node = stepNode(id, step, charter);
    if (step.kind !== "parallel" || !hasBranches(step)) return [node];
    const join: DiagramNode = {
      id: joinNodeId(id),
      shape: "invTrapezoid",
      lines: ["join", step.title ?? id],
      classes: ["fork"],
    };
    return [node, join];
  });
}

function hasBranches(step: Extract<Step, { kind: "parallel" }>): boolean {
  return (step.branches ?? (step.branch ? [step.branch] : [])).length > 0;
}

function stepNode(id: string, step: Step, charter: Charter): DiagramNode {
  const name = step.title ?? id;
  // With a title, the id goes on the detail line so that the diagram matches the tables.
  const detail = (text: string | undefined) => {
    const parts = [step.title === undefined ? undefined : id, text].filter(
      (p): p is string => p !== undefined,
    );
    return parts.length > 0 ? [parts.join(" · ")] : [];
  };
  const node = (shape: Shape, lines: string[], ...classes: NodeClass[]): DiagramNode => ({
    id: stepNodeId(id),
    shape,
    lines,
    classes,
  });
  switch (step.kind) {
    case "action": {
      const marker = step.irreversible ? ["⚠ irreversible"] : [];
      return node(
        "rectangle",
        [name, ...detail(step.handler), ...marker],
        "action",
        ...(step.irreversible ? (["irreversible"] as const) : []),
      );
    }
    case "ai":
      return node("hexagon", [`🤖 AI: ${name}`, ...detail(`model task ${step.model_task}`)], "ai");
    case "decision":
      return node("rhombus", [name, ...detail(undefined)], "decision");
    case "approval":
      return node("stadium", [`👤 ${name}`, ...detail(`approval by ${step.assignee ?? "?"}`)], "human");
    case "task":
      return node("rounded", [`👤 ${name}`, ...detail(`task for ${step.assignee ?? "?"}`)], "human");
    case "wait": {
      const what = step.event ? `event ${step.event}` : step.until ? `until ${step.until}` : undefined;
      return node("parallelogram", [`⏳ ${name}`, ...detail(what)], "wait");
    }
    case "workflow":
      return node("subroutine", [name, ...detail(`runs workflow ${step.workflow}`)], "workflow");
    case "parallel": {
      const what = step.for_each
        ? `for each ${step.for_each}${step.concurrency ? `, ${step.concurrency} at a time` : ""}`
        : `fork: ${step.branches?.length ?? 0} branches`;
      return node("trapezoid", [name, ...detail(what)], "fork");
    }
    case "end": {
      const success = isSuccessEnd(charter, step);
      const lines = step.title === undefined ? [step.outcome] : [step.title, step.outcome];
      return node(success ? "doubleCircle" : "circle", lines, success ? "endSuccess" : "endFailure");
    }
  }
}

function diagramEdges(charter: Charter, graph: CharterGraph, targets: TargetIds): DiagramEdge[] {
  const edges = new Map<string, DiagramEdge>();
  const add = (from: string, to: string, dashed: boolean, label: string | undefined) => {
    // Two routes between the same nodes (two error codes to one step) become one edge with both labels.
    const key = `${from} ${to} ${dashed}`;
    const edge = edges.get(key) ?? { from, to, dashed, labels: [] };
    if (label !== undefined && !edge.labels.includes(label)) edge.labels.push(label);
    edges.set(key, edge);
  };
  add(ENTRY_NODE_ID, targets.of(charter.start), false, undefined);
  for (const edge of graph.outgoing.get(INPUT_NODE) ?? [])
    add(ENTRY_NODE_ID, targets.of(edge.to), true, routeLabel(edge, charter));
  // The graph has no edge for a refused input (no step runs); the diagram still shows where it ends.
  if (charter.input?.on_invalid === REJECT_TARGET)
    add(ENTRY_NODE_ID, targets.of(REJECT_TARGET), true, "invalid input");
  for (const id of graph.stepIds) {
    for (const edge of graph.outgoing.get(id) ?? [])
      add(
        stepNodeId(id),
        edgeTarget(edge, charter, graph, targets),
        EXCEPTION_EDGE_KINDS.has(edge.kind),
        routeLabel(edge, charter),
      );
    const step = charter.steps[id]!;
    if (step.kind === "parallel" && hasBranches(step) && step.next !== undefined)
      add(joinNodeId(id), targets.of(step.next), false, undefined);
  }
  return [...edges.values()];
}

/** Where an edge is drawn to: the last step of a branch continues to its parallel's join node. */
function edgeTarget(edge: Edge, charter: Charter, graph: CharterGraph, targets: TargetIds): string {
  const join = joinOf(edge, charter, graph);
  return join === undefined ? targets.of(edge.to) : joinNodeId(join);
}

function renderNode(node: DiagramNode): string {
  const [open, close] = SHAPES[node.shape];
  const label = node.lines.map((line) => escapeMermaidText(truncate(line))).join("<br/>");
  return `  ${node.id}${open}"${label}"${close}`;
}

function renderEdge(edge: DiagramEdge): string {
  const arrow = edge.dashed ? "-.->" : "-->";
  const label = edge.labels.length === 0 ? "" : `|"${escapeMermaidText(truncate(edge.labels.join(", ")))}"|`;
  return `  ${edge.from} ${arrow}${label} ${edge.to}`;
}

function renderStyles(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[]): string[] {
  const lines: string[] = [];
  for (const [name, style] of Object.entries(NODE_CLASSES) as [NodeClass, string][]) {
    const members = nodes.filter((node) => node.classes.includes(name)).map((node) => node.id);
    if (members.length > 0) lines.push(`  classDef ${name} ${style}`, `  class ${members.join(",")} ${name}`);
  }
  const dashed = edges.flatMap((edge, index) => (edge.dashed ? [index] : []));
  if (dashed.length > 0) lines.push(`  linkStyle ${dashed.join(",")} ${EXCEPTION_LINK_STYLE}`);
  return lines;
}

function truncate(text: string): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= MAX_LABEL_LINE ? chars.join("") : `${chars.slice(0, MAX_LABEL_LINE - 1).join("")}…`;
}

/** Characters a quoted Mermaid label can hold as they are; every other ASCII character is an entity. */
const PLAIN = /^[A-Za-z0-9 .,:!?'/_+=*-]$/;

/**
 * Text for inside a `"…"` label. Mermaid decodes `#<code>;` entities when it draws; escaping all
 * other ASCII punctuation also keeps `"`, `|`, brackets, `<`, `#`, `%%` (comments), `$$` (math),
 * backticks (Markdown strings) and `;` from meaning anything. Non-ASCII text (accents, emoji) stays.
 */
export function escapeMermaidText(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += " ";
    else out += code > 0x7f || PLAIN.test(char) ? char : `#${code};`;
  }
  return out;
}

/** `accTitle:` takes the rest of the line as it is: keep one line, without Mermaid's separators. */
function accessibleText(text: string): string {
  return text.replace(/[\s;#%]+/g, " ").trim() || "Workflow";
}
