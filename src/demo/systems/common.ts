/**
 * What the simulated systems share: deterministic ids, the two kinds of failure a real system
 * gives (a refusal that a retry cannot fix, and an outage that a retry may), and small readers for
 * the loosely typed inputs that charters map into handlers.
 */
import { createHash } from "node:crypto";
import { NonRetryableError } from "../../index.js";

/** `PREFIX-` and 8 upper-case hex characters of a SHA-256 of the parts: the same parts, the same id. */
export function stableId(prefix: string, ...parts: readonly unknown[]): string {
  const digest = createHash("sha256").update(JSON.stringify(parts), "utf8").digest("hex");
  return `${prefix}-${digest.slice(0, 8).toUpperCase()}`;
}

/** A refusal (unknown PO, blocked vendor): not retried; the step's `on_error` routes it by `code`. */
export function refuse(code: string, message: string, details?: Record<string, unknown>): never {
  throw new NonRetryableError(message, { code, ...(details ? { details } : {}) });
}

/** An outage (HTTP 503, a timeout): retried per the step's `retry`, then routed by `code`. */
export function outage(code: string, message: string): never {
  throw Object.assign(new Error(message), { code });
}

export type Fields = Readonly<Record<string, unknown>>;

/** The input as an object (an absent or odd input reads as empty). */
export function fields(value: unknown): Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : {};
}

export function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

/** A non-empty string, or undefined. */
export function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export function amount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Rounded to cents. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
