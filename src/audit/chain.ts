/**
 * The audit trail of a run is append-only and hash-chained: each record holds the hash of the one
 * before it, and its own hash covers its content and that link. Editing a record changes its hash;
 * deleting or inserting one breaks a link or the sequence; truncating the tail leaves the chain
 * shorter than the head the run recorded. Pure: the store writes and reads the rows.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../docs/hash.js";
import type { AuditEntry } from "../engine/commands.js";

/** The `prevHash` of a run's first record. */
export const GENESIS_HASH = "0".repeat(64);

export interface AuditRecord extends AuditEntry {
  readonly runId: string;
  /** 1, 2, 3, ... per run, with no gap. */
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** The last record of a run's chain; the run keeps it so that a cut-off tail is detected. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export function hashAuditRecord(record: Omit<AuditRecord, "hash">): string {
  return createHash("sha256").update(canonicalJson(record), "utf8").digest("hex");
}

/** Chain new entries after `head` (undefined for a run's first records). */
export function chainAuditEntries(
  runId: string,
  head: ChainHead | undefined,
  entries: readonly AuditEntry[],
): AuditRecord[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return entries.map((entry) => {
    seq += 1;
    const unsigned = { ...entry, runId, seq, prevHash };
    const hash = hashAuditRecord(unsigned);
    prevHash = hash;
    return { ...unsigned, hash };
  });
}

export const CHAIN_PROBLEMS = {
  edited: "the record's content no longer matches its hash",
  deleted: "a record is missing: the sequence has a gap",
  inserted: "a record does not link to the one before it",
  truncated: "records are missing at the end: the chain is shorter than the run's recorded head",
  "wrong-run": "a record of another run is in this run's chain",
} as const;
export type ChainProblem = keyof typeof CHAIN_PROBLEMS;

export type ChainVerdict =
  | { readonly ok: true; readonly records: number }
  | { readonly ok: false; readonly seq: number; readonly problem: ChainProblem; readonly message: string };

/**
 * Check a run's records, in `seq` order as stored. `head` is what the run recorded as its last
 * record; without it, a truncated tail cannot be told from a short trail.
 */
export function verifyAuditChain(
  runId: string,
  records: readonly AuditRecord[],
  head?: ChainHead,
): ChainVerdict {
  const fail = (seq: number, problem: ChainProblem): ChainVerdict => ({
    ok: false,
    seq,
    problem,
    message: `run ${runId}, audit record ${seq}: ${CHAIN_PROBLEMS[problem]}`,
  });
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const record of records) {
    if (record.runId !== runId) return fail(record.seq, "wrong-run");
    if (record.seq > expectedSeq) return fail(expectedSeq, "deleted");
    if (record.seq < expectedSeq || record.prevHash !== prevHash) return fail(record.seq, "inserted");
    const { hash, ...unsigned } = record;
    if (hashAuditRecord(unsigned) !== hash) return fail(record.seq, "edited");
    prevHash = hash;
    expectedSeq += 1;
  }
  if (head && (head.seq !== expectedSeq - 1 || head.hash !== prevHash)) {
    return head.seq >= expectedSeq ? fail(expectedSeq, "truncated") : fail(head.seq, "inserted");
  }
  return { ok: true, records: records.length };
}
