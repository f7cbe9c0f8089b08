/**
 * The demo's model provider: the offline provider (deterministic, no network), with canned outputs
 * that read the sample documents the way a model would, and per-sample confidence hints.
 *
 * The offline provider takes a confidence hint from the model task's input (`_confidence`). The
 * example charters map only business fields into their model tasks (the invoice's text, a ticket's
 * subject and body), so a run's input cannot carry the hint. The demo adds it to the model request
 * instead, for the samples that declare one: e.g. a blurred invoice scan is read with 0.62.
 */
import { createOfflineProvider } from "../index.js";
import type { ModelProvider } from "../index.js";
import { amount, fields, list, optionalText, text } from "./systems/common.js";
import type { Fields } from "./systems/common.js";

export interface ConfidenceHint {
  readonly modelTask: string;
  /** The hint applies to requests whose input contains this text (e.g. an invoice number). */
  readonly when: string;
  readonly confidence: number;
}

/** The confidence of requests without a hint: a model that is sure of clean documents. */
export const DEFAULT_CONFIDENCE = 0.95;

export function createDemoModels(hints: readonly ConfidenceHint[]): ModelProvider {
  const offline = createOfflineProvider({ confidence: DEFAULT_CONFIDENCE, outputs: DEMO_OUTPUTS });
  return {
    name: offline.name,
    complete(request) {
      const json = JSON.stringify(request.input) ?? "";
      const hint = hints.find((h) => h.modelTask === request.modelTask && json.includes(h.when));
      if (hint === undefined) return offline.complete(request);
      return offline.complete({
        ...request,
        input: { ...fields(request.input), _confidence: hint.confidence },
      });
    },
  };
}

/** What the simulated model answers, by model task. */
export const DEMO_OUTPUTS: Readonly<Record<string, (input: unknown) => unknown>> = {
  "extract-invoice": (input) => extractInvoice(text(fields(input).text)),
  "classify-ticket": (input) => classifyTicket(fields(input)),
  "draft-support-reply": (input) => draftReply(fields(input)),
  "summarize-vendor-documents": (input) => summarizeVendor(fields(input)),
  "read-receipts": (input) => readReceipts(fields(input)),
};

function number(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/,/g, ""));
  return Number.isFinite(n) ? n : undefined;
}

function match(source: string, pattern: RegExp): string | undefined {
  return pattern.exec(source)?.[1]?.trim();
}

/**
 * Reads an invoice laid out as the samples are (`Invoice number: ...`, `Total due: ...`). A field
 * it cannot read cleanly gets its best reading and is listed in uncertainFields.
 */
export function extractInvoice(source: string): Record<string, unknown> {
  const uncertain: string[] = [];
  const lines = source.split("\n").map((l) => l.trim());
  const vendorName = (lines.find((l, i) => i > 0 && l !== "") ?? "").split(",")[0]!.trim();
  let invoiceNumber = match(source, /^Invoice number:\s*(\S+)$/im);
  if (invoiceNumber === undefined) {
    invoiceNumber = match(source, /^\S*\s*n\w*ber:\s*(\S+)$/im) ?? "";
    uncertain.push("number");
  }
  const issueDate = match(source, /^Invoice date:\s*(\d{4}-\d{2}-\d{2})$/im);
  if (issueDate === undefined) uncertain.push("issueDate");
  const subtotalMatch = /^Subtotal:\s*([\d,.]+)\s+([A-Z]{3})$/im.exec(source);
  const subtotal = number(subtotalMatch?.[1]) ?? 0;
  const tax = number(match(source, /^(?:VAT|Tax|Sales tax)[^:]*:\s*([\d,.]+)/im)) ?? 0;
  const totalMatch = /^Total(?: due)?:\s*([\d,.]+)\s+([A-Z]{3})$/im.exec(source);
  let total = number(totalMatch?.[1]);
  if (total === undefined) {
    total = Math.round((subtotal + tax) * 100) / 100;
    uncertain.push("total");
  }
  const currency = totalMatch?.[2] ?? subtotalMatch?.[2] ?? "USD";
  const invoiceLines = [...source.matchAll(/^(.+?):\s*([\d.]+) x ([\d,.]+) = ([\d,.]+)$/gm)].map((m) => ({
    description: m[1]!.trim(),
    quantity: number(m[2]) ?? 1,
    unitPrice: number(m[3]) ?? 0,
    amount: number(m[4]) ?? 0,
  }));
  return {
    vendorName,
    vendorTaxId: null,
    number: invoiceNumber,
    issueDate: issueDate ?? "1970-01-01",
    dueDate: match(source, /^Due date:\s*(\d{4}-\d{2}-\d{2})$/im) ?? null,
    currency,
    subtotal,
    tax,
    total,
    poNumber: match(source, /^Purchase order:\s*(\d{10})$/im) ?? null,
    bankAccount: match(source, /^Pay to:\s*(\S+)$/im) ?? null,
    lines: invoiceLines,
    uncertainFields: uncertain,
  };
}

const CATEGORY_WORDS: readonly [string, RegExp][] = [
  ["security", /vulnerab|breach|leaked|security/i],
  ["outage", /\b(down|outage|unavailable)\b/i],
  ["account-access", /\b(login|log in|mfa|sso|locked out)\b/i],
  ["billing", /\b(invoice|charge|refund|billing)\b/i],
  ["bug", /\b(error|fails?|crash|broken|bug)\b/i],
  ["how-to", /\bhow (do|can) i\b/i],
  ["feature-request", /\b(feature|would be great)\b/i],
];

function classifyTicket(input: Fields): Record<string, unknown> {
  const all = `${text(input.subject)}\n${text(input.body)}`;
  const category = CATEGORY_WORDS.find(([, pattern]) => pattern.test(all))?.[0] ?? "other";
  const severity =
    category === "outage" || category === "security"
      ? "urgent"
      : category === "bug"
        ? /no workaround|blocked|deadline/i.test(all)
          ? "high"
          : "normal"
        : "low";
  const firstSentence = text(input.body).split(/(?<=[.!?])\s/)[0] ?? "";
  return {
    category,
    severity,
    sentiment: /!{2,}|unacceptable|angry/i.test(all)
      ? "angry"
      : /again|still|urgent/i.test(all)
        ? "frustrated"
        : "neutral",
    language: "en",
    summary: firstSentence.slice(0, 200),
    entities: {
      orderNumbers: [...all.matchAll(/\bORD-\d+\b/g)].map((m) => m[0]),
      products: [...all.matchAll(/\b(Reports|Dashboards|Billing|API)\b/g)].map((m) => m[0]),
      errorCodes: [...new Set([...all.matchAll(/\bE\d{3,5}\b/g)].map((m) => m[0]))],
      affectedUsers: null,
      environment: /production|prod\b/i.test(all) ? "production" : null,
    },
  };
}

function draftReply(input: Fields): Record<string, unknown> {
  const articles = list(input.articles).map(fields);
  const name = optionalText(input.customerName) ?? "there";
  if (articles.length === 0)
    return {
      reply: `Hello ${name}, thank you for your message. We are looking into it.`,
      resolution: "needs-info",
      citedArticles: [],
      needsHumanAnswer: true,
      reviewerNote: "No knowledge-base article covers this ticket.",
    };
  const first = articles[0]!;
  return {
    reply:
      `Hello ${name}, thank you for the details. ${text(first.title)}: ${text(first.body)} ` +
      `Let us know if this does not solve it.`,
    resolution: "workaround",
    citedArticles: articles.map((a) => text(a.id)),
    needsHumanAnswer: false,
    reviewerNote: `Based on ${text(first.id)}; check that the customer's report is over the row limit.`,
  };
}

const REQUIRED_VENDOR_DOCUMENTS = ["certificate-of-incorporation", "ownership-register", "bank-letter"];

function summarizeVendor(input: Fields): Record<string, unknown> {
  const documents = list(input.documents).map(fields);
  const of = (type: string) => text(documents.find((d) => d.type === type)?.text);
  const certificate = of("certificate-of-incorporation");
  const registeredName = match(certificate, /^Registered name:\s*(.+)$/im) ?? text(input.legalName);
  const owners = [
    ...of("ownership-register").matchAll(
      /^(.+?) \| ([A-Z]{2}) \| born (\d{4}-\d{2}-\d{2}) \| ([\d.]+)% \| (\w[\w-]*)$/gm,
    ),
  ].map((m) => ({
    name: m[1]!.trim(),
    dateOfBirth: m[3]!,
    nationality: m[2]!,
    ownershipPercent: number(m[4]) ?? 0,
    control: ["ownership", "voting-rights", "appointment-rights"].includes(m[5]!) ? m[5]! : "other",
  }));
  const bankAccountHolder = match(of("bank-letter"), /^Account holder:\s*(.+)$/im) ?? null;
  const insurance = of("insurance-certificate");
  const redFlags: string[] = [];
  if (bankAccountHolder !== null && bankAccountHolder.toLowerCase() !== registeredName.toLowerCase())
    redFlags.push(`bank account holder "${bankAccountHolder}" differs from the legal name`);
  if (owners.reduce((sum, o) => sum + o.ownershipPercent, 0) > 100)
    redFlags.push("ownership adds up to more than 100%");
  if (documents.some((d) => /nominee|bearer share/i.test(text(d.text))))
    redFlags.push("nominee or bearer shares mentioned");
  const present = new Set(documents.map((d) => text(d.type)));
  return {
    registeredName,
    registrationNumber: match(certificate, /^Company number:\s*(\S+)$/im) ?? text(input.registrationNumber),
    incorporationDate: match(certificate, /^Incorporated:\s*(\d{4}-\d{2}-\d{2})$/im) ?? null,
    registeredAddress: match(certificate, /^Registered office:\s*(.+)$/im) ?? null,
    directors: (match(certificate, /^Directors:\s*(.+)$/im) ?? "")
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean),
    beneficialOwners: owners,
    bankAccountHolder,
    insurance:
      insurance === ""
        ? null
        : {
            provider: match(insurance, /^Insurer:\s*(.+)$/im) ?? "",
            coverAmount: number(match(insurance, /^Cover:\s*([\d,.]+)/im)) ?? 0,
            currency: match(insurance, /^Cover:\s*[\d,.]+\s+([A-Z]{3})/im) ?? "EUR",
            expiresOn: match(insurance, /^Expires:\s*(\d{4}-\d{2}-\d{2})$/im) ?? "1970-01-01",
          },
    certifications: [...present].filter((t) => t === "soc2-report" || t === "iso27001-certificate"),
    redFlags,
    missingDocuments: REQUIRED_VENDOR_DOCUMENTS.filter((t) => !present.has(t)),
    summary:
      `${registeredName} (${text(input.country)}, ${text(input.registrationNumber)}): ` +
      `${owners.length} beneficial owner${owners.length === 1 ? "" : "s"}, ${redFlags.length} red flag${redFlags.length === 1 ? "" : "s"}.`,
  };
}

function readReceipts(input: Fields): Record<string, unknown> {
  const lines = list(input.lines).map(fields);
  const receipts = lines
    .filter((line) => optionalText(line.receiptText) !== undefined)
    .map((line) => {
      const receipt = text(line.receiptText);
      const totalMatch = /^TOTAL\s+([\d,.]+)\s+([A-Z]{3})$/im.exec(receipt);
      const total = number(totalMatch?.[1]) ?? null;
      const date = match(receipt, /(\d{4}-\d{2}-\d{2})/) ?? null;
      const matches = total !== null && total === amount(line.amount) && date === text(line.date);
      return {
        lineId: text(line.lineId),
        merchant: receipt.split("\n")[0]?.trim() || null,
        date,
        total,
        currency: totalMatch?.[2] ?? null,
        tax: number(match(receipt, /^VAT\s+([\d,.]+)/im)) ?? null,
        alcoholAmount: 0,
        matchesClaimLine: matches,
        ...(matches ? {} : { discrepancy: "the receipt's total or date differs from the claim line" }),
      };
    });
  return {
    receipts,
    missingReceipts: lines
      .filter((line) => optionalText(line.receiptText) === undefined && line.category !== "mileage")
      .map((line) => text(line.lineId)),
  };
}
