/**
 * Names derived from the schema name. The schema may be any text, so it is always quoted as an
 * identifier; the advisory lock key and the notice channel are hashes of it, so they are the same in
 * every process that uses the same schema and never need quoting rules of their own.
 */
import { createHash } from "node:crypto";

/** `name` as a quoted SQL identifier: `Charter "Ops"-1` becomes `"Charter ""Ops""-1"`. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** The `pg_advisory_xact_lock` key that serialises migrations of one schema, as int8 text. */
export function migrationLockKey(schema: string): string {
  return digest(`charter:migrate:${schema}`).readBigInt64BE(0).toString();
}

/** The LISTEN/NOTIFY channel of one schema: a plain identifier well under the 63-byte limit. */
export function noticeChannel(schema: string): string {
  return `charter_${digest(`charter:notice:${schema}`).subarray(0, 8).toString("hex")}`;
}
