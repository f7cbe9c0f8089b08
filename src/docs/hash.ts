/**
 * The content hash of a charter version: what docs show and what every run records.
 *
 * It hashes the validated charter (defaults filled in), not the text: the same definition written in
 * YAML or JSON, with other key order, layout or comments, has the same hash, and any change of value
 * gives another. Mapping key order is not part of the definition; array order (rules, branches) is.
 */
import { createHash } from "node:crypto";
import type { Charter } from "../definition/schema.js";

/** Length of the short form shown in tables: 48 bits, enough to tell versions apart by eye. */
export const SHORT_HASH_LENGTH = 12;

/** SHA-256 (lowercase hex, 64 characters) of the charter's canonical JSON. `$schema` is ignored. */
export function charterHash(charter: Charter): string {
  const { $schema: _editorHint, ...definition } = charter;
  return createHash("sha256").update(canonicalJson(definition), "utf8").digest("hex");
}

/** The first {@link SHORT_HASH_LENGTH} characters of a hash, for display. */
export function shortHash(hash: string): string {
  return hash.slice(0, SHORT_HASH_LENGTH);
}

/**
 * JSON with object keys sorted (by UTF-16 code unit, as `Array.prototype.sort` does) at every level,
 * no whitespace, and keys whose value is `undefined` left out, as if they were absent. Values that
 * JSON cannot hold are written as bare tokens (`NaN`, `Infinity`) so that they never collide with
 * `null` or a string: the text is hashed, never parsed back.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : String(value);
    case "object":
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    default:
      // undefined (in an array), functions, symbols, bigints: a charter parsed from text has none.
      throw new TypeError(`cannot hash a ${typeof value} value`);
  }
}

function canonicalArray(items: readonly unknown[]): string {
  return `[${items.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
}

function canonicalObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`).join(",")}}`;
}
