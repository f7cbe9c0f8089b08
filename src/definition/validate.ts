/**
 * Schema validation: a plain value -> a Charter, or findings that name the field, what was expected
 * and, for a misspelt name, what was probably meant.
 */
import type { z } from "zod";
import type { Finding, ValuePath } from "./diagnostic.js";
import { lenientCharterSchema, STEP_KINDS } from "./schema.js";
import type { Charter } from "./schema.js";
import { didYouMean } from "./suggest.js";

export interface ValidationResult {
  charter: Charter | undefined;
  findings: Finding[];
}

export function validateCharterValue(value: unknown): ValidationResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      charter: undefined,
      findings: [
        {
          ruleId: "schema/invalid-type",
          message: `a charter is a mapping of fields (charter, workflow, steps, ...), got ${describeValue(value)}`,
          path: [],
        },
      ],
    };
  }
  const result = lenientCharterSchema.safeParse(value);
  if (result.success) return { charter: result.data, findings: [] };
  const findings = result.error.issues.flatMap((issue) => describeIssue(issue, value));
  return { charter: withoutUnknownFields(value, result.error.issues), findings };
}

/**
 * When unknown fields are the only problem, the charter without them, so that the lint rules still
 * report every other gap in the same pass. The findings keep it from being deployed or documented.
 */
function withoutUnknownFields(value: object, issues: readonly Issue[]): Charter | undefined {
  if (!issues.every((issue) => issue.code === "unrecognized_keys")) return undefined;
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const issue of issues) {
    const holder = valueAt(copy, issue.path as (string | number)[]) as Record<string, unknown> | undefined;
    if (holder && issue.code === "unrecognized_keys") for (const key of issue.keys) delete holder[key];
  }
  const again = lenientCharterSchema.safeParse(copy);
  return again.success ? again.data : undefined;
}

type Issue = z.core.$ZodIssue;

/** A mapping given as text lists the fields it expects, up to this many (a step has too many). */
const MAX_KEYS_LISTED = 8;

function describeIssue(issue: Issue, root: unknown): Finding[] {
  const path = issue.path as (string | number)[];
  const where = formatPath(path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeysAt(path, root);
      return issue.keys.map((key) => ({
        ruleId: "schema/unknown-field",
        message: `unknown field "${key}" in ${where || "the charter"}.${didYouMean(key, allowed)}${
          allowed.length > 0 && !didYouMean(key, allowed) ? ` Expected one of: ${allowed.join(", ")}.` : ""
        }`,
        path: [...path, key],
        atKey: true,
      }));
    }
    case "invalid_type": {
      const actual = valueAt(root, path);
      if (actual === undefined) {
        return [
          {
            ruleId: "schema/missing-field",
            message: `missing field "${where}"${kindNote(path, root)}`,
            path: path.slice(0, -1),
            atKey: true,
          },
        ];
      }
      // A mapping given as something else: name the fields it holds, when there are few.
      const keys = issue.expected === "object" ? allowedKeysAt(path, root) : [];
      const expected =
        keys.length > 0 && keys.length <= MAX_KEYS_LISTED
          ? `a mapping with: ${keys.join(", ")};`
          : `${article(issue.expected)},`;
      return [
        {
          ruleId: "schema/invalid-type",
          message: `"${where}" must be ${expected} got ${describeValue(actual)}`,
          path,
        },
      ];
    }
    case "invalid_union": {
      if ("discriminator" in issue && issue.discriminator === "kind") {
        const kind = valueAt(root, path);
        const message =
          kind === undefined
            ? `missing field "${where}": a step needs a kind (${STEP_KINDS.join(", ")})`
            : `unknown step kind ${JSON.stringify(kind)} at "${where}".${didYouMean(String(kind), STEP_KINDS)} Expected one of: ${STEP_KINDS.join(", ")}.`;
        return [
          {
            ruleId: kind === undefined ? "schema/missing-field" : "schema/unknown-kind",
            message,
            path: kind === undefined ? path.slice(0, -1) : path,
          },
        ];
      }
      return [{ ruleId: "schema/invalid-value", message: `"${where}": ${issue.message}`, path }];
    }
    case "invalid_key": {
      const inner = issue.issues[0]?.message ?? issue.message;
      return [
        {
          ruleId: "schema/invalid-value",
          message: `invalid name "${String(path.at(-1))}": ${inner}`,
          path,
          atKey: true,
        },
      ];
    }
    case "invalid_value":
      return [
        {
          ruleId: "schema/invalid-value",
          message: `"${where}" must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${describeValue(valueAt(root, path))}`,
          path,
        },
      ];
    case "too_small":
      return [{ ruleId: "schema/invalid-value", message: `"${where}": ${tooSmallMessage(issue)}`, path }];
    default:
      return [{ ruleId: "schema/invalid-value", message: `"${where}": ${lowerFirst(issue.message)}`, path }];
  }
}

function tooSmallMessage(issue: Extract<Issue, { code: "too_small" }>): string {
  if (issue.origin === "array")
    return `must list at least ${String(issue.minimum)} item${issue.minimum === 1 ? "" : "s"}`;
  if (issue.origin === "string") return "cannot be empty";
  return `must be at least ${String(issue.minimum)}`;
}

/** For a missing field inside a step, say which kind of step it is: the required fields differ. */
function kindNote(path: ValuePath, root: unknown): string {
  if (path[0] !== "steps" || path.length < 3) return "";
  const step = valueAt(root, path.slice(0, 2)) as { kind?: unknown } | undefined;
  return typeof step?.kind === "string" ? ` (required on ${article(step.kind)} step)` : "";
}

export function formatPath(path: ValuePath): string {
  return path
    .map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join("");
}

function valueAt(root: unknown, path: ValuePath): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  return `${typeof value} ${String(value)}`;
}

function article(expected: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    record: "a mapping",
    array: "a list",
    string: "a text",
    number: "a number",
    boolean: "true or false",
  };
  return names[expected] ?? (/^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The field names the schema allows at `path`, following step kinds through the discriminated union. */
function allowedKeysAt(path: ValuePath, root: unknown): string[] {
  let schema: SchemaNode | undefined = lenientCharterSchema as unknown as SchemaNode;
  for (let i = 0; i <= path.length && schema; i++) {
    schema = unwrap(schema, valueAt(root, path.slice(0, i)));
    if (i === path.length) break;
    const segment = path[i]!;
    const def = schema?.def;
    if (!def) return [];
    if (def.type === "object") schema = def.shape?.[String(segment)];
    else if (def.type === "record") schema = def.valueType;
    else if (def.type === "array") schema = def.element;
    else return [];
  }
  const shape = schema?.def.type === "object" ? schema.def.shape : undefined;
  return shape ? Object.keys(shape).filter((key) => key !== "$schema") : [];
}

interface SchemaNode {
  def: {
    type: string;
    shape?: Record<string, SchemaNode>;
    valueType?: SchemaNode;
    element?: SchemaNode;
    innerType?: SchemaNode;
    in?: SchemaNode;
    options?: SchemaNode[];
    discriminator?: string;
  };
}

function unwrap(schema: SchemaNode, value: unknown): SchemaNode | undefined {
  let current: SchemaNode | undefined = schema;
  while (current) {
    const def: SchemaNode["def"] = current.def;
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else if (def.type === "union" && def.options) {
      const discriminator = def.discriminator;
      const tag =
        discriminator && typeof value === "object" && value !== null
          ? (value as Record<string, unknown>)[discriminator]
          : undefined;
      current = def.options.find(
        (option) => option.def.shape?.[discriminator ?? ""]?.def && literalOf(option, discriminator) === tag,
      );
      if (!current) return undefined;
    } else return current;
  }
  return current;
}

function literalOf(option: SchemaNode, discriminator: string | undefined): unknown {
  const field = option.def.shape?.[discriminator ?? ""] as unknown as
    { def: { values?: unknown[] } } | undefined;
  return field?.def.values?.[0];
}
