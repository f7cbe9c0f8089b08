import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../engine/commands.js";
import type { AuditRecord } from "./chain.js";
import { chainAuditEntries, GENESIS_HASH, verifyAuditChain } from "./chain.js";

const entry = (action: string, actor = "system", reason?: string): AuditEntry => ({
  actor,
  action,
  at: "2026-11-28T10:00:00.000Z",
  ...(reason ? { reason } : {}),
});

function trail(): AuditRecord[] {
  const first = chainAuditEntries("run-1", undefined, [
    entry("run.started", "user:ivan"),
    entry("step.succeeded"),
  ]);
  const head = { seq: first.at(-1)!.seq, hash: first.at(-1)!.hash };
  const second = chainAuditEntries("run-1", head, [
    entry("approval.decided", "user:fiona", "within budget"),
    entry("run.completed"),
  ]);
  return [...first, ...second];
}

const headOf = (records: readonly AuditRecord[]) => ({
  seq: records.at(-1)!.seq,
  hash: records.at(-1)!.hash,
});

describe("the audit chain", () => {
  it("links records across appends and verifies", () => {
    const records = trail();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    expect(records[2]!.prevHash).toBe(records[1]!.hash);
    expect(verifyAuditChain("run-1", records, headOf(records))).toEqual({ ok: true, records: 4 });
  });

  it("detects an edited record", () => {
    const records = trail();
    records[2] = { ...records[2]!, reason: "i changed my mind" };
    expect(verifyAuditChain("run-1", records, headOf(trail()))).toMatchObject({
      ok: false,
      seq: 3,
      problem: "edited",
    });
  });

  it("detects an edited record even when its hash is recomputed, by the broken link after it", () => {
    const records = trail();
    const { hash: _old, ...unsigned } = { ...records[1]!, actor: "user:mallory" };
    const [forged] = chainAuditEntries("run-1", { seq: 1, hash: records[0]!.hash }, [
      { actor: unsigned.actor, action: unsigned.action, at: unsigned.at },
    ]);
    records[1] = forged!;
    expect(verifyAuditChain("run-1", records, headOf(trail()))).toMatchObject({
      ok: false,
      seq: 3,
      problem: "inserted",
    });
  });

  it("detects a deleted record in the middle", () => {
    const records = trail();
    records.splice(1, 1);
    expect(verifyAuditChain("run-1", records, headOf(trail()))).toMatchObject({
      ok: false,
      seq: 2,
      problem: "deleted",
    });
  });

  it("detects a deleted last record through the run's recorded head", () => {
    const full = trail();
    const records = full.slice(0, -1);
    expect(verifyAuditChain("run-1", records)).toEqual({ ok: true, records: 3 });
    expect(verifyAuditChain("run-1", records, headOf(full))).toMatchObject({
      ok: false,
      seq: 4,
      problem: "truncated",
    });
  });

  it("detects an inserted record", () => {
    const records = trail();
    const [extra] = chainAuditEntries("run-1", { seq: 2, hash: records[1]!.hash }, [
      entry("approval.decided", "user:mallory"),
    ]);
    records.splice(2, 0, extra!);
    expect(verifyAuditChain("run-1", records, headOf(trail()))).toMatchObject({
      ok: false,
      seq: 3,
      problem: "inserted",
    });
  });

  it("detects a record of another run", () => {
    const records = trail();
    records[1] = { ...records[1]!, runId: "run-2" };
    const verdict = verifyAuditChain("run-1", records);
    expect(verdict).toMatchObject({ ok: false, problem: "wrong-run" });
    expect(verdict.ok === false && verdict.message).toBe(
      "run run-1, audit record 2: a record of another run is in this run's chain",
    );
  });
});
