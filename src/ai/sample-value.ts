/**
 * A value that satisfies a JSON Schema, built deterministically: what the offline provider answers.
 * Input fields whose names match a property are copied when they fit; everything else gets a typed
 * default (`const`, `default`, the first `enum` value or example, else the simplest value of the
 * type that meets its bounds, formats and patterns). Nullable fields are null: a careful model says
 * "absent" rather than guess.
 */
import { samplePattern } from "./pattern-sample.js";

type Schema = Readonly<Record<string, unknown>>;

export interface SampleOptions {
  /** Checks a candidate against a sub-schema (the provider compiles it with Ajv). */
  readonly fits: (schema: Schema, value: unknown) => boolean;
}

export function sampleValue(schema: unknown, input: unknown, options: SampleOptions, depth = 0): unknown {
  if (!isSchema(schema) || depth > 32) return null;
  if ("const" in schema) return schema.const;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  const branch = [schema.oneOf, schema.anyOf].find((b): b is unknown[] => Array.isArray(b) && b.length > 0);
  if (branch) return sampleValue(branch[0], input, options, depth + 1);
  return byType(schema, input, options, depth);
}

function byType(schema: Schema, input: unknown, options: SampleOptions, depth: number): unknown {
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  if (types.includes("null")) return null;
  switch (types[0] ?? (schema.properties ? "object" : undefined)) {
    case "object":
      return sampleObject(schema, input, options, depth);
    case "array":
      return sampleArray(schema, options, depth);
    case "string":
      return sampleString(schema);
    case "number":
    case "integer":
      return sampleNumber(schema, types[0] === "integer");
    case "boolean":
      return false;
    default:
      return null;
  }
}

function sampleObject(schema: Schema, input: unknown, options: SampleOptions, depth: number): unknown {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const given = isSchema(input) ? input : {};
  const out: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(properties)) {
    const match = given[name];
    if (match !== undefined && isSchema(sub) && options.fits(sub, match)) out[name] = match;
    else if (required.includes(name)) out[name] = sampleValue(sub, undefined, options, depth + 1);
  }
  for (const name of required) if (!(name in out)) out[name] = given[name] ?? null;
  return out;
}

function sampleArray(schema: Schema, options: SampleOptions, depth: number): unknown[] {
  const count = typeof schema.minItems === "number" ? schema.minItems : 0;
  return Array.from({ length: count }, () => sampleValue(schema.items, undefined, options, depth + 1));
}

const FORMATS: Record<string, string> = {
  date: "1970-01-01",
  "date-time": "1970-01-01T00:00:00Z",
  time: "00:00:00Z",
  email: "someone@example.com",
  uri: "https://example.com/",
  "uri-reference": "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  hostname: "example.com",
  ipv4: "192.0.2.1",
};

function sampleString(schema: Schema): string {
  const format = typeof schema.format === "string" ? FORMATS[schema.format] : undefined;
  if (format !== undefined) return format;
  if (typeof schema.pattern === "string") {
    const sample = samplePattern(schema.pattern);
    if (sample !== undefined) return sample;
  }
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  return "x".repeat(min);
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const num = (key: string) => (typeof schema[key] === "number" ? (schema[key] as number) : undefined);
  const exclusive = num("exclusiveMinimum");
  let value = num("minimum") ?? (exclusive === undefined ? 0 : exclusive + (integer ? 1 : 0.01));
  const max = num("maximum");
  if (max !== undefined && value > max) value = max;
  return integer ? Math.ceil(value) : value;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
