/**
 * Audit rows, the same for both stores: a record is chained here as it is written (each holds the
 * hash of the one before), from exactly the fields the table keeps, so that what is read back
 * hashes the same.
 */
import { chainAuditEntries } from "../../audit/chain.js";
import type { ChainHead } from "../../audit/chain.js";
import type { AuditEntry, CommandOf } from "../../engine/commands.js";
import type { ModelCall } from "../../engine/events.js";
import type { StoredAuditRecord } from "../store.js";
import { optional } from "./optional.js";
import type { AuditRow } from "./rows.js";

export function chainAudit(
  runId: string,
  head: ChainHead | undefined,
  command: CommandOf<"append-audit">,
): { row: AuditRow; head: ChainHead } {
  const [record] = chainAuditEntries(runId, head, [hashedContent(command)]) as StoredAuditRecord[];
  if (record === undefined) throw new Error("chainAuditEntries returned no record for one entry");
  return { row: toRow(record), head: { seq: record.seq, hash: record.hash } };
}

/**
 * Exactly the fields the table keeps, so that what is read back hashes the same. The model call is
 * part of the hashed content: a changed token count or model name is detected like a changed reason.
 */
function hashedContent(command: CommandOf<"append-audit">): AuditEntry & { call?: ModelCall } {
  const { entry, call } = command;
  return {
    actor: entry.actor,
    action: entry.action,
    ...optional("step", entry.step),
    ...optional("instance", entry.instance),
    ...optional("reason", entry.reason),
    ...optional("policy", entry.policy),
    ...optional("dataHash", entry.dataHash),
    at: entry.at,
    ...optional("details", entry.details),
    ...optional("call", call),
  };
}

function toRow(record: StoredAuditRecord): AuditRow {
  return {
    run_id: record.runId,
    seq: record.seq,
    prev_hash: record.prevHash,
    hash: record.hash,
    actor: record.actor,
    action: record.action,
    step: record.step ?? null,
    instance: record.instance ?? null,
    reason: record.reason ?? null,
    policy: record.policy ?? null,
    data_hash: record.dataHash ?? null,
    at: record.at,
    details: record.details === undefined ? null : JSON.stringify(record.details),
    call: record.call === undefined ? null : JSON.stringify(record.call),
  };
}

export function toAuditRecord(row: AuditRow): StoredAuditRecord {
  return {
    runId: row.run_id,
    seq: row.seq,
    prevHash: row.prev_hash,
    hash: row.hash,
    actor: row.actor,
    action: row.action,
    ...optional("step", row.step),
    ...optional("instance", row.instance),
    ...optional("reason", row.reason),
    ...optional("policy", row.policy),
    ...optional("dataHash", row.data_hash),
    at: row.at,
    ...optional("details", parseJson<Record<string, unknown>>(row.details)),
    ...optional("call", parseJson<ModelCall>(row.call)),
  };
}

function parseJson<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}
