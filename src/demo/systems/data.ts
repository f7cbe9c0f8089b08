/**
 * The master data of the simulated systems: the ERP's vendors and purchase orders, the CRM's
 * customers, the knowledge base, the screening lists, the identity directory. The sample runs
 * (../samples.ts) are written against it, and each failure the demo shows is driven by it: a vendor
 * whose bank is down, a blocked vendor, a name on a sanctions or PEP list.
 */

/** Company codes and their currency (the ERP posts in company currency). */
export const ENTITY_CURRENCY: Readonly<Record<string, string>> = { US01: "USD", GB01: "GBP", DE01: "EUR" };

/** Rates into company currency, as the ERP posted them (1 unit of the key currency in USD). */
export const USD_PER: Readonly<Record<string, number>> = { USD: 1, GBP: 1.27, EUR: 1.08 };

export interface Vendor {
  readonly vendorId: string;
  readonly name: string;
  readonly entity: string;
  readonly bankAccount: string;
  /** Blocked for posting and payment by vendor master data. */
  readonly blocked?: boolean;
  /**
   * The payee's bank rejects payment instructions (the bank simulator answers 503) for this many
   * attempts, then accepts them: more than the charter's retries, so the payment lands in the
   * exception queue, and an operator's `exceptions retry` goes through.
   */
  readonly bankOutageAttempts?: number;
  /** Invoice numbers already paid: a second one is a duplicate. */
  readonly paidInvoices?: readonly string[];
}

export const VENDORS: readonly Vendor[] = [
  {
    vendorId: "V100452",
    name: "Northwind Office Supplies Ltd",
    entity: "GB01",
    bankAccount: "GB29NWBK60161331926819",
    paidInvoices: ["NW-58001", "NW-58377"],
  },
  {
    vendorId: "V100977",
    name: "Blue Harbor Logistics Inc",
    entity: "US01",
    bankAccount: "US-026009593-7731902245",
  },
  {
    vendorId: "V101864",
    name: "Brightline Consulting LLC",
    entity: "US01",
    bankAccount: "US-121000358-0045128870",
  },
  {
    vendorId: "V102760",
    name: "Orbit Facilities Services Ltd",
    entity: "GB01",
    bankAccount: "GB94BARC20201530093459",
  },
  {
    vendorId: "V104233",
    name: "Acme Supplies Ltd",
    entity: "US01",
    bankAccount: "US-021000021-4455667788",
  },
  {
    vendorId: "V109001",
    name: "Meridian Print & Packaging Co",
    entity: "US01",
    bankAccount: "US-011075150-9302118846",
    bankOutageAttempts: 3,
  },
  {
    vendorId: "V108800",
    name: "Shadow Trading Co",
    entity: "US01",
    bankAccount: "US-011000138-0000000001",
    blocked: true,
  },
];

export interface PurchaseOrder {
  readonly poNumber: string;
  readonly vendorId: string;
  readonly entity: string;
  /** Open amount in company currency. */
  readonly amount: number;
  /** The buyer who raised it (a directory user id). */
  readonly buyerId: string;
  readonly goodsReceived: boolean;
}

export const PURCHASE_ORDERS: readonly PurchaseOrder[] = [
  {
    poNumber: "4500012345",
    vendorId: "V100452",
    entity: "GB01",
    amount: 540,
    buyerId: "lucas.meyer",
    goodsReceived: true,
  },
  {
    poNumber: "4500012388",
    vendorId: "V100977",
    entity: "US01",
    amount: 2150,
    buyerId: "fatima.zahra",
    goodsReceived: true,
  },
  {
    poNumber: "4500012402",
    vendorId: "V102760",
    entity: "GB01",
    amount: 6400,
    buyerId: "lucas.meyer",
    goodsReceived: true,
  },
  {
    poNumber: "4500012417",
    vendorId: "V109001",
    entity: "US01",
    amount: 860,
    buyerId: "fatima.zahra",
    goodsReceived: true,
  },
  {
    poNumber: "4500012430",
    vendorId: "V104233",
    entity: "US01",
    amount: 4800,
    buyerId: "fatima.zahra",
    goodsReceived: true,
  },
  {
    poNumber: "4500012455",
    vendorId: "V108800",
    entity: "US01",
    amount: 990,
    buyerId: "lucas.meyer",
    goodsReceived: true,
  },
];

/** An invoice matches its PO when it is at most 2% above the open amount. */
export const PRICE_TOLERANCE = 0.02;

export interface Customer {
  readonly email: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly contactName: string;
  readonly tier: "enterprise" | "business" | "starter";
}

export const CUSTOMERS: readonly Customer[] = [
  {
    email: "it-ops@contoso-retail.example",
    accountId: "ACC-30418",
    accountName: "Contoso Retail",
    contactName: "Maya Brennan",
    tier: "business",
  },
  {
    email: "noc@fabrikam.example",
    accountId: "ACC-10077",
    accountName: "Fabrikam Group",
    contactName: "Jon Ellery",
    tier: "enterprise",
  },
];

/** Closed or merged helpdesk tickets: replying to one fails with TICKET_CLOSED. */
export const CLOSED_TICKETS: readonly string[] = ["40001"];

export interface Article {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly keywords: readonly string[];
}

export const KNOWLEDGE_BASE: readonly Article[] = [
  {
    id: "KB-1042",
    title: "CSV export fails with error E4012",
    body: "Exports of more than 50,000 rows time out with E4012. Filter the report by date range and export each part, or schedule the export to run overnight (Reports > Schedule).",
    keywords: ["export", "csv", "e4012"],
  },
  {
    id: "KB-0871",
    title: "Scheduling a report",
    body: "Open the report, choose Schedule, pick a time and the recipients. Scheduled exports have no row limit.",
    keywords: ["schedule", "report", "export"],
  },
  {
    id: "KB-0310",
    title: "Resetting multi-factor authentication",
    body: "An administrator can reset a user's MFA under Users > Security > Reset MFA.",
    keywords: ["mfa", "login", "password", "2fa"],
  },
];

/** Names on a sanctions list (a confirmed match) and politically exposed persons (a potential one). */
export const SANCTIONED_NAMES: readonly string[] = ["Viktor Sanctionov"];
export const PEP_NAMES: readonly string[] = ["Amira Haddad"];
/** Companies on our internal block list (terminated for cause). */
export const BLOCK_LIST: readonly string[] = ["Shadow Trading Co"];
/** Countries the risk policy rates high. */
export const HIGH_RISK_COUNTRIES: readonly string[] = ["IR", "KP", "SY", "RU"];

/** Accounts that exist in the identity directory: a joiner with one of these names is a conflict. */
export const DIRECTORY_ACCOUNTS: readonly { readonly name: string; readonly userId: string }[] = [
  { name: "Alex Morgan", userId: "alex.morgan" },
];

/** Entitlements of each access profile: birthright access is low risk and needs no approval. */
export const ACCESS_PROFILES: Readonly<Record<string, readonly { system: string; entitlement: string }[]>> = {
  standard: [{ system: "intranet", entitlement: "reader" }],
  finance: [
    { system: "intranet", entitlement: "reader" },
    { system: "concur", entitlement: "expense-user" },
  ],
  engineering: [
    { system: "intranet", entitlement: "reader" },
    { system: "github", entitlement: "member" },
  ],
  sales: [
    { system: "intranet", entitlement: "reader" },
    { system: "salesforce", entitlement: "sales-user" },
  ],
  support: [
    { system: "intranet", entitlement: "reader" },
    { system: "zendesk", entitlement: "agent" },
  ],
};

/** Extra systems a manager may request, and their risk. */
export const SYSTEM_RISK: Readonly<Record<string, "low" | "medium" | "high">> = {
  netsuite: "medium",
  salesforce: "medium",
  "aws-prod": "high",
  "payments-admin": "high",
};

/** Systems with no provisioning connector: access is granted or revoked by a ticket. */
export const MANUAL_SYSTEMS: readonly string[] = ["legacy-ledger"];

/** Accounts in scope of the quarterly access review (from the IAM snapshot). */
export const REVIEW_ACCOUNTS: readonly {
  readonly accountId: string;
  readonly system: string;
  readonly entitlement: string;
  readonly holder: string;
  readonly managerId: string;
  readonly scope: "sox-in-scope" | "privileged";
}[] = [
  {
    accountId: "netsuite:tom.becker",
    system: "netsuite",
    entitlement: "ap-clerk",
    holder: "tom.becker",
    managerId: "priya.nair",
    scope: "sox-in-scope",
  },
  {
    accountId: "netsuite:oliver.grant",
    system: "netsuite",
    entitlement: "payment-release",
    holder: "oliver.grant",
    managerId: "hannah.lindqvist",
    scope: "sox-in-scope",
  },
  {
    accountId: "aws-prod:ravi.shankar",
    system: "aws-prod",
    entitlement: "admin",
    holder: "ravi.shankar",
    managerId: "julia.wagner",
    scope: "privileged",
  },
  {
    accountId: "legacy-ledger:lena.moreau",
    system: "legacy-ledger",
    entitlement: "poster",
    holder: "lena.moreau",
    managerId: "priya.nair",
    scope: "sox-in-scope",
  },
];

/** Cost centres closed for new postings. */
export const CLOSED_COST_CENTERS: readonly string[] = ["CC9990"];
/** Employees who have left (no longer on payroll). */
export const LEAVERS: readonly string[] = ["E100001"];
/** Each employee's skip-level manager, for late expense approvals. */
export const SKIP_LEVEL: Readonly<Record<string, string>> = {
  "rachel.green": "kofi.mensah",
  "priya.nair": "hannah.lindqvist",
};

/** Expense policy limits per line, in the claim currency (a soft limit needs finance approval). */
export const EXPENSE_LIMITS: Readonly<Record<string, number>> = {
  meals: 60,
  lodging: 220,
  taxi: 80,
  "client-entertainment": 150,
};
