/**
 * The field tables of docs/language.md, generated from the zod schema so that the reference lists
 * exactly the fields the validator accepts, with the same required/optional split as the editor schema.
 */
import { z } from "zod";
import { charterSchema } from "../definition/schema.js";

interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

interface Section {
  title: string;
  rows: FieldRow[];
}

type AnySchema = z.ZodType;

/** Replace the text between `<!-- BEGIN:name -->` and `<!-- END:name -->` in a hand-written page. */
export function replaceBetweenMarkers(page: string, name: string, content: string): string {
  const begin = `<!-- BEGIN:${name} -->`;
  const end = `<!-- END:${name} -->`;
  const from = page.indexOf(begin);
  const to = page.indexOf(end);
  if (from === -1 || to < from) throw new Error(`markers ${begin} ... ${end} not found`);
  return `${page.slice(0, from + begin.length)}\n${content}\n${page.slice(to)}`;
}

/** Walk the language: the charter, then each step kind, then the nested objects, in that order. */
export function renderLanguageFields(): string {
  const sections: Section[] = [];
  const seen = new Set<AnySchema>();
  const queue: [string, AnySchema][] = [["Charter (top level)", charterSchema]];
  while (queue.length > 0) {
    const [title, schema] = queue.shift()!;
    const object = asObject(schema);
    if (!object || seen.has(object)) continue;
    seen.add(object);
    const rows: FieldRow[] = [];
    for (const [name, field] of Object.entries(object.shape as Record<string, AnySchema>)) {
      if (name === "$schema") continue;
      rows.push({
        name,
        type: typeName(field),
        required: !field.safeParse(undefined).success,
        description: describe(field),
      });
      for (const [childTitle, child] of nestedObjects(
        `${title === "Charter (top level)" ? "" : `${title} › `}${name}`,
        field,
      )) {
        queue.push([childTitle, child]);
      }
    }
    sections.push({ title, rows });
  }
  return sections.map(renderSection).join("\n");
}

function renderSection(section: Section): string {
  const rows = section.rows.map(
    (r) => `| \`${r.name}\` | ${escape(r.type)} | ${r.required ? "yes" : ""} | ${escape(r.description)} |`,
  );
  return [
    `### ${section.title}`,
    "",
    "| field | type | required | meaning |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

function escape(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = current.def as { type: string; innerType?: AnySchema; in?: AnySchema };
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

function asObject(schema: AnySchema): z.ZodObject | undefined {
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? inner : undefined;
}

function describe(schema: AnySchema): string {
  let current: AnySchema | undefined = schema;
  while (current) {
    const meta = z.globalRegistry.get(current) as { description?: string } | undefined;
    if (meta?.description) return meta.description;
    const def = current.def as { innerType?: AnySchema };
    current = def.innerType;
  }
  return "";
}

/** Object schemas inside a field (directly, in a list, in a mapping, or per step kind). */
function nestedObjects(title: string, field: AnySchema): [string, AnySchema][] {
  const inner = unwrap(field);
  const def = inner.def as {
    type: string;
    element?: AnySchema;
    valueType?: AnySchema;
    options?: AnySchema[];
    discriminator?: string;
  };
  if (def.type === "object") return [[title, inner]];
  if (def.type === "array" && def.element) return nestedObjects(title, def.element);
  if (def.type === "record" && def.valueType) return nestedObjects(`${title} › <id>`, def.valueType);
  if (def.type === "union" && def.options && def.discriminator) {
    return def.options.map((option): [string, AnySchema] => {
      const shape = (asObject(option)?.shape ?? {}) as Record<string, AnySchema>;
      const tag = (unwrap(shape[def.discriminator!]!).def as { values?: unknown[] }).values?.[0];
      return [`Step kind \`${String(tag)}\``, option];
    });
  }
  return [];
}

function typeName(schema: AnySchema): string {
  const inner = unwrap(schema);
  const def = inner.def as {
    type: string;
    element?: AnySchema;
    valueType?: AnySchema;
    values?: unknown[];
    entries?: Record<string, unknown>;
    options?: AnySchema[];
  };
  switch (def.type) {
    case "string": {
      const description = describe(schema);
      if (/\bduration\b/i.test(description)) return "duration";
      if (description.startsWith("Who may act") || description.startsWith("Who is added"))
        return "actor or expression";
      if (description.startsWith("Who is accountable")) return "actor";
      if (/^(A step id|The (human )?step (that|to)|Where the run goes|The first step)\b/.test(description))
        return "step id";
      return /JSONata (expression|condition)/.test(description) ? "expression" : "text";
    }
    case "number":
      return "number";
    case "boolean":
      return "true / false";
    case "literal":
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(" or ");
    case "enum":
      return Object.values(def.entries ?? {})
        .map((v) => `\`${String(v)}\``)
        .join(" / ");
    case "array":
      return `list of ${def.element ? typeName(def.element) : "items"}`;
    case "record":
      return `mapping of ${def.valueType ? typeName(def.valueType) : "values"}`;
    case "object":
      return "mapping";
    case "union":
      return "step (see kinds)";
    default:
      return def.type;
  }
}
