/** End-to-end runs of the example charters, driven event by event. */
import { describe, expect, it } from "vitest";
import { loadExample, playScenario, RunDriver, DAY } from "../../test/helpers/engine.js";
import { startRun } from "./transition.js";

const INVOICE = loadExample("invoice-approval");
const TICKETS = loadExample("ticket-triage");

const INVOICE_INPUT = {
  vendorId: "V104233",
  entity: "US01",
  documentText: "INVOICE 2025-0042 Acme Supplies Ltd, total 4,800.00 USD",
  receivedAt: "2025-03-03T08:55:00Z",
  channel: "email",
};

const EXTRACTED = {
  vendorName: "Acme Supplies Ltd",
  number: "2025-0042",
  issueDate: "2025-03-01",
  currency: "USD",
  subtotal: 4000,
  tax: 800,
  total: 4800,
  lines: [{ description: "Widgets", amount: 4000 }],
  uncertainFields: [],
};

const MATCHED = {
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

describe("invoice-approval", () => {
  it("an invoice within a manager's authority is approved by a manager and paid; the initiator may not approve it", async () => {
    // A finance manager captured the invoice, so they may not approve it themselves.
    const run = await RunDriver.start(INVOICE, { input: INVOICE_INPUT, initiator: "user:daniel.okafor" });
    const answered = await playScenario(
      run,
      {
        extract: { propose: EXTRACTED, confidence: 0.96 },
        "match-po": { output: MATCHED },
      },
      { stopAt: ["approve-manager"] },
    );
    expect(answered).toEqual(["extract", "match-po"]);
    expect(run.instance("route").decision).toMatchObject({
      rule: "within manager authority",
      outcome: "approve-manager",
    });
    expect(run.audits("decision.made")[0]!.policy).toContain("Delegation of authority v4");

    const task = run.task("approve-manager");
    expect(task.excluded).toEqual(["user:daniel.okafor", "role:ap-clerk"]);
    const own = await run.decide("approve-manager", "user:daniel.okafor", "approved", {
      roles: ["finance-manager"],
      reason: "looks fine",
    });
    expect(own.refusal?.code).toBe("FORBIDDEN");
    expect(own.commands[0]).toMatchObject({
      type: "append-audit",
      entry: { action: "decision.refused", actor: "user:daniel.okafor" },
    });

    await playScenario(run, {
      "approve-manager": {
        by: "user:sofia.ricci",
        roles: ["finance-manager"],
        outcome: "approved",
        reason: "PO and receipt match",
      },
      "schedule-payment": { output: { paymentId: "PAY-77" } },
      "wait-payment": { event: "payment.executed", key: "PAY-77", data: { executedAt: "2025-04-15" } },
    });
    const payment = run.all("run-handler").find((c) => c.stepId === "schedule-payment")!;
    expect(payment).toMatchObject({
      idempotencyKey: "V104233-2025-0042",
      input: { documentId: "DOC-9", entity: "US01" },
    });
    expect(run.all("subscribe-event").at(-1)).toMatchObject({ name: "payment.executed", key: "PAY-77" });
    expect(run.state).toMatchObject({
      status: "completed",
      outcome: "paid",
      success: true,
      slaBreached: false,
    });
    expect(run.audits("approval.decided")[0]).toMatchObject({
      actor: "user:sofia.ricci",
      reason: "PO and receipt match",
    });
    expect(run.rehydrationChecks).toBeGreaterThan(5);
  });

  it("an unsure extraction is corrected by a clerk, and the correction is what is matched", async () => {
    const run = await RunDriver.start(INVOICE, { input: INVOICE_INPUT, initiator: "user:aisha.khan" });
    const corrected = {
      vendorName: "Acme",
      number: "42",
      issueDate: "2025-03-01",
      currency: "USD",
      subtotal: 10,
      tax: 2,
      total: 12,
    };
    await playScenario(
      run,
      {
        extract: { propose: { ...EXTRACTED, uncertainFields: ["total"] }, confidence: 0.97 },
        "review-extraction": {
          by: "user:tom.becker",
          roles: ["ap-clerk"],
          outcome: "corrected",
          data: corrected,
        },
        "match-po": [{ fail: "PO_NOT_FOUND" }, { output: MATCHED }],
        "request-po": { output: { requestId: "REQ-1" } },
        "wait-for-po": { event: "purchase-order.released", key: "REQ-1" },
      },
      { stopAt: ["approve-manager"] },
    );
    const matches = run.all("run-handler").filter((c) => c.stepId === "match-po");
    expect(matches.map((c) => c.instance)).toEqual(["root/match-po#1", "root/match-po#2"]);
    expect(matches[0]!.input).toMatchObject({ invoice: corrected, capturedBy: "user:aisha.khan" });
    expect(run.instance("approve-manager").excluded).toEqual([
      "user:aisha.khan",
      "user:tom.becker",
      "role:ap-clerk",
    ]);
  });

  it("an intake that fails the input schema starts at on_invalid instead", async () => {
    const run = await RunDriver.start(INVOICE, { input: { vendorId: "nope" } });
    expect(run.instance("request-missing-info").status).toBe("waiting");
    expect(run.audits("run.started")[0]!.details).toMatchObject({ field: "/documentText" });
  });

  it("an approval nobody decides escalates to the director, then stalls to the AP lead", async () => {
    const run = await RunDriver.start(INVOICE, { input: INVOICE_INPUT, initiator: "user:aisha.khan" });
    await playScenario(
      run,
      { extract: { propose: EXTRACTED, confidence: 0.99 }, "match-po": { output: MATCHED } },
      { stopAt: ["approve-manager"] },
    );
    await run.advance(1 * DAY);
    expect(run.all("update-task").at(-1)!.assignees).toEqual([
      "role:finance-manager",
      "role:finance-director",
    ]);
    await run.advance(2 * DAY);
    expect(run.instance("approve-manager").status).toBe("expired");
    expect(run.instance("stalled-approval").status).toBe("waiting");
  });
});

const TICKET_INPUT = {
  ticketId: "84512",
  channel: "email",
  customerEmail: "kim@example.com",
  subject: "How do I export invoices?",
  body: "Hi, where is the export button?",
  locale: "en-US",
  receivedAt: "2025-03-03T08:00:00Z",
  attachments: [
    { fileName: "screen.png", url: "https://files.example.com/1" },
    { fileName: "log.txt", url: "https://files.example.com/2" },
  ],
};

describe("ticket-triage", () => {
  it("a how-to ticket is classified, answered from a reviewed draft, and closed as resolved", async () => {
    const run = await RunDriver.start(TICKETS, { input: TICKET_INPUT, initiator: "user:helpdesk" });
    const answered = await playScenario(run, {
      "lookup-customer": { output: { tier: "business", accountName: "Kim Co", contactName: "Kim" } },
      "scan-attachment": { output: { clean: true } },
      classify: {
        propose: {
          category: "how-to",
          severity: "normal",
          sentiment: "neutral",
          language: "en",
          summary: "Export",
          entities: {},
        },
        confidence: 0.93,
      },
      "search-kb": { output: { articles: [{ id: "kb1", title: "Exports" }] } },
      "draft-reply": {
        propose: {
          reply: "Use Reports > Export.",
          resolution: "answered",
          citedArticles: ["kb1"],
          needsHumanAnswer: false,
        },
        confidence: 0.8,
      },
      "agent-review": {
        by: "user:jamie.li",
        roles: ["support-agent"],
        outcome: "send",
        data: { reply: "Use Reports > Export.", resolution: "answered" },
      },
      "send-reply": { output: { sent: true } },
      "close-solved": { output: {} },
    });
    expect(answered).toEqual([
      "lookup-customer",
      "scan-attachment",
      "scan-attachment",
      "classify",
      "search-kb",
      "draft-reply",
      "agent-review",
      "send-reply",
      "close-solved",
    ]);
    expect(run.instance("scan-attachments").output).toEqual([{ clean: true }, { clean: true }]);
    expect(run.task("agent-review").assignees).toEqual(["role:support-agent"]);
    expect(run.all("run-handler").find((c) => c.stepId === "send-reply")).toMatchObject({
      idempotencyKey: "ticket-84512-first-reply-run-1",
      input: { ticketId: "84512", body: "Use Reports > Export.", status: "solved" },
    });
    expect(run.instance("wait-confirmation")).toMatchObject({ status: "failed", error: { code: "TIMEOUT" } });
    expect(run.state).toMatchObject({ outcome: "resolved", success: true });
  });

  it("an infected attachment quarantines the ticket and hands it to security, cancelling the other scans", async () => {
    const run = await RunDriver.start(TICKETS, { input: TICKET_INPUT });
    await playScenario(run, {
      "lookup-customer": { output: { tier: "enterprise" } },
      "scan-attachment": [{ fail: "MALWARE_DETECTED", details: { signature: "EICAR" } }],
      "quarantine-ticket": { output: {} },
      "security-handoff": { output: { issue: "SEC-1" } },
    });
    expect(run.instances("scan-attachment").map((i) => i.status)).toEqual(["failed", "cancelled"]);
    expect(run.all("run-handler").find((c) => c.stepId === "quarantine-ticket")!.input).toMatchObject({
      scan: { code: "MALWARE_DETECTED", details: { signature: "EICAR" } },
    });
    expect(run.state).toMatchObject({ outcome: "handed-to-security", success: true });
  });

  it("a ticket whose input is invalid is refused, naming the field, and no run starts", async () => {
    const result = await startRun(
      TICKETS,
      "v1",
      {
        type: "run.started",
        runId: "run-2",
        initiator: "user:helpdesk",
        input: { ...TICKET_INPUT, customerEmail: "not-an-email" },
      },
      new Date("2025-03-03T09:00:00Z"),
    );
    expect(result.state).toBeUndefined();
    expect(result.commands).toEqual([]);
    expect(result.refusal).toMatchObject({ code: "INPUT_INVALID", field: "/customerEmail" });
  });
});
