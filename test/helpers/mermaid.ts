/**
 * Mermaid's own parser, for tests: a generated diagram must parse as GitHub's renderer would parse
 * it. Mermaid 11 sanitises labels with DOMPurify, which needs a DOM: the first call sets up a jsdom
 * window (only `window` and `document`; vitest's jsdom environment would also replace `URL`, which
 * breaks `new URL(..., import.meta.url)`), then imports Mermaid.
 *
 * Also the sample charters the docs tests share: every step kind, and titles full of characters
 * that mean something to Mermaid or Markdown.
 */
import type { Mermaid } from "mermaid";
import { loadCharter } from "../../src/definition/load.js";
import type { Charter } from "../../src/definition/schema.js";

interface JsdomModule {
  JSDOM: new (html: string) => { window: { document: unknown } };
}

let loading: Promise<Mermaid> | undefined;

function loadMermaid(): Promise<Mermaid> {
  loading ??= (async () => {
    if (!("window" in globalThis)) {
      // @ts-expect-error jsdom ships no types; only `new JSDOM(html).window` is used.
      const { JSDOM } = (await import("jsdom")) as JsdomModule;
      const { window } = new JSDOM("<!doctype html><html><body></body></html>");
      Object.assign(globalThis, { window, document: window.document });
    }
    const { default: mermaid } = await import("mermaid");
    mermaid.initialize({ startOnLoad: false });
    return mermaid;
  })();
  return loading;
}

/** Parses a diagram; rejects with Mermaid's parse error (line, expected tokens) when it is invalid. */
export async function parseMermaid(text: string): Promise<string> {
  const mermaid = await loadMermaid();
  // Without `suppressErrors`, parse() throws on an invalid diagram.
  const result = await mermaid.parse(text);
  return result.diagramType;
}

export interface ParsedNode {
  readonly id: string;
  /** Mermaid's shape name: square, round, stadium, subroutine, cylinder, circle, doublecircle, odd, diamond, hexagon, lean_right, trapezoid, inv_trapezoid. */
  readonly shape: string;
  /** The label with entities decoded and `<br/>` as "\n": what a reader sees. */
  readonly text: string;
  readonly classes: readonly string[];
}

export interface ParsedEdge {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** normal, dotted (dashed) or thick. */
  readonly stroke: string;
  readonly style: readonly string[];
}

export interface ParsedFlowchart {
  readonly nodes: ReadonlyMap<string, ParsedNode>;
  readonly edges: readonly ParsedEdge[];
  readonly classDefs: ReadonlySet<string>;
  readonly accTitle: string;
}

interface FlowDb {
  getVertices(): Map<string, { id: string; type?: string; text?: string; classes: string[] }>;
  getEdges(): { start: string; end: string; text?: string; stroke?: string; style?: string[] }[];
  getClasses(): Map<string, unknown>;
  getAccTitle(): string;
}

/** Parses a flowchart and returns what Mermaid understood: nodes, edges, classes. */
export async function readFlowchart(text: string): Promise<ParsedFlowchart> {
  await parseMermaid(text);
  const mermaid = await loadMermaid();
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as FlowDb;
  const nodes = new Map<string, ParsedNode>();
  for (const [id, vertex] of db.getVertices())
    nodes.set(id, {
      id,
      shape: vertex.type ?? "square",
      text: readable(vertex.text ?? id),
      classes: vertex.classes,
    });
  const edges = db.getEdges().map((edge) => ({
    from: edge.start,
    to: edge.end,
    text: readable(edge.text ?? ""),
    stroke: edge.stroke ?? "normal",
    style: edge.style ?? [],
  }));
  return { nodes, edges, classDefs: new Set(db.getClasses().keys()), accTitle: db.getAccTitle() };
}

const NAMED_ENTITIES: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", nbsp: "\u00a0" };

/**
 * Undo Mermaid's entity handling as its renderer does: the parser keeps `#35;` as a placeholder
 * (`ﬂ°°35¶ß`), and drawing turns it into the character.
 */
function readable(text: string): string {
  return text
    .replace(/ﬂ°°(\d+)¶ß/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/ﬂ°(\w+)¶ß/g, (whole, name: string) => NAMED_ENTITIES[name] ?? whole)
    .replace(/<br\s*\/?>/g, "\n");
}

/** A sample charter, validated; throws with the diagnostics when it does not load. */
export function sampleCharter(text: string, file = "sample.yaml"): Charter {
  const loaded = loadCharter(text, file);
  if (!loaded.charter)
    throw new Error(loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
  return loaded.charter;
}

/**
 * A charter with every step kind and every kind of route: an AI extraction with review, a decision,
 * an approval with separation of duties, a parallel with a join, a for-each, waits, a child workflow,
 * success and failure ends. Its titles carry quotes, brackets, pipes, `#`, `;`, `%%`, `$$`, HTML,
 * backticks and emoji.
 */
/** A backtick, for the YAML below (template literals cannot hold one unescaped). */
const BT = "`";

export const AWKWARD_YAML = `
charter: 1
workflow: kitchen-sink
title: 'Kitchen "sink" [v2] | a #1 <b>test</b> ; 100% 😀'
description: |
  Everything at once: *bold* _under_ <script>alert(1)</script> and a | pipe.
  Second line # not a heading.
owner: team:operations
triggers:
  - manual: {}
  - webhook: { path: /kitchen/sink }
  - schedule: { cron: "0 6 * * 1-5", timezone: Europe/Paris }
  - event: { name: order.received }
input:
  schema:
    type: object
    required: [orderId, lines]
    properties:
      orderId: { type: string, description: "The order's id | unique" }
      amount: { type: number, minimum: 0 }
      currency: { enum: [EUR, USD] }
      customer:
        type: object
        required: [name]
        properties:
          name: { type: string }
          email: { type: string, format: email }
      lines:
        type: array
        items:
          type: object
          required: [sku]
          properties:
            sku: { type: string }
  on_invalid: fix-input
success:
  outcomes: [shipped, cancelled]
  within: 5d
roles:
  clerk: { description: 'Clerks | "front" office', members: [user:ann, user:bob] }
  manager: { description: Approves orders }
model_tasks:
  extract-order:
    description: Reads orders
    instructions: |
      Extract the order. Use ${BT.repeat(3)} fences?  No: say "how sure" you are | per field.
    model: offline:echo
    output:
      type: object
      required: [total]
      properties:
        total: { type: number, description: The order total }
        notes: { type: string }
start: extract
steps:
  extract:
    kind: ai
    title: 'Read the order ("AI") [draft] #1'
    owner: team:operations
    model_task: extract-order
    accept: { when: "confidence >= 0.9 and output.total > 0" }
    review: review-extraction
    timeout: 30s
    retry: { max_attempts: 2, backoff: fixed, initial: 5s }
    on_error: { MODEL_DOWN: review-extraction }
    next: check-stock
  review-extraction:
    kind: task
    title: Check the extraction | by hand
    owner: role:clerk
    assignee: role:clerk
    not_by: [initiator]
    require_reason: false
    shows: [input, steps.extract.output]
    due: 4h
    expire: { after: 1d, goto: exception }
    form:
      type: object
      required: [total]
      properties:
        total: { type: number }
    next: check-stock
  fix-input:
    kind: task
    title: Fix the input
    owner: role:clerk
    assignee: role:clerk
    due: 1d
    expire: { after: 2d, goto: cancelled }
    next: extract
  check-stock:
    kind: parallel
    title: Check stock & credit
    owner: team:operations
    branches:
      - [reserve-stock]
      - [check-credit, credit-hold]
    on_error: { default: exception }
    next: route
  reserve-stock:
    kind: action
    owner: team:warehouse
    handler: wms.reserve
    timeout: 10s
    retry: { max_attempts: 5, backoff: exponential, initial: 1s, max_delay: 5m }
    on_error:
      OUT_OF_STOCK: cancelled
      SKU_UNKNOWN: cancelled
      TEMPORARY: continue
      default: exception
  check-credit:
    kind: action
    owner: team:finance
    handler: credit.check
    timeout: 5s
    retry: { max_attempts: 3, initial: 2s, factor: 3 }
    on_error: { CREDIT_API_DOWN: exception }
  credit-hold:
    kind: wait
    title: Wait for the credit ${BT}hold${BT} to clear
    owner: team:finance
    event: credit.cleared
    correlation: "input.orderId"
    timeout: 2d
    on_timeout: cancelled
  route:
    kind: decision
    title: 'Big order? {amount > 1000}'
    owner: team:finance-controls
    policy: Order policy | v3
    rules:
      - name: small order
        when: "input.amount <= 1000"
        goto: ship
      - when: "steps.extract.output.total > 1000 and steps.${BT}check-credit${BT}.output.ok"
        goto: approve
    default: approve
  approve:
    kind: approval
    title: Manager approval
    owner: role:manager
    assignee: role:manager
    not_by: [initiator, review-extraction, user:carl]
    require_reason: true
    shows: [input, steps.extract.output]
    instructions: Approve only if the | customer is known.
    due: 1d
    escalate: { after: 1d, to: role:director }
    expire: { after: 3d, goto: stalled }
    outcomes: { approved: ship-all, rejected: cancelled, "on-hold": wait-payment }
  wait-payment:
    kind: wait
    owner: team:finance
    until: "$toMillis(input.due)"
    timeout: 7d
    on_timeout: stalled
    next: ship-all
  ship-all:
    kind: parallel
    title: Ship each line
    owner: team:warehouse
    for_each: "input.lines"
    as: line
    concurrency: 4
    branch: [ship]
    on_error: { PARTIAL: invoice }
    next: invoice
  ship:
    kind: action
    owner: team:warehouse
    handler: wms.ship
    irreversible: true
    idempotency: "input.orderId & '-' & line.sku"
    timeout: 1m
    on_error: { default: exception }
  invoice:
    kind: workflow
    title: Invoice the customer
    owner: team:billing
    workflow: invoicing
    timeout: 3d
    outcomes: { invoiced: shipped, failed: exception }
  shipped: { kind: end, outcome: shipped, title: 'Shipped "ok"' }
  cancelled: { kind: end, outcome: cancelled }
  stalled: { kind: end, outcome: stalled, success: false }
`;

/** A step id per Mermaid keyword, titles that look like syntax, and an end named "end". */
export const KEYWORD_IDS_YAML = `
charter: 1
workflow: keywords
title: graph subgraph end
owner: user:kim
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [end] }
start: graph
steps:
  graph:
    kind: action
    title: '--> B["x"] ; click A call f()'
    owner: user:kim
    handler: a.b
    timeout: 1s
    on_error: { default: style }
    next: subgraph
  subgraph:
    kind: decision
    title: '%% not a comment $$x^2$$'
    owner: user:kim
    rules: [{ when: "true", goto: class }]
    default: click
  class: { kind: action, owner: user:kim, handler: a.c, timeout: 1s, on_error: { default: exception }, next: end }
  click: { kind: action, owner: user:kim, handler: a.d, timeout: 1s, on_error: { default: exception }, next: direction }
  direction: { kind: end, outcome: direction, success: false, title: "a\\\\b/c" }
  style: { kind: end, outcome: style, success: false }
  end: { kind: end, outcome: end, title: "end" }
`;

/** The example of DESIGN.md, completed with the steps it refers to. */
export const INVOICE_YAML = `
charter: 1
workflow: invoice-approval
title: Supplier invoice approval
description: Checks supplier invoices against purchase orders and pays the approved ones.
owner: team:accounts-payable
triggers:
  - manual: {}
  - webhook: { path: /invoices }
  - schedule: { cron: "0 6 * * 1-5" }
  - event: { name: invoice.received }
input:
  schema:
    type: object
    required: [vendorId, documentText]
    properties:
      vendorId: { type: string, description: The vendor's id in the ERP }
      documentText: { type: string, description: The invoice as text }
  on_invalid: request-missing-info
success:
  outcomes: [paid, rejected]
  within: 5d
roles:
  ap-clerk: { description: Accounts payable clerks, members: [user:ann] }
  finance-manager: { description: Approves up to 25k, members: [user:fred] }
  finance-director: { description: Escalation for managers, members: [user:dora] }
  cfo: { description: Approves above 25k, members: [user:carla] }
start: extract
steps:
  extract:
    kind: ai
    owner: team:accounts-payable
    purpose: Read the invoice and extract vendor, number, dates, lines and total.
    model_task: extract-invoice
    accept: { when: "confidence >= 0.9" }
    review: review-extraction
    next: match-po
  review-extraction:
    kind: task
    title: Check the extracted invoice
    owner: role:ap-clerk
    assignee: role:ap-clerk
    shows: [input, steps.extract.output]
    due: 4h
    expire: { after: 1d, goto: exception }
    next: match-po
  match-po:
    kind: action
    owner: team:accounts-payable
    handler: erp.matchPurchaseOrder
    timeout: 30s
    retry: { max_attempts: 5, backoff: exponential, initial: 1s, max_delay: 5m }
    on_error:
      PO_NOT_FOUND: request-po
      default: exception
    next: route
  request-po:
    kind: task
    title: Ask the buyer for the purchase order
    owner: role:ap-clerk
    assignee: role:ap-clerk
    due: 1d
    expire: { after: 5d, goto: stalled-approval }
    next: match-po
  route:
    kind: decision
    owner: team:finance-controls
    policy: Delegation of authority v4
    rules:
      - when: "steps.extract.output.total <= 1000 and steps.\`match-po\`.output.matched"
        goto: schedule-payment
      - when: "steps.extract.output.total <= 25000"
        goto: approve-manager
    default: approve-cfo
  approve-manager:
    kind: approval
    owner: role:finance-manager
    assignee: role:finance-manager
    not_by: [initiator, review-extraction]
    require_reason: true
    shows: [input, steps.extract.output, steps.match-po.output]
    due: 1d
    escalate: { after: 1d, to: role:finance-director }
    expire: { after: 3d, goto: stalled-approval }
    outcomes: { approved: schedule-payment, rejected: notify-vendor }
  approve-cfo:
    kind: approval
    owner: role:cfo
    assignee: role:cfo
    not_by: [initiator]
    require_reason: true
    due: 2d
    expire: { after: 5d, goto: stalled-approval }
    outcomes: { approved: schedule-payment, rejected: notify-vendor }
  request-missing-info:
    kind: task
    owner: role:ap-clerk
    assignee: role:ap-clerk
    due: 1d
    expire: { after: 3d, goto: stalled-approval }
    next: rejected
  schedule-payment:
    kind: action
    owner: team:treasury
    handler: bank.schedulePayment
    irreversible: true
    idempotency: "input.vendorId & '-' & steps.extract.output.number"
    timeout: 1m
    retry: { max_attempts: 3, backoff: exponential, initial: 5s }
    on_error: { default: exception }
    next: paid
  notify-vendor:
    kind: action
    owner: team:accounts-payable
    handler: mail.notifyVendor
    timeout: 30s
    on_error: { default: exception }
    next: rejected
  paid: { kind: end, outcome: paid }
  rejected: { kind: end, outcome: rejected }
  stalled-approval: { kind: end, outcome: stalled, success: false }
model_tasks:
  extract-invoice:
    instructions: Extract the invoice fields. Say how sure you are of each.
    output:
      type: object
      required: [number, total]
      properties:
        number: { type: string, description: The invoice number }
        total: { type: number, description: The invoice total }
`;
