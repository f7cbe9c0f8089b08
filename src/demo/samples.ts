/**
 * The sample runs of the demo: what starts when, on which data, what people and systems do to it
 * during the simulated period, which decisions to suggest for the tasks it leaves open, and where
 * it must end up. Each sample exercises one path of its charter; the data drives the path through
 * the simulated systems (systems/data.ts) and the model's confidence hints (models.ts).
 */
import type { ConfidenceHint } from "./models.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A person deciding a task, or a system sending an event, during the simulated period. */
export type ScriptedAction =
  | {
      readonly kind: "decide";
      /** How long after the run started. */
      readonly after: number;
      readonly step: string;
      readonly as: string;
      readonly outcome: string;
      readonly reason?: string;
      readonly data?: unknown;
      /** What it stands for, as the report says it. */
      readonly note: string;
    }
  | {
      readonly kind: "event";
      readonly after: number;
      /** The wait step the event resumes. */
      readonly step: string;
      readonly name: string;
      /** The correlation key: a step output of the run, as `step.field`. */
      readonly keyFrom: { readonly step: string; readonly field: string };
      readonly data?: unknown;
      readonly note: string;
    };

/** A decision the report prints as the exact command for an open task. */
export interface Suggestion {
  /** The workflow of the task: the sample's, or a child run's. @default the sample's */
  readonly workflow?: string;
  readonly step: string;
  readonly as: string;
  readonly outcome: string;
  readonly reason?: string;
  readonly data?: unknown;
}

/** What an operator does about a step in the exception queue: retry it, or skip to another step. */
export interface OperatorSuggestion {
  readonly step: string;
  readonly retry: { readonly as: string; readonly reason: string; readonly note: string };
  readonly skip: { readonly to: string; readonly as: string; readonly reason: string; readonly note: string };
}

/** Where a sample's run must be when the simulated period ends. */
export type Expectation =
  | { readonly kind: "completed"; readonly outcome: string }
  | {
      readonly kind: "waiting";
      readonly step: string;
      /** One of the task's assignees. */
      readonly assignee?: string;
      /** The event a wait step waits for. */
      readonly event?: string;
      /** A child run (workflow step) waiting at this step. */
      readonly child?: { readonly workflow: string; readonly step: string };
    }
  | { readonly kind: "exception"; readonly step: string };

export interface Sample {
  readonly id: string;
  /** One line: what this run shows. */
  readonly title: string;
  readonly workflow: string;
  /** The initiator. */
  readonly as: string;
  /** When it starts: this long before the end of the simulated period. */
  readonly startsBefore: number;
  readonly input: Readonly<Record<string, unknown>>;
  readonly hints?: readonly ConfidenceHint[];
  readonly later?: readonly ScriptedAction[];
  readonly suggestions?: readonly Suggestion[];
  readonly operator?: OperatorSuggestion;
  readonly expect: Expectation;
}

/** The sample whose approval the "try this" block walks through. */
export const TRY_THIS_SAMPLE = "invoice-for-approval";
/** Its approver, and the finance manager who captured it (so may not approve it). */
export const TRY_THIS = {
  approver: "user:sofia.ricci",
  initiator: "user:daniel.okafor",
  reason: "PO 4500012430 and goods receipt match",
} as const;

/** How far back the simulated period starts. */
export const SIMULATED_PERIOD = 48 * HOUR;

/** The samples, dated relative to `end` (the end of the simulated period: now). */
export function demoSamples(end: Date): Sample[] {
  const day = (offsetDays: number) =>
    new Date(end.getTime() + offsetDays * 24 * HOUR).toISOString().slice(0, 10);
  const at = (before: number) => new Date(end.getTime() - before).toISOString();

  return [
    {
      id: "invoice-late-approval",
      title: "Invoice OFS-7731, 6,400.00 GBP: the manager approval is late and escalates",
      workflow: "invoice-approval",
      as: "user:tom.becker",
      startsBefore: 48 * HOUR,
      input: {
        vendorId: "V102760",
        entity: "GB01",
        channel: "email",
        receivedAt: at(48 * HOUR + 20 * MINUTE),
        poNumber: "4500012402",
        documentText: invoiceText({
          vendor: "Orbit Facilities Services Ltd, 3 Canal Street, Manchester M1 3HE",
          number: "OFS-7731",
          date: day(-4),
          due: day(26),
          po: "4500012402",
          lines: [
            ["Cleaning services, May", 1, 4333.33],
            ["Window cleaning, quarterly", 1, 1000],
          ],
          taxLabel: "VAT 20%",
          tax: 1066.67,
          currency: "GBP",
          bank: "GB94BARC20201530093459",
        }),
      },
      suggestions: [
        {
          step: "approve-manager",
          as: "user:hannah.lindqvist",
          outcome: "approved",
          reason: "Contracted cleaning rate; approving as the escalation",
        },
      ],
      expect: { kind: "waiting", step: "approve-manager", assignee: "role:finance-director" },
    },
    {
      id: "vendor-pep-match",
      title: "New vendor Lumen Analytics GmbH: an owner is a potential PEP match, so compliance reviews",
      workflow: "vendor-onboarding",
      as: "user:fatima.zahra",
      startsBefore: 30 * HOUR,
      input: {
        legalName: "Lumen Analytics GmbH",
        country: "DE",
        registrationNumber: "HRB231877",
        taxId: "DE298765431",
        website: "https://lumen-analytics.example.com",
        contactName: "Jonas Weber",
        contactEmail: "jonas.weber@lumen-analytics.example.com",
        category: "software-saas",
        dataAccess: "internal",
        expectedAnnualSpend: 84000,
        currency: "EUR",
        requesterId: "hannah.lindqvist",
        bankAccount: {
          accountHolder: "Lumen Analytics GmbH",
          bankCountry: "DE",
          iban: "DE89370400440532013000",
        },
        documents: [
          {
            type: "certificate-of-incorporation",
            url: "https://supplier-portal.example.com/docs/lumen/hr-extract.pdf",
            text: [
              "Handelsregister B des Amtsgerichts Berlin-Charlottenburg",
              "Registered name: Lumen Analytics GmbH",
              "Company number: HRB231877",
              "Incorporated: 2016-04-12",
              "Registered office: Torstrasse 49, 10119 Berlin",
              "Directors: Jonas Weber; Amira Haddad",
            ].join("\n"),
          },
          {
            type: "ownership-register",
            url: "https://supplier-portal.example.com/docs/lumen/ownership.pdf",
            text: [
              "Jonas Weber | DE | born 1979-03-02 | 60% | ownership",
              "Amira Haddad | AE | born 1984-11-19 | 40% | ownership",
            ].join("\n"),
          },
          {
            type: "bank-letter",
            url: "https://supplier-portal.example.com/docs/lumen/bank-letter.pdf",
            text: "Account holder: Lumen Analytics GmbH\nIBAN: DE89370400440532013000",
          },
          {
            type: "soc2-report",
            url: "https://supplier-portal.example.com/docs/lumen/soc2.pdf",
            text: "SOC 2 Type II, period 2024-01-01 to 2024-12-31, no exceptions noted.",
          },
        ],
      },
      hints: [{ modelTask: "summarize-vendor-documents", when: "HRB231877", confidence: 0.91 }],
      suggestions: [
        {
          step: "compliance-check",
          as: "user:ivan.petrov",
          outcome: "cleared",
          reason: "PEP hit is a namesake: different date of birth and nationality",
          data: { screeningDisposition: "false-positives", riskRating: "low" },
        },
      ],
      expect: { kind: "waiting", step: "compliance-check", assignee: "role:compliance-analyst" },
    },
    {
      id: "onboarding",
      title: "New hire Noah Fischer (AP clerk): the manager planned the setup, IT provisioning runs",
      workflow: "employee-onboarding",
      as: "user:chloe.martin",
      startsBefore: 26 * HOUR,
      input: {
        employeeId: "E204518",
        firstName: "Noah",
        lastName: "Fischer",
        personalEmail: "noah.fischer@mail.example.com",
        startDate: day(14),
        jobTitle: "Accounts Payable Clerk",
        department: "FIN-AP",
        costCenter: "CC4100",
        managerId: "priya.nair",
        location: "lon-hq",
        country: "GB",
        employmentType: "employee",
      },
      later: [
        {
          kind: "decide",
          after: 1 * HOUR,
          step: "manager-plan",
          as: "user:priya.nair",
          outcome: "submitted",
          data: {
            accessProfile: "finance",
            systems: ["netsuite"],
            equipmentProfile: "standard-laptop",
            workspace: "hot-desk",
            buddyId: "tom.becker",
          },
          note: "the manager (priya.nair) planned the setup",
        },
      ],
      suggestions: [
        {
          workflow: "it-provisioning",
          step: "prepare-device",
          as: "user:carlos.mendes",
          outcome: "submitted",
          data: { serialNumber: "PF3K9Q2L", assetTag: "IT-004512", compliant: true },
        },
      ],
      expect: {
        kind: "waiting",
        step: "provision-it",
        child: { workflow: "it-provisioning", step: "prepare-device" },
      },
    },
    {
      id: "invoice-straight-through",
      title: "Invoice NW-58812, 540.00 GBP, PO matched: straight through to payment",
      workflow: "invoice-approval",
      as: "user:lena.moreau",
      startsBefore: 6 * HOUR,
      input: {
        vendorId: "V100452",
        entity: "GB01",
        channel: "portal",
        receivedAt: at(6 * HOUR + 5 * MINUTE),
        poNumber: "4500012345",
        documentText: invoiceText({
          vendor: "Northwind Office Supplies Ltd, 12 Wharf Road, London N1 7GU",
          number: "NW-58812",
          date: day(-3),
          due: day(27),
          po: "4500012345",
          lines: [
            ["Toner cartridges", 6, 45],
            ["Copy paper A4, box", 30, 6],
          ],
          taxLabel: "VAT 20%",
          tax: 90,
          currency: "GBP",
          bank: "GB29NWBK60161331926819",
        }),
      },
      hints: [{ modelTask: "extract-invoice", when: "NW-58812", confidence: 0.97 }],
      later: [
        {
          kind: "event",
          after: 2 * HOUR,
          step: "wait-payment",
          name: "payment.executed",
          keyFrom: { step: "schedule-payment", field: "paymentId" },
          data: { bankReference: "BACS-0617-2291" },
          note: "the bank confirmed the payment",
        },
      ],
      expect: { kind: "completed", outcome: "paid" },
    },
    {
      id: "invoice-no-po",
      title: "Invoice BLC-0412, 3,600.00 USD, names no purchase order: procurement is asked for one",
      workflow: "invoice-approval",
      as: "user:aisha.khan",
      startsBefore: 5 * HOUR,
      input: {
        vendorId: "V101864",
        entity: "US01",
        channel: "email",
        receivedAt: at(5 * HOUR + 12 * MINUTE),
        documentText: invoiceText({
          vendor: "Brightline Consulting LLC, 88 Market Street, San Francisco CA 94105",
          number: "BLC-0412",
          date: day(-6),
          due: day(24),
          lines: [["Process workshop facilitation, days", 3, 1200]],
          taxLabel: "Sales tax",
          tax: 0,
          currency: "USD",
          bank: "US-121000358-0045128870",
        }),
      },
      expect: { kind: "waiting", step: "wait-for-po", event: "purchase-order.released" },
    },
    {
      id: "invoice-bank-failing",
      title: "Invoice MPP-11820, 860.00 USD: the payee's bank keeps failing: exception queue",
      workflow: "invoice-approval",
      as: "user:lena.moreau",
      startsBefore: 4 * HOUR,
      input: {
        vendorId: "V109001",
        entity: "US01",
        channel: "edi",
        receivedAt: at(4 * HOUR + 2 * MINUTE),
        poNumber: "4500012417",
        documentText: invoiceText({
          vendor: "Meridian Print & Packaging Co, 1200 Commerce Way, Columbus OH 43215",
          number: "MPP-11820",
          date: day(-5),
          due: day(25),
          po: "4500012417",
          lines: [["Printed shipping cartons", 2000, 0.43]],
          taxLabel: "Sales tax",
          tax: 0,
          currency: "USD",
          bank: "US-011075150-9302118846",
        }),
      },
      operator: {
        step: "schedule-payment",
        retry: {
          as: "user:oliver.grant",
          reason: "Payee bank accepts payments again",
          note: "retry it (the simulated outage is over after 3 attempts)",
        },
        skip: {
          to: "stalled-approval",
          as: "user:oliver.grant",
          reason: "Payee bank still down; AP lead to re-route or dispute",
          note: "or hand it to the AP lead, who re-routes or disputes it",
        },
      },
      expect: { kind: "exception", step: "schedule-payment" },
    },
    {
      id: "invoice-low-confidence",
      title: "Invoice BHL-20931, a blurred scan: the extraction is unsure, so a clerk reviews it",
      workflow: "invoice-approval",
      as: "user:aisha.khan",
      startsBefore: 3 * HOUR,
      input: {
        vendorId: "V100977",
        entity: "US01",
        channel: "paper",
        receivedAt: at(3 * HOUR + 30 * MINUTE),
        poNumber: "4500012388",
        documentText: [
          "INVOICE",
          "Blue Harbor Logistics Inc, 400 Harbor Blvd, Oakland CA 94607",
          "Inv0ice nunber: BHL-2O931",
          `Invoice date: ${day(-7)}`,
          "Purchase order: 4500012388",
          "Ocean freight, 40ft container: 1 x 1,850.00 = 1,850.00",
          "Port handling: 1 x 300.00 = 300.00",
          "Subtotal: 2,150.00 USD",
          "Tax: 0.00 USD",
          "T0tal: 2,1?0.00 USD",
          "Pay to: US-026009593-7731902245",
        ].join("\n"),
      },
      hints: [{ modelTask: "extract-invoice", when: "BHL-2O931", confidence: 0.62 }],
      suggestions: [
        {
          step: "review-extraction",
          as: "user:tom.becker",
          outcome: "corrected",
          data: {
            vendorName: "Blue Harbor Logistics Inc",
            number: "BHL-20931",
            issueDate: day(-7),
            currency: "USD",
            subtotal: 2150,
            tax: 0,
            total: 2150,
          },
        },
      ],
      expect: { kind: "waiting", step: "review-extraction", assignee: "role:ap-clerk" },
    },
    {
      id: TRY_THIS_SAMPLE,
      title: "Invoice 2025-0042, 4,800.00 USD: waits for a finance manager (try it below)",
      workflow: "invoice-approval",
      as: TRY_THIS.initiator,
      startsBefore: 2 * HOUR,
      input: {
        vendorId: "V104233",
        entity: "US01",
        channel: "email",
        receivedAt: at(2 * HOUR + 15 * MINUTE),
        poNumber: "4500012430",
        documentText: invoiceText({
          vendor: "Acme Supplies Ltd, 500 Industrial Pkwy, Dayton OH 45402",
          number: "2025-0042",
          date: day(-2),
          due: day(28),
          po: "4500012430",
          lines: [["Safety gloves, case", 80, 50]],
          taxLabel: "Sales tax",
          tax: 800,
          currency: "USD",
          bank: "US-021000021-4455667788",
        }),
      },
      suggestions: [
        { step: "approve-manager", as: TRY_THIS.approver, outcome: "approved", reason: TRY_THIS.reason },
      ],
      expect: { kind: "waiting", step: "approve-manager", assignee: "role:finance-manager" },
    },
    {
      id: "expense-claim",
      title: "Expense claim EXP-00012345, 238.50 GBP: receipts read, policy checked, the manager approves",
      workflow: "expense-claims",
      as: "user:samuel.adeyemi",
      startsBefore: 90 * MINUTE,
      input: {
        claimId: "EXP-00012345",
        employeeId: "E100233",
        claimantUserId: "samuel.adeyemi",
        managerId: "rachel.green",
        costCenter: "CC2300",
        country: "GB",
        currency: "GBP",
        purpose: "Client workshop with Contoso Retail in Manchester",
        submittedAt: at(90 * MINUTE + 3 * MINUTE),
        lines: [
          {
            lineId: "1",
            date: day(-8),
            category: "rail",
            amount: 86.4,
            currency: "GBP",
            merchant: "Avanti West Coast",
            receiptText: `Avanti West Coast\n${day(-8)} London Euston - Manchester Piccadilly\nTOTAL 86.40 GBP`,
          },
          {
            lineId: "2",
            date: day(-8),
            category: "lodging",
            amount: 129,
            currency: "GBP",
            merchant: "Hotel Piccadilly",
            receiptText: `Hotel Piccadilly\n${day(-8)} 1 night\nVAT 21.50\nTOTAL 129.00 GBP`,
          },
          {
            lineId: "3",
            date: day(-7),
            category: "meals",
            amount: 23.1,
            currency: "GBP",
            merchant: "Pret A Manger",
            receiptText: `Pret A Manger\n${day(-7)}\nTOTAL 23.10 GBP`,
          },
        ],
      },
      hints: [{ modelTask: "read-receipts", when: "Hotel Piccadilly", confidence: 0.96 }],
      suggestions: [
        {
          step: "manager-approval",
          as: "user:rachel.green",
          outcome: "approved",
          reason: "Workshop agreed with the client in advance",
        },
      ],
      expect: { kind: "waiting", step: "manager-approval", assignee: "user:rachel.green" },
    },
    {
      id: "support-ticket",
      title: "Ticket 48213, CSV export fails: classified, answered from the knowledge base, reviewed",
      workflow: "ticket-triage",
      as: "user:helpdesk-integration",
      startsBefore: 40 * MINUTE,
      input: {
        ticketId: "48213",
        channel: "email",
        customerEmail: "it-ops@contoso-retail.example",
        subject: "CSV export fails with error E4012",
        body:
          "Exporting the monthly sales report to CSV fails with error E4012 since Monday. " +
          "The report has about 80,000 rows. We need it for the month-end close.",
        locale: "en-GB",
        receivedAt: at(41 * MINUTE),
        attachments: [
          {
            fileName: "export-error.png",
            contentType: "image/png",
            url: "https://helpdesk.example.com/a/48213/1",
          },
        ],
      },
      hints: [
        { modelTask: "classify-ticket", when: "E4012", confidence: 0.93 },
        { modelTask: "draft-support-reply", when: "E4012", confidence: 0.84 },
      ],
      suggestions: [
        {
          step: "agent-review",
          as: "user:omar.farouk",
          outcome: "send",
          data: {
            reply: "Hi Maya, exports over 50,000 rows time out (E4012): export in two parts.",
            resolution: "workaround",
          },
        },
      ],
      expect: { kind: "waiting", step: "agent-review", assignee: "role:support-agent" },
    },
  ];
}

interface InvoiceText {
  readonly vendor: string;
  readonly number: string;
  readonly date: string;
  readonly due: string;
  readonly po?: string;
  readonly lines: readonly (readonly [string, number, number])[];
  readonly taxLabel: string;
  readonly tax: number;
  readonly currency: string;
  readonly bank: string;
}

/** The text of a clean invoice, as OCR gives it. */
function invoiceText(invoice: InvoiceText): string {
  const money = (n: number) =>
    n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const subtotal = invoice.lines.reduce((sum, [, quantity, price]) => sum + quantity * price, 0);
  return [
    "INVOICE",
    invoice.vendor,
    `Invoice number: ${invoice.number}`,
    `Invoice date: ${invoice.date}`,
    `Due date: ${invoice.due}`,
    ...(invoice.po ? [`Purchase order: ${invoice.po}`] : []),
    ...invoice.lines.map(
      ([what, quantity, price]) => `${what}: ${quantity} x ${money(price)} = ${money(quantity * price)}`,
    ),
    `Subtotal: ${money(subtotal)} ${invoice.currency}`,
    `${invoice.taxLabel}: ${money(invoice.tax)} ${invoice.currency}`,
    `Total due: ${money(subtotal + invoice.tax)} ${invoice.currency}`,
    `Pay to: ${invoice.bank}`,
  ].join("\n");
}
