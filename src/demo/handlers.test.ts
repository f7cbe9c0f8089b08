/**
 * The simulated systems: a handler for every name the example charters use, refusals and outages
 * with the codes the charters route, the bank's idempotency, and the demo model's readings.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ActionContext, ActionHandler } from "../index.js";
import { isNonRetryableError } from "../index.js";
import { handlers } from "./handlers.js";
import { createDemoModels, extractInvoice } from "./models.js";
import { demoSamples } from "./samples.js";
import { paymentIdFor, scheduledPayments } from "./systems/finance.js";

const EXAMPLES = new URL("../../examples/", import.meta.url);

function context(overrides: Partial<ActionContext> = {}): ActionContext {
  return {
    idempotencyKey: "run_1:root/step#1",
    attempt: 1,
    runId: "run_1",
    stepId: "step",
    signal: new AbortController().signal,
    ...overrides,
  };
}

function handler(name: string): ActionHandler {
  const found = handlers.find((h) => h.name === name);
  if (!found) throw new Error(`no handler ${name}`);
  return found;
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code?: string; retryable: boolean; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error("expected the handler to fail");
  return {
    code: (error as { code?: string }).code,
    retryable: !isNonRetryableError(error),
    message: error.message,
  };
}

describe("the demo's handlers", () => {
  it("cover every handler name of the example charters, each once", () => {
    const used = new Set<string>();
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml")))
      for (const m of readFileSync(new URL(file, EXAMPLES), "utf8").matchAll(/^\s*handler: ([\w.]+)$/gm))
        used.add(m[1]!);
    const names = handlers.map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual([...used].sort());
  });

  describe("ERP: erp.matchPurchaseOrder", () => {
    const match = (input: Record<string, unknown>) =>
      handler("erp.matchPurchaseOrder").run(
        { vendorId: "V100452", entity: "GB01", invoice: {}, ...input },
        context(),
      );

    it("matches an invoice to its PO", async () => {
      expect(
        await match({ poNumber: "4500012345", invoice: { number: "NW-1", total: 540, currency: "GBP" } }),
      ).toMatchObject({
        matched: true,
        withinTolerance: true,
        duplicate: false,
        receiptPosted: true,
        amountInCompanyCurrency: 540,
        invoiceNumber: "NW-1",
        poNumber: "4500012345",
        buyerId: "lucas.meyer",
      });
    });

    it("refuses with PO_NOT_FOUND when the invoice names no PO, or one of another vendor", async () => {
      expect(await failure(match({}))).toMatchObject({ code: "PO_NOT_FOUND", retryable: false });
      expect(await failure(match({ poNumber: "4500012388" }))).toMatchObject({
        code: "PO_NOT_FOUND",
        retryable: false,
      });
    });

    it("refuses a blocked vendor with VENDOR_BLOCKED", async () => {
      expect(await failure(match({ vendorId: "V108800", poNumber: "4500012455" }))).toMatchObject({
        code: "VENDOR_BLOCKED",
        retryable: false,
      });
    });

    it("flags a duplicate, a price over tolerance and changed bank details", async () => {
      expect(
        await match({
          poNumber: "4500012345",
          invoice: { number: "NW-58001", total: 600, currency: "GBP", bankAccount: "GB00OTHER" },
        }),
      ).toMatchObject({ duplicate: true, withinTolerance: false, bankDetailsMatch: false });
    });
  });

  describe("bank: bank.schedulePayment", () => {
    it("is idempotent by the idempotency key: a retried call returns the same payment", async () => {
      const schedule = handler("bank.schedulePayment");
      const before = scheduledPayments();
      const input = { documentId: "AP-US01-V104233-INV-9", entity: "US01" };
      const first = await schedule.run(input, context({ idempotencyKey: "V104233-INV-9" }));
      const again = await schedule.run(input, context({ idempotencyKey: "V104233-INV-9", attempt: 2 }));
      expect(first).toEqual(again);
      expect(first).toMatchObject({ paymentId: paymentIdFor("V104233-INV-9"), status: "scheduled" });
      expect(scheduledPayments()).toBe(before + 1);
      const other = await schedule.run(input, context({ idempotencyKey: "V104233-INV-10" }));
      expect(other).not.toMatchObject({ paymentId: (first as { paymentId: string }).paymentId });
    });

    it("fails with a retryable BANK_UNAVAILABLE for a payee whose bank is down, until an operator's retry", async () => {
      const schedule = handler("bank.schedulePayment");
      const input = { documentId: "AP-US01-V109001-MPP-1", entity: "US01" };
      for (const attempt of [1, 2, 3])
        expect(
          await failure(schedule.run(input, context({ idempotencyKey: "V109001-MPP-1", attempt }))),
        ).toMatchObject({
          code: "BANK_UNAVAILABLE",
          retryable: true,
        });
      expect(
        await schedule.run(input, context({ idempotencyKey: "V109001-MPP-1", attempt: 4 })),
      ).toMatchObject({
        status: "scheduled",
      });
    });
  });

  it("route the other failures the charters name", async () => {
    expect(
      await failure(handler("crm.lookupCustomer").run({ email: "who@nowhere.example" }, context())),
    ).toMatchObject({
      code: "CUSTOMER_NOT_FOUND",
    });
    expect(
      await failure(
        handler("antivirus.scanFile").run({ fileName: "eicar.com.exe", url: "https://x.example" }, context()),
      ),
    ).toMatchObject({ code: "MALWARE_DETECTED" });
    expect(
      await failure(
        handler("bank.verifyAccountHolder").run(
          { account: { accountHolder: "Someone Else Ltd" }, expectedHolder: "Lumen Analytics GmbH" },
          context(),
        ),
      ),
    ).toMatchObject({ code: "ACCOUNT_HOLDER_MISMATCH" });
    expect(
      await failure(
        handler("identity.findExistingIdentity").run({ firstName: "Alex", lastName: "Morgan" }, context()),
      ),
    ).toMatchObject({ code: "IDENTITY_CONFLICT" });
    expect(
      await failure(
        handler("grc.openAccessReviewCampaign").run(
          { systems: ["nothing-here"], label: "2025-Q2" },
          context(),
        ),
      ),
    ).toMatchObject({ code: "NO_ACCOUNTS_IN_SCOPE" });
  });

  it("screen owners against the PEP list and sum up the case", async () => {
    const entity = await handler("screening.screenEntity").run(
      { name: "Lumen Analytics GmbH", country: "DE", registrationNumber: "HRB1" },
      context(),
    );
    const caseId = (entity as { caseId: string }).caseId;
    await handler("screening.screenIndividual").run({ caseId, subject: 1, name: "Amira Haddad" }, context());
    await handler("screening.screenIndividual").run({ caseId, subject: 2, name: "Jonas Weber" }, context());
    expect(await handler("screening.getCaseSummary").run({ caseId }, context())).toMatchObject({
      pepMatches: 1,
      confirmedMatches: 0,
      countryRisk: "low",
    });
  });
});

describe("the demo's model", () => {
  const samples = demoSamples(new Date("2025-06-02T12:00:00Z"));
  const text = (id: string) => String(samples.find((s) => s.id === id)!.input.documentText);

  it("reads a clean invoice, and lists what it cannot read on a blurred one", () => {
    expect(extractInvoice(text("invoice-straight-through"))).toMatchObject({
      vendorName: "Northwind Office Supplies Ltd",
      number: "NW-58812",
      subtotal: 450,
      tax: 90,
      total: 540,
      currency: "GBP",
      poNumber: "4500012345",
      uncertainFields: [],
    });
    expect(extractInvoice(text("invoice-low-confidence"))).toMatchObject({
      total: 2150,
      uncertainFields: ["number", "total"],
    });
  });

  it("answers with a sample's confidence hint, and the default otherwise", async () => {
    const models = createDemoModels(samples.flatMap((s) => s.hints ?? []));
    const ask = (documentText: string) =>
      models.complete({
        modelTask: "extract-invoice",
        instructions: "",
        input: { text: documentText },
        outputSchema: {},
        signal: new AbortController().signal,
      });
    expect((await ask(text("invoice-low-confidence"))).confidence).toBe(0.62);
    expect((await ask(text("invoice-no-po"))).confidence).toBe(0.95);
  });
});
