/**
 * The invoice-approval example on the real runtime: the offline provider extracts, handlers stand in
 * for the ERP and the bank, the initiator is refused when approving their own invoice, another
 * manager approves, the bank's confirmation event ends the run as paid, and the audit chain holds
 * until a record is edited in the database file.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, example, exampleDirectory, openEngine } from "../../test/helpers/runtime.js";
import { createOfflineProvider } from "../ai/offline-provider.js";
import { isCharterError } from "../errors.js";
import { defineAction } from "./handlers.js";

afterEach(closeAll);

const INVOICE = example("invoice-approval");

const INPUT = {
  vendorId: "V104233",
  entity: "US01",
  documentText: "INVOICE 2025-0042 Acme Supplies Ltd, total 4,800.00 USD",
  receivedAt: "2025-03-03T08:55:00Z",
  channel: "email",
};

function erpAndBank(effects: string[]) {
  return [
    defineAction({
      name: "erp.matchPurchaseOrder",
      run: async (input: { vendorId: string; capturedBy: string }) => {
        effects.push(`erp.match ${input.vendorId} by ${input.capturedBy}`);
        return {
          matched: true,
          withinTolerance: true,
          duplicate: false,
          bankDetailsMatch: true,
          receiptPosted: true,
          amountInCompanyCurrency: 4800,
          invoiceNumber: "2025-0042",
          documentId: "DOC-9",
          poNumber: "4500001234",
          buyerId: "bea",
        };
      },
    }),
    defineAction({
      name: "bank.schedulePayment",
      run: async (input: { documentId: string }, { idempotencyKey }) => {
        effects.push(`bank.schedule ${input.documentId} key ${idempotencyKey}`);
        return { paymentId: "PAY-77" };
      },
    }),
    ...["procurement.requestRetrospectivePo", "security.reportPaymentFraud", "email.sendVendorNotice"].map(
      (name) => defineAction({ name, run: async () => ({}) }),
    ),
  ];
}

describe("invoice-approval on the runtime", () => {
  it("the initiator may not approve; another manager does; the payment is confirmed; the audit chain verifies", async () => {
    const effects: string[] = [];
    const t = openEngine({
      handlers: erpAndBank(effects),
      models: createOfflineProvider({ confidence: 0.95 }),
      directory: exampleDirectory(),
    });
    await t.engine.deploy(INVOICE.charter, INVOICE.source);
    // A finance manager captured the invoice, so they may not approve it themselves.
    const { runId } = await t.engine.start("invoice-approval", { input: INPUT, as: "user:daniel.okafor" });
    await t.engine.runUntilIdle();

    const extract = (await t.engine.getRun(runId))!.state.steps["root/extract#1"]!;
    expect(extract).toMatchObject({
      status: "succeeded",
      confidence: 0.95,
      decision: { outcome: "accepted" },
    });
    const proposal = (await t.engine.timeline(runId)).find((e) => e.what === "ai.proposed");
    expect(proposal).toMatchObject({ actor: "ai:offline", step: "extract" });

    const inbox = await t.engine.listTasks({ as: "user:sofia.ricci" });
    expect(inbox.items.map((task) => task.command.stepId)).toEqual(["approve-manager"]);
    const taskId = inbox.items[0]!.taskId;
    // Daniel holds the role, but not_by: [initiator] takes the task out of his inbox and refuses him.
    expect((await t.engine.listTasks({ as: "user:daniel.okafor" })).items).toEqual([]);
    const refused = await t.engine
      .decide(taskId, { as: "user:daniel.okafor", outcome: "approved", reason: "looks fine" })
      .catch((e: unknown) => e);
    expect(isCharterError(refused) && refused.code).toBe("FORBIDDEN");

    await t.engine.decide(taskId, {
      as: "user:sofia.ricci",
      outcome: "approved",
      reason: "PO and receipt match",
    });
    await t.engine.runUntilIdle();
    expect(effects).toEqual([
      "erp.match V104233 by user:daniel.okafor",
      "bank.schedule DOC-9 key V104233-2025-0042",
    ]);
    expect((await t.engine.getRun(runId))!.state.status).toBe("running");
    expect(
      await t.engine.sendEvent("payment.executed", { key: "PAY-77", data: { executedAt: "2025-04-15" } }),
    ).toEqual({
      delivered: 1,
    });
    expect((await t.engine.getRun(runId))!.state).toMatchObject({
      status: "completed",
      outcome: "paid",
      success: true,
    });

    const trail = await t.store.auditTrail(runId);
    expect(trail.find((r) => r.action === "decision.refused")).toMatchObject({ actor: "user:daniel.okafor" });
    expect(trail.find((r) => r.action === "approval.decided")).toMatchObject({
      actor: "user:sofia.ricci",
      reason: "PO and receipt match",
    });
    const call = trail.find((r) => r.action === "ai.proposed")?.call;
    expect(call).toMatchObject({ provider: "offline", model: "offline", latencyMs: 0 });
    expect(call?.instructionsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await t.engine.verifyAudit(runId)).toEqual([
      { runId, verdict: { ok: true, records: trail.length } },
    ]);

    // Someone with the file changes who approved: the chain no longer verifies.
    const approval = trail.find((r) => r.action === "approval.decided")!;
    const db = new Database(t.file);
    try {
      db.exec("DROP TRIGGER audit_no_update");
      db.prepare("UPDATE audit SET actor = ? WHERE run_id = ? AND seq = ?").run(
        "user:marcus.webb",
        runId,
        approval.seq,
      );
    } finally {
      db.close();
    }
    const [after] = await t.engine.verifyAudit();
    expect(after).toEqual({
      runId,
      verdict: expect.objectContaining({ ok: false, seq: approval.seq, problem: "edited" }),
    });
  });
});
