/**
 * What every section of a charter page shares: the charter and its graph, and the words for routes,
 * targets, field tables and step headings, so that each section names things the same way.
 */
import type { CharterGraph, Edge } from "../definition/graph.js";
import type { Charter, Step } from "../definition/schema.js";
import { EXCEPTION_TARGET, REJECT_TARGET } from "../definition/schema.js";
import type { SchemaField } from "./describe.js";
import { joinOf, routeLabel, ruleOf } from "./describe.js";
import { code, headingText, table, text } from "./markdown-text.js";

/** An empty table cell. */
export const NONE = "—";

/** The charter and its graph, with the few formatters every section needs. */
export class PageContext {
  constructor(
    readonly charter: Charter,
    readonly graph: CharterGraph,
  ) {}

  /** A route target: a step id, a parallel's join, the exception queue (and its owner), a refusal. */
  target(id: string, join?: string): string {
    if (join !== undefined) return `join of ${code(join)}`;
    if (id === EXCEPTION_TARGET) return exceptionQueue(this.charter);
    if (id === REJECT_TARGET) return "input refused";
    return Object.hasOwn(this.charter.steps, id) ? code(id) : `${code(id)} (⚠ unknown step)`;
  }

  /** Where a route leads; the last step of a branch carrying on leads to its parallel's join. */
  destination(edge: Edge): string {
    return this.target(edge.to, joinOf(edge, this.charter, this.graph));
  }

  /** One route of a step as `label → destination`. */
  route(edge: Edge): string {
    const label = this.routeWords(edge);
    return label === undefined ? `→ ${this.destination(edge)}` : `${label} → ${this.destination(edge)}`;
  }

  private routeWords(edge: Edge): string | undefined {
    if (edge.kind === "error" && edge.label !== "default") return code(edge.label ?? "");
    if (edge.kind === "outcome" && edge.label !== "default") return code(edge.label ?? "");
    if (edge.kind === "rule") {
      const rule = ruleOf(edge, this.charter.steps[edge.from]);
      if (rule)
        return rule.name === undefined
          ? `when ${code(rule.when)}`
          : `${text(rule.name)} (${code(rule.when)})`;
    }
    if (edge.kind === "join") return "after all branches";
    const label = routeLabel(edge, this.charter);
    return label === undefined ? undefined : text(label);
  }

  routes(id: string): string[] {
    return (this.graph.outgoing.get(id) ?? []).map((edge) => this.route(edge));
  }
}

export function exceptionQueue(charter: Charter): string {
  return charter.owner === undefined ? "exception queue" : `exception queue (${code(charter.owner)})`;
}

export function fieldTable(list: readonly SchemaField[]): string {
  return table(
    ["Field", "Type", "Required", "Description"],
    list.map((field) => [
      code(field.name),
      text(field.type),
      field.required ? (field.requiredWith === undefined ? "yes" : `with ${code(field.requiredWith)}`) : "no",
      text(field.description ?? ""),
    ]),
  );
}

export function heading(id: string, step: Step): string {
  return `### ${code(id)}${step.title === undefined ? "" : ` — ${headingText(step.title)}`}`;
}

