/**
 * Finance systems, simulated: the ERP (invoice matching, vendor creation), the bank (payments,
 * account validation), procurement's retrospective PO requests, fraud reporting, vendor email, and
 * the expense tool. Deterministic: every answer follows from the input and ./data.ts.
 */
import { defineAction } from "../../index.js";
import type { ActionHandler } from "../../index.js";
import { amount, cents, fields, list, optionalText, outage, refuse, stableId, text } from "./common.js";
import {
  CLOSED_COST_CENTERS,
  ENTITY_CURRENCY,
  EXPENSE_LIMITS,
  PRICE_TOLERANCE,
  PURCHASE_ORDERS,
  SKIP_LEVEL,
  USD_PER,
  VENDORS,
} from "./data.js";
import type { Vendor } from "./data.js";

function vendorById(vendorId: string): Vendor | undefined {
  return VENDORS.find((v) => v.vendorId === vendorId);
}

/** Convert into the entity's currency with the ERP's rates (unknown currencies are taken as is). */
function toCompanyCurrency(value: number, currency: string, entity: string): number {
  const target = ENTITY_CURRENCY[entity] ?? currency;
  const from = USD_PER[currency];
  const to = USD_PER[target];
  return from === undefined || to === undefined ? value : cents((value * from) / to);
}

/** The ERP's document id of a parked invoice names the vendor, so the bank can find the payee. */
export function apDocumentId(entity: string, vendorId: string, invoiceNumber: string): string {
  return `AP-${entity}-${vendorId}-${invoiceNumber}`;
}

export const matchPurchaseOrder = defineAction({
  name: "erp.matchPurchaseOrder",
  run(input: unknown) {
    const given = fields(input);
    const vendorId = text(given.vendorId);
    const entity = text(given.entity);
    const invoice = fields(given.invoice);
    const vendor = vendorById(vendorId);
    if (!vendor) refuse("VENDOR_NOT_FOUND", `vendor ${vendorId} is not in the vendor master`, { vendorId });
    if (vendor.blocked)
      refuse("VENDOR_BLOCKED", `vendor ${vendorId} (${vendor.name}) is blocked for posting and payment`, {
        vendorId,
      });
    const poNumber = optionalText(given.poNumber) ?? optionalText(invoice.poNumber);
    if (poNumber === undefined)
      refuse("PO_NOT_FOUND", `the invoice names no purchase order, and ${vendor.name} has no open one`, {
        vendorId,
      });
    const po = PURCHASE_ORDERS.find((p) => p.poNumber === poNumber && p.vendorId === vendorId);
    if (!po)
      refuse("PO_NOT_FOUND", `no open purchase order ${poNumber} for vendor ${vendorId}`, {
        vendorId,
        poNumber,
      });
    const invoiceNumber = optionalText(invoice.number) ?? stableId("NONUM", vendorId, poNumber);
    const total = amount(invoice.total);
    const currency = optionalText(invoice.currency) ?? ENTITY_CURRENCY[entity] ?? "USD";
    // An extraction without a usable total (e.g. a model that read nothing) is matched at the PO amount.
    const inCompanyCurrency =
      total !== undefined && total > 0 ? toCompanyCurrency(total, currency, entity) : po.amount;
    const bankAccount = optionalText(invoice.bankAccount);
    return {
      matched: true,
      withinTolerance: inCompanyCurrency <= cents(po.amount * (1 + PRICE_TOLERANCE)),
      duplicate: (vendor.paidInvoices ?? []).includes(invoiceNumber),
      bankDetailsMatch: bankAccount === undefined || bankAccount.replace(/\s/g, "") === vendor.bankAccount,
      receiptPosted: po.goodsReceived,
      amountInCompanyCurrency: inCompanyCurrency,
      companyCurrency: ENTITY_CURRENCY[entity] ?? currency,
      invoiceNumber,
      documentId: apDocumentId(entity, vendorId, invoiceNumber),
      poNumber: po.poNumber,
      buyerId: po.buyerId,
    };
  },
});

export const requestRetrospectivePo = defineAction({
  name: "procurement.requestRetrospectivePo",
  run(input: unknown) {
    const given = fields(input);
    const invoice = fields(given.invoice);
    const vendorId = text(given.vendorId);
    return {
      // The release event (purchase-order.released) carries this id back.
      requestId: stableId("RPO", vendorId, text(invoice.number)),
      vendorId,
      notified: "cost-centre owner",
    };
  },
});

export const reportPaymentFraud = defineAction({
  name: "security.reportPaymentFraud",
  run(input: unknown) {
    const vendorId = text(fields(input).vendorId);
    return { caseId: stableId("FRAUD", vendorId), vendorBlocked: true };
  },
});

/** Payments the bank has accepted, by idempotency key: a retried call returns the same payment. */
const payments = new Map<string, { paymentId: string; documentId: string; entity: string }>();

/** The payment id the bank gives the payment with this idempotency key (known before it is made). */
export function paymentIdFor(idempotencyKey: string): string {
  return stableId("PAY", idempotencyKey);
}

/** How many payments the simulated bank holds (each idempotency key once). */
export function scheduledPayments(): number {
  return payments.size;
}

export const schedulePayment = defineAction({
  name: "bank.schedulePayment",
  run(input: unknown, { idempotencyKey, attempt }) {
    const given = fields(input);
    const documentId = text(given.documentId);
    const known = payments.get(idempotencyKey);
    if (known) return { ...known, status: "scheduled" };
    const vendor = vendorById(/V[0-9]{6}/.exec(documentId)?.[0] ?? "");
    if (vendor?.blocked)
      refuse("VENDOR_BLOCKED", `the payee ${vendor.vendorId} is blocked for payment`, {
        vendorId: vendor.vendorId,
      });
    if (vendor?.bankOutageAttempts !== undefined && attempt <= vendor.bankOutageAttempts)
      outage(
        "BANK_UNAVAILABLE",
        `the payee's bank did not accept the payment instruction (503 Service Unavailable, attempt ${attempt})`,
      );
    const payment = { paymentId: paymentIdFor(idempotencyKey), documentId, entity: text(given.entity) };
    payments.set(idempotencyKey, payment);
    return { ...payment, status: "scheduled" };
  },
});

export const verifyAccountHolder = defineAction({
  name: "bank.verifyAccountHolder",
  run(input: unknown) {
    const given = fields(input);
    const account = fields(given.account);
    const holder = text(account.accountHolder);
    const expected = text(given.expectedHolder);
    if (holder.trim().toLowerCase() !== expected.trim().toLowerCase())
      refuse("ACCOUNT_HOLDER_MISMATCH", `the bank knows the account as "${holder}", not "${expected}"`, {
        holder,
        expected,
      });
    return { verified: true, holderName: holder, check: "confirmation-of-payee" };
  },
});

export const createVendor = defineAction({
  name: "erp.createVendor",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    const name = text(given.legalName);
    const existing = VENDORS.find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (existing)
      refuse("DUPLICATE_VENDOR", `the ERP has ${name} already, as vendor ${existing.vendorId}`, {
        existingVendorId: existing.vendorId,
      });
    // Vendor numbers are V and six digits; derived from the idempotency key, so a retry gets the same.
    const digits = parseInt(stableId("V", idempotencyKey).slice(2), 16) % 1_000_000;
    return { vendorId: `V${String(digits).padStart(6, "0")}`, status: "active" };
  },
});

export const sendVendorNotice = defineAction({
  name: "email.sendVendorNotice",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    return {
      messageId: stableId("MSG", idempotencyKey),
      template: text(given.template),
      to: text(given.vendorId),
    };
  },
});

export const evaluatePolicy = defineAction({
  name: "expenses.evaluatePolicy",
  run(input: unknown) {
    const given = fields(input);
    const claim = fields(given.claim);
    const currency = text(claim.currency, "USD");
    if (CLOSED_COST_CENTERS.includes(text(claim.costCenter)))
      refuse("COST_CENTER_CLOSED", `cost centre ${text(claim.costCenter)} is closed for postings`);
    const audited = new Map(
      list(given.audit).map((line) => [text(fields(line).lineId), amount(fields(line).acceptedAmount)]),
    );
    const violations: { lineId: string; rule: string; severity: "soft" | "hard" }[] = [];
    let total = 0;
    for (const raw of list(claim.lines)) {
      const line = fields(raw);
      const lineId = text(line.lineId);
      const claimed = amount(line.amount) ?? 0;
      const inClaimCurrency = toClaimCurrency(claimed, text(line.currency, currency), currency);
      const accepted = audited.get(lineId) ?? inClaimCurrency;
      const limit = EXPENSE_LIMITS[text(line.category)];
      if (limit !== undefined && accepted > limit)
        violations.push({
          lineId,
          rule: `${text(line.category)} above ${limit} ${currency}`,
          severity: "soft",
        });
      total += accepted;
    }
    const managerId = text(claim.managerId);
    return {
      reimbursableAmount: cents(total),
      currency,
      violations,
      skipLevelManagerId: SKIP_LEVEL[managerId] ?? managerId,
    };
  },
});

function toClaimCurrency(value: number, from: string, to: string): number {
  const a = USD_PER[from];
  const b = USD_PER[to];
  return a === undefined || b === undefined ? value : cents((value * a) / b);
}

export const returnClaim = defineAction({
  name: "expenses.returnClaim",
  run(input: unknown) {
    return { claimId: text(fields(input).claimId), status: "returned-to-claimant" };
  },
});

export const rejectClaim = defineAction({
  name: "expenses.rejectClaim",
  run(input: unknown) {
    return { claimId: text(fields(input).claimId), status: "rejected" };
  },
});

export const financeHandlers: readonly ActionHandler[] = [
  matchPurchaseOrder,
  requestRetrospectivePo,
  reportPaymentFraud,
  schedulePayment,
  verifyAccountHolder,
  createVendor,
  sendVendorNotice,
  evaluatePolicy,
  returnClaim,
  rejectClaim,
];
