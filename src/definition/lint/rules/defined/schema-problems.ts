/**
 * The JSON Schema check that defined/input-schema and defined/json-schema share: a schema is compiled
 * as JSON Schema draft 2020-12, and each problem is found at its place in the schema, so that it can
 * be reported where it is written.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValuePath } from "../../../diagnostic.js";
import { closest, didYouMean } from "../../../suggest.js";
import { formatPath } from "../../../validate.js";

export interface SchemaProblem {
  readonly message: string;
  /** Inside the schema, from its root. */
  readonly path: ValuePath;
}

/** Ajv's warnings during one compile: unknown formats, which strict mode off would only log. */
let compileWarnings: string[] = [];
const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  logger: {
    log: () => undefined,
    warn: (...args: unknown[]) => void compileWarnings.push(args.map(String).join(" ")),
    error: () => undefined,
  },
});
addFormatsModule.default(ajv);
const KNOWN_FORMATS = Object.keys(ajv.formats);

/** Schemas repeat (the same form on many tasks): results by canonical text, bounded. */
const schemaProblemCache = new Map<string, readonly SchemaProblem[]>();
const SCHEMA_CACHE_SIZE = 500;
const MAX_PROBLEMS_PER_SCHEMA = 10;

export function schemaProblems(schema: Record<string, unknown>): readonly SchemaProblem[] {
  const key = JSON.stringify(schema);
  const cached = schemaProblemCache.get(key);
  if (cached) return cached;
  const problems = findSchemaProblems(schema).slice(0, MAX_PROBLEMS_PER_SCHEMA);
  if (schemaProblemCache.size >= SCHEMA_CACHE_SIZE) schemaProblemCache.clear();
  schemaProblemCache.set(key, problems);
  return problems;
}

function findSchemaProblems(schema: Record<string, unknown>): SchemaProblem[] {
  let valid: boolean;
  try {
    valid = ajv.validateSchema(schema) as boolean;
  } catch (error) {
    // An unknown `$schema` (draft-07, a URL) throws rather than reporting.
    return [{ message: compileMessage(error, schema), path: "$schema" in schema ? ["$schema"] : [] }];
  }
  if (!valid) return metaSchemaProblems(ajv.errors ?? [], schema);
  const id = typeof schema.$id === "string" ? schema.$id.replace(/#$/, "") : undefined;
  // Only the meta-schemas stay registered between compiles; a schema must not claim their ids.
  if (id !== undefined && (ajv.schemas[id] !== undefined || ajv.refs[id] !== undefined))
    return [
      {
        message: `$id "${id}" is taken by a JSON Schema meta-schema: give the schema its own $id`,
        path: ["$id"],
      },
    ];
  const registered = new Set(Object.keys(ajv.refs));
  compileWarnings = [];
  try {
    ajv.compile(schema);
  } catch (error) {
    return [{ message: compileMessage(error, schema), path: compileErrorPath(error, schema) }];
  } finally {
    // Ajv keeps compiled schemas and registers their $ids (nested ones too): forget them, so that
    // one charter's schemas never resolve or collide with another's.
    ajv.removeSchema(schema);
    for (const ref of Object.keys(ajv.refs)) if (!registered.has(ref)) delete ajv.refs[ref];
  }
  return formatProblems(schema);
}

function metaSchemaProblems(errors: readonly ErrorObject[], schema: unknown): SchemaProblem[] {
  const byPath = new Map<string, ErrorObject>();
  // anyOf failures report each alternative too; the first error at a place is the telling one.
  for (const error of errors) if (!byPath.has(error.instancePath)) byPath.set(error.instancePath, error);
  return [...byPath.values()].map((error) => {
    const path = pointerToPath(error.instancePath, schema);
    const where = path.length === 0 ? "the schema" : formatPath(path);
    if (error.keyword === "enum") {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const got = valueAt(schema, path);
      return {
        message: `${where} must be one of ${allowed.join(", ")}, got ${JSON.stringify(got)}.${didYouMean(String(got), allowed)}`,
        path,
      };
    }
    return { message: `${where} ${error.message ?? "is invalid"}`, path };
  });
}

function compileMessage(error: unknown, schema: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/^no schema with key or ref/.test(text))
    return `${text}; Charter reads JSON Schema draft 2020-12: remove $schema or set it to "https://json-schema.org/draft/2020-12/schema"`;
  const ref = /^can't resolve reference (\S+)/.exec(text)?.[1];
  if (ref !== undefined)
    return `${text}.${localRefHint(ref, schema) || ' A $ref must point inside the schema (e.g. "#/$defs/address").'}`;
  return text;
}

/** ` Did you mean "#/$defs/address"?` for a local `$ref` whose last name is misspelt. */
function localRefHint(ref: string, schema: unknown): string {
  const match = /^#((?:\/[^/]*)*)\/([^/]+)$/.exec(ref);
  if (!match) return "";
  const parent = valueAt(schema, pointerToPath(match[1]!, schema));
  if (typeof parent !== "object" || parent === null) return "";
  const name = closest(match[2]!.replace(/~1/g, "/").replace(/~0/g, "~"), Object.keys(parent));
  return name === undefined
    ? ""
    : ` Did you mean "#${match[1]}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}"?`;
}

/** Point a compile error at the `$ref` or `pattern` that caused it, when one can be found. */
function compileErrorPath(error: unknown, schema: unknown): ValuePath {
  const text = error instanceof Error ? error.message : "";
  const ref = /^can't resolve reference (\S+)/.exec(text)?.[1];
  if (ref !== undefined) return findInSchema(schema, (key, value) => key === "$ref" && value === ref) ?? [];
  if (/regular expression/i.test(text))
    return findInSchema(schema, (key, value) => key === "pattern" && !isValidPattern(value)) ?? [];
  return [];
}

function isValidPattern(value: unknown): boolean {
  if (typeof value !== "string") return true;
  try {
    new RegExp(value, "u");
    return true;
  } catch {
    return false;
  }
}

function formatProblems(schema: unknown): SchemaProblem[] {
  const problems = new Map<string, SchemaProblem>();
  for (const warning of compileWarnings) {
    const match = /unknown format "([^"]*)" ignored in schema at path "#([^"]*)"/.exec(warning);
    if (!match) continue;
    const [, format, pointer] = match;
    const path = [...pointerToPath(pointer!, schema), "format"];
    problems.set(formatPath(path), {
      message: `${formatPath(path)} "${format}" is not a known format, so it would not be checked.${didYouMean(format!, KNOWN_FORMATS)}`,
      path,
    });
  }
  return [...problems.values()];
}

/** A JSON Pointer into `root` as a value path (array indexes as numbers, so that positions resolve). */
function pointerToPath(pointer: string, root: unknown): ValuePath {
  const path: (string | number)[] = [];
  let value = root;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const key = Array.isArray(value) && /^\d+$/.test(segment) ? Number(segment) : segment;
    path.push(key);
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function valueAt(root: unknown, path: ValuePath): unknown {
  let value = root;
  for (const segment of path)
    value =
      typeof value === "object" && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

/** The path of the first `key: value` in a schema for which `test` holds (depth-first). */
function findInSchema(root: unknown, test: (key: string, value: unknown) => boolean): ValuePath | undefined {
  const stack: { value: unknown; path: ValuePath }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries) {
      if (typeof key === "string" && test(key, child)) return [...path, key];
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}
