/**
 * Plain-text summaries of a charter's parts, shared by the diagram and the Markdown page so that both
 * say the same thing in the same words. Nothing here formats for Markdown or Mermaid.
 */
import type { CharterGraph, Edge } from "../definition/graph.js";
import { EXCEPTION_EDGE_KINDS } from "../definition/graph.js";
import type { UngatedPath } from "../definition/gates.js";
import { findUngatedPaths, isGate, isIrreversibleAction, isSuccessEnd } from "../definition/gates.js";
import { CONTINUE_TARGET, EXCEPTION_TARGET } from "../definition/schema.js";
import type { Charter, Step, StepOf, Trigger } from "../definition/schema.js";

// Re-exported for the diagram (mermaid.ts), which reads it from here.
export { isSuccessEnd };

type Retry = NonNullable<StepOf<"action">["retry"]>;

/** "5× exponential from 1s, max 5m", "3× fixed every 10s". The count includes the first attempt. */
export function retrySummary(retry: Retry | undefined): string | undefined {
  if (retry === undefined) return undefined;
  const attempts = `${retry.max_attempts}×`;
  if (retry.backoff === "fixed") return `${attempts} fixed every ${retry.initial}`;
  const factor = retry.factor !== undefined && retry.factor !== 2 ? ` (factor ${retry.factor})` : "";
  const max = retry.max_delay === undefined ? "" : `, max ${retry.max_delay}`;
  return `${attempts} exponential${factor} from ${retry.initial}${max}`;
}

/** The timeout a step declares, whatever its kind calls it. */
export function stepTimeout(step: Step): string | undefined {
  return "timeout" in step ? step.timeout : undefined;
}

export type TriggerPart = { kind: "manual" } | { kind: keyof Trigger; value: string; note?: string };

/** One trigger as a kind and its key value: `webhook` + `/invoices`. */
export function describeTrigger(trigger: Trigger): TriggerPart {
  if (trigger.webhook) return { kind: "webhook", value: trigger.webhook.path };
  if (trigger.schedule) {
    const tz = trigger.schedule.timezone;
    return { kind: "schedule", value: trigger.schedule.cron, ...(tz === undefined ? {} : { note: tz }) };
  }
  if (trigger.event) return { kind: "event", value: trigger.event.name };
  return { kind: "manual" };
}

/** A schema's fields, flattened to dotted names (`vendor.name`, `lines[].amount`) a few levels deep. */
export interface SchemaField {
  readonly name: string;
  readonly type: string;
  /** Required in its object; `requiredWith` names the optional parent it is required with. */
  readonly required: boolean;
  readonly requiredWith?: string;
  readonly description?: string;
}

const MAX_FIELD_DEPTH = 3;

export function schemaFields(schema: Record<string, unknown> | undefined): SchemaField[] {
  const fields: SchemaField[] = [];
  collectFields(schema, "", undefined, 0, fields);
  return fields;
}

function collectFields(
  schema: unknown,
  prefix: string,
  optionalParent: string | undefined,
  depth: number,
  into: SchemaField[],
): void {
  if (!isRecord(schema) || depth >= MAX_FIELD_DEPTH) return;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const [name, property] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    const isRequired = required.includes(name);
    const description =
      isRecord(property) && typeof property.description === "string" ? property.description : "";
    into.push({
      name: path,
      type: schemaType(property),
      required: isRequired,
      ...(isRequired && optionalParent !== undefined ? { requiredWith: optionalParent } : {}),
      ...(description ? { description } : {}),
    });
    const parent = isRequired ? optionalParent : (optionalParent ?? path);
    const items = isRecord(property) ? property.items : undefined;
    if (isRecord(property) && isRecord(property.properties))
      collectFields(property, `${path}.`, parent, depth + 1, into);
    else if (isRecord(items)) collectFields(items, `${path}[].`, parent, depth + 1, into);
  }
}

/** A short type: `string`, `string (date)`, `array of number`, `"a" or "b"`, `integer ≥ 1`. */
export function schemaType(schema: unknown): string {
  if (!isRecord(schema)) return schema === true ? "any" : "—";
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" or ");
  if ("const" in schema) return JSON.stringify(schema.const);
  const variants = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(variants)) return variants.map(schemaType).join(" or ");
  if (typeof schema.$ref === "string") return schema.$ref;
  const types = Array.isArray(schema.type)
    ? schema.type.map(String)
    : typeof schema.type === "string"
      ? [schema.type]
      : [];
  if (types.length === 0) return isRecord(schema.properties) ? "object" : "any";
  const base = types.map((type) => (type === "array" ? arrayType(schema) : type)).join(" or ");
  const notes = typeNotes(schema);
  return notes.length > 0 ? `${base} (${notes.join(", ")})` : base;
}

function arrayType(schema: Record<string, unknown>): string {
  return isRecord(schema.items) ? `array of ${schemaType(schema.items)}` : "array";
}

/** Format and bounds, the constraints a reader of a field table most often needs. */
function typeNotes(schema: Record<string, unknown>): string[] {
  const notes: string[] = [];
  if (typeof schema.format === "string") notes.push(schema.format);
  if (typeof schema.minimum === "number") notes.push(`≥ ${schema.minimum}`);
  if (typeof schema.maximum === "number") notes.push(`≤ ${schema.maximum}`);
  if (typeof schema.maxLength === "number") notes.push(`max ${schema.maxLength} chars`);
  if (typeof schema.maxItems === "number") notes.push(`max ${schema.maxItems} items`);
  return notes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The words for a route, as the diagram labels it and the steps table lists it: an error code,
 * "expired after 3d", a rule's name (or its condition), an outcome. Undefined for a plain `next`.
 */
export function routeLabel(edge: Edge, charter: Charter): string | undefined {
  const step = charter.steps[edge.from];
  switch (edge.kind) {
    case "next":
      // A child workflow's next is taken only when the child succeeded: say so, beside its outcomes.
      return step?.kind === "workflow" ? "child succeeded" : undefined;
    case "join":
      return undefined;
    case "accepted":
      return "accepted";
    case "review":
      return "not accepted";
    case "rule":
      return ruleOf(edge, step)?.name ?? ruleOf(edge, step)?.when ?? edge.label;
    case "default":
      return "otherwise";
    case "outcome":
      return edge.label === "default" ? "any other outcome" : edge.label;
    case "branch":
      return edge.label;
    case "error":
      return edge.label === "default" ? "any other error" : edge.label;
    case "expire":
      return step && "expire" in step && step.expire ? `expired after ${step.expire.after}` : "expired";
    case "timeout":
      return step?.kind === "wait" && step.timeout ? `timeout after ${step.timeout}` : "timeout";
    case "invalid":
      return "invalid input";
  }
}

/** The decision rule an edge comes from (its path is `steps.<id>.rules.<i>.goto`). */
export function ruleOf(edge: Edge, step: Step | undefined): StepOf<"decision">["rules"][number] | undefined {
  const index = edge.path?.[3];
  return step?.kind === "decision" && typeof index === "number" ? step.rules[index] : undefined;
}

/**
 * The parallel whose join an edge goes to, when it does: the last step of a branch carrying on,
 * implicitly or by a route written `continue`. (The graph resolves such an edge to the parallel's
 * `next`, which is where the run goes once every branch has joined.)
 */
export function joinOf(edge: Edge, charter: Charter, graph: CharterGraph): string | undefined {
  const membership = graph.branches.get(edge.from);
  if (membership === undefined || membership.position !== membership.list.length - 1) return undefined;
  const continues = edge.path === undefined || valueAt(charter, edge.path) === CONTINUE_TARGET;
  return continues ? membership.parallel : undefined;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const key of path) value = isRecord(value) || Array.isArray(value) ? (value as never)[key] : undefined;
  return value;
}

/** One line of the exception catalogue. `step` is undefined for the run's input. */
export interface ExceptionRoute {
  readonly step: string | undefined;
  /** The error code (or `default`), "expired", "timeout", "invalid input", ... */
  readonly when: string;
  /** True for an error code, shown as code. */
  readonly isCode: boolean;
  /** A step id, {@link EXCEPTION_TARGET} or {@link REJECT_TARGET}. */
  readonly target: string;
  /** Set when the route carries on to the join of this parallel rather than to `target` directly. */
  readonly join?: string;
  /** True when the charter does not write this route: it is what the engine does with the rest. */
  readonly implicit: boolean;
}

/** Every exception route, in step order: the written ones, then what happens to anything else. */
export function exceptionRoutes(charter: Charter, graph: CharterGraph): ExceptionRoute[] {
  const routes: ExceptionRoute[] = [];
  const onInvalid = charter.input?.on_invalid;
  if (onInvalid !== undefined)
    routes.push({
      step: undefined,
      when: "invalid input",
      isCode: false,
      target: onInvalid,
      implicit: false,
    });
  for (const id of graph.stepIds) {
    const step = charter.steps[id]!;
    for (const edge of graph.outgoing.get(id) ?? []) {
      if (!EXCEPTION_EDGE_KINDS.has(edge.kind)) continue;
      const join = joinOf(edge, charter, graph);
      routes.push({
        step: id,
        when: edge.kind === "error" ? (edge.label ?? "default") : routeLabel(edge, charter)!,
        isCode: edge.kind === "error",
        target: edge.to,
        implicit: false,
        ...(join === undefined ? {} : { join }),
      });
    }
    for (const rest of unroutedRest(step))
      routes.push({ step: id, ...rest, target: EXCEPTION_TARGET, implicit: true });
  }
  return routes;
}

/** What a step can fail with that no route of it catches (error codes, then words); none when all is routed. */
function unroutedRest(step: Step): { when: string; isCode: boolean }[] {
  const otherErrors = { when: "any other error", isCode: false };
  switch (step.kind) {
    case "action":
    case "ai":
    case "parallel":
      return step.on_error?.default === undefined ? [otherErrors] : [];
    case "workflow": {
      if (step.on_error?.default !== undefined) return [];
      // CHILD_FAILED is raised only by a child outcome no route takes: with outcomes.default, none is.
      const childFailed = step.outcomes?.default === undefined && step.on_error?.CHILD_FAILED === undefined;
      return childFailed ? [{ when: "CHILD_FAILED", isCode: true }, otherErrors] : [otherErrors];
    }
    default:
      return [];
  }
}

/** What an ai step's accepted output meets: the decisions and people, or an end it should not reach. */
export interface AiBoundary {
  /** Gates reached first from the accepted route, in breadth-first order. */
  readonly gates: readonly string[];
  /** Where a proposal that is not accepted goes (normally a person). */
  readonly review: string | undefined;
  /** Irreversible actions and success ends reached with no gate on the way, each with a shortest path. */
  readonly ungated: readonly UngatedPath[];
}

/**
 * One breadth-first search from the ai step's accepted route, the linter's own (gates.ts). A gate
 * stops the search on the routes it decides, but not on its expiry (an expired approval decided
 * nothing).
 */
export function aiBoundary(charter: Charter, graph: CharterGraph, id: string): AiBoundary {
  const step = charter.steps[id];
  const isTarget = (_: string, target: Step) => isIrreversibleAction(target) || isSuccessEnd(charter, target);
  const search = findUngatedPaths(charter, graph, [id], isTarget, (edge) => edge.kind === "accepted");
  return {
    gates: search.reached.filter((reached) => isGate(charter.steps[reached])),
    review: step?.kind === "ai" ? step.review : undefined,
    ungated: search.paths,
  };
}

