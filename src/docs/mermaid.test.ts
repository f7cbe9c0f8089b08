import { describe, expect, it } from "vitest";
import { AWKWARD_YAML, INVOICE_YAML, KEYWORD_IDS_YAML, sampleCharter } from "../../test/helpers/mermaid.js";
import { escapeMermaidText, renderMermaid } from "./mermaid.js";

const invoice = renderMermaid(sampleCharter(INVOICE_YAML));
const kitchen = renderMermaid(sampleCharter(AWKWARD_YAML));
const keywords = renderMermaid(sampleCharter(KEYWORD_IDS_YAML));

/** The diagram's lines, without indentation. */
const lines = (diagram: string) => diagram.split("\n").map((line) => line.trim());

/** The declaration line of a node. */
const node = (diagram: string, id: string) => lines(diagram).find((line) => new RegExp(`^${id}[[({>]`).test(line));

/** Class names given to a node by `class a,b name` lines. */
function classesOf(diagram: string, id: string): string[] {
  return lines(diagram).flatMap((line) => {
    const match = /^class (\S+) (\S+)$/.exec(line);
    return match && match[1]!.split(",").includes(id) ? [match[2]!] : [];
  });
}

describe("renderMermaid", () => {
  it("draws a top-down flowchart from an entry node listing the triggers to the start step", () => {
    expect(lines(invoice)[0]).toBe("flowchart TD");
    expect(node(invoice, "n_start")).toBe(
      'n_start>"Start<br/>manual<br/>webhook /invoices<br/>schedule 0 6 * * 1-5<br/>event invoice.received"]',
    );
    expect(lines(invoice)).toContain("n_start --> s_extract");
  });

  it("draws an error route as a dashed edge labelled with its error code", () => {
    expect(lines(invoice)).toContain('s_match_po -.->|"PO_NOT_FOUND"| s_request_po');
  });

  it("draws expiry, wait timeout and invalid input as dashed labelled edges", () => {
    expect(lines(invoice)).toContain('s_approve_manager -.->|"expired after 3d"| s_stalled_approval');
    expect(lines(invoice)).toContain('n_start -.->|"invalid input"| s_request_missing_info');
    expect(lines(kitchen)).toContain('s_credit_hold -.->|"timeout after 2d"| s_cancelled');
  });

  it("sends every route to the exception queue to one exception node that names its owner", () => {
    const toQueue = lines(invoice).filter((line) => line.endsWith("n_exception") && line.includes("-."));
    expect(toQueue).toEqual([
      's_review_extraction -.->|"expired after 1d"| n_exception',
      's_match_po -.->|"any other error"| n_exception',
      's_schedule_payment -.->|"any other error"| n_exception',
      's_notify_vendor -.->|"any other error"| n_exception',
    ]);
    expect(lines(invoice).filter((line) => /^n_exception\[/.test(line))).toEqual([
      'n_exception[("Exception queue<br/>owner team:accounts-payable")]',
    ]);
  });

  it("draws a child workflow's outcomes, its next on success and its error routes (dashed)", () => {
    const diagram = renderMermaid(
      sampleCharter(`
charter: 1
workflow: parent
title: Parent
owner: team:operations
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [done] }
start: vet
steps:
  vet:
    kind: workflow
    owner: team:operations
    workflow: vendor-check
    outcomes: { blocked: refused }
    next: done
    on_error: { TIMEOUT: refused, default: exception }
  refused: { kind: end, outcome: refused, success: false }
  done: { kind: end, outcome: done }
`),
    );
    expect(lines(diagram)).toContain('s_vet -->|"blocked"| s_refused');
    expect(lines(diagram)).toContain('s_vet -->|"child succeeded"| s_done');
    expect(lines(diagram)).toContain('s_vet -.->|"TIMEOUT"| s_refused');
    expect(lines(diagram)).toContain('s_vet -.->|"any other error"| n_exception');
  });

  it("names the event a wait waits for", () => {
    expect(node(kitchen, "s_credit_hold")).toContain("event credit.cleared");
  });

  it("gives each step kind its own shape and class", () => {
    const expected: [string, RegExp, string][] = [
      ["s_extract", /^s_extract\{\{"🤖 AI: extract<br\/>model task extract-invoice"\}\}$/, "ai"],
      ["s_route", /^s_route\{"route"\}$/, "decision"],
      ["s_approve_manager", /^s_approve_manager\(\["👤 approve-manager<br\/>approval by role:finance-manager"\]\)$/, "human"],
      ["s_review_extraction", /^s_review_extraction\("👤 Check the extracted invoice<br\/>review-extraction · task for role:ap-clerk"\)$/, "human"],
      ["s_match_po", /^s_match_po\["match-po<br\/>erp.matchPurchaseOrder"\]$/, "action"],
      ["s_paid", /^s_paid\(\(\("paid"\)\)\)$/, "endSuccess"],
      ["s_stalled_approval", /^s_stalled_approval\(\("stalled"\)\)$/, "endFailure"],
    ];
    for (const [id, shape, cls] of expected) {
      expect(node(invoice, id)).toMatch(shape);
      expect(classesOf(invoice, id)).toContain(cls);
    }
    expect(node(kitchen, "s_credit_hold")).toMatch(/^s_credit_hold\[\/"⏳ /);
    expect(classesOf(kitchen, "s_credit_hold")).toEqual(["wait"]);
    expect(node(kitchen, "s_invoice")).toMatch(/^s_invoice\[\["Invoice the customer<br\/>invoice · runs workflow invoicing"\]\]$/);
    expect(classesOf(kitchen, "s_invoice")).toEqual(["workflow"]);
  });

  it("marks an irreversible action with a warning line and a second class", () => {
    expect(node(invoice, "s_schedule_payment")).toContain("⚠ irreversible");
    expect(classesOf(invoice, "s_schedule_payment")).toEqual(["action", "irreversible"]);
  });

  it("styles success and failure ends apart: double circle and circle, green and red", () => {
    expect(invoice).toMatch(/classDef endSuccess fill:#dcfce7/);
    expect(invoice).toMatch(/classDef endFailure fill:#fee2e2/);
    expect(classesOf(invoice, "s_rejected")).toEqual(["endSuccess"]);
  });

  it("draws parallel branches from a fork node to a join node, then on to the parallel's next step", () => {
    const all = lines(kitchen);
    expect(node(kitchen, "s_check_stock")).toMatch(/^s_check_stock\[\/"Check stock #38; credit<br\/>check-stock · fork: 2 branches"\\\]$/);
    expect(node(kitchen, "j_check_stock")).toMatch(/^j_check_stock\[\\"join<br\/>Check stock #38; credit"\/\]$/);
    expect(all).toContain('s_check_stock -->|"branch 1"| s_reserve_stock');
    expect(all).toContain('s_check_stock -->|"branch 2"| s_check_credit');
    expect(all).toContain("s_check_credit --> s_credit_hold");
    expect(all).toContain("s_reserve_stock --> j_check_stock");
    expect(all).toContain("s_credit_hold --> j_check_stock");
    expect(all).toContain("j_check_stock --> s_route");
    expect(all).not.toContain("s_credit_hold --> s_route");
  });

  it("sends a branch's `continue` error route to the join", () => {
    expect(lines(kitchen)).toContain('s_reserve_stock -.->|"TEMPORARY"| j_check_stock');
  });

  it("draws a for-each parallel with its item expression and concurrency", () => {
    expect(node(kitchen, "s_ship_all")).toContain("for each input.lines, 4 at a time");
    expect(lines(kitchen)).toContain('s_ship_all -->|"each item"| s_ship');
    expect(lines(kitchen)).toContain("s_ship --> j_ship_all");
  });

  it("merges two routes between the same steps into one edge with both labels", () => {
    expect(lines(kitchen)).toContain('s_reserve_stock -.->|"OUT_OF_STOCK, SKU_UNKNOWN"| s_cancelled');
  });

  it("labels decision routes with the rule's name, or its condition when it has none", () => {
    expect(lines(kitchen)).toContain('s_route -->|"small order"| s_ship');
    expect(lines(invoice).find((line) => line.startsWith("s_route -->|") && line.endsWith("s_schedule_payment"))).toBe(
      's_route -->|"steps.extract.output.total #60;= 1000 and steps.#96;m…"| s_schedule_payment',
    );
    expect(lines(invoice)).toContain('s_route -->|"otherwise"| s_approve_cfo');
  });

  it("prefixes node ids so that step ids such as end, graph or class are not Mermaid keywords", () => {
    for (const id of ["graph", "subgraph", "class", "click", "style", "end", "direction"])
      expect(node(keywords, `s_${id}`)).toBeDefined();
    const statements = lines(keywords).filter((line) => !/^(flowchart|acc\w+:|classDef|class|linkStyle) /.test(line));
    for (const line of statements) expect(line).toMatch(/^[nsju]_\w+(\W|$)/);
    for (const line of statements.filter((l) => l.includes("->"))) expect(line).toMatch(/ [nsju]_\w+$/);
  });

  it("escapes quotes, brackets, pipes, hashes, percent and dollar signs in labels", () => {
    expect(node(keywords, "s_graph")).toBe('s_graph["--#62; B#91;#34;x#34;#93; #59; click A call f#40;#41;<br/>graph · a.b"]');
    expect(node(keywords, "s_subgraph")).toBe('s_subgraph{"#37;#37; not a comment #36;#36;x#94;2#36;#36;<br/>subgraph"}');
    expect(node(kitchen, "s_review_extraction")).toContain("Check the extraction #124; by hand");
  });

  it("draws a route to an unknown step as a marked node with a safe id", () => {
    const charter = sampleCharter(INVOICE_YAML);
    charter.steps["match-po"] = { ...charter.steps["match-po"]!, next: 'no such "step"' } as never;
    const diagram = renderMermaid(charter);
    expect(node(diagram, "u_1")).toBe('u_1["⚠ unknown step<br/>no such #34;step#34;"]');
    expect(lines(diagram)).toContain("s_match_po --> u_1");
    expect(classesOf(diagram, "u_1")).toEqual(["unknown"]);
  });

  it("draws an input that is refused as a dashed route to a refusal end", () => {
    const diagram = renderMermaid(sampleCharter(KEYWORD_IDS_YAML));
    expect(lines(diagram)).toContain('n_start -.->|"invalid input"| n_reject');
    expect(node(diagram, "n_reject")).toBe('n_reject(("input refused"))');
  });

  it("colours exception routes by their index among the edges", () => {
    const edges = lines(invoice).filter((line) => / (-->|-\.->)/.test(line));
    const dashed = edges.flatMap((line, index) => (line.includes("-.->") ? [index] : []));
    expect(lines(invoice)).toContain(`linkStyle ${dashed.join(",")} stroke:#b91c1c,color:#b91c1c`);
  });

  it("lists steps in the charter's order and renders the same text every time", () => {
    const order = lines(invoice).flatMap((line) => /^(s_\w+)[[({]/.exec(line)?.[1] ?? []);
    expect(order.slice(0, 4)).toEqual(["s_extract", "s_review_extraction", "s_match_po", "s_request_po"]);
    expect(renderMermaid(sampleCharter(INVOICE_YAML))).toBe(invoice);
  });
});

describe("escapeMermaidText", () => {
  it("keeps letters, digits, common punctuation and non-ASCII text as they are", () => {
    expect(escapeMermaidText("Café: 3 items, 50/50 - ok? 😀")).toBe("Café: 3 items, 50/50 - ok? 😀");
  });

  it("turns every other ASCII punctuation into a numeric entity and control characters into spaces", () => {
    expect(escapeMermaidText('"<a>|[b]{c}#;`$%&\\')).toBe(
      "#34;#60;a#62;#124;#91;b#93;#123;c#125;#35;#59;#96;#36;#37;#38;#92;",
    );
    expect(escapeMermaidText("a\tb\nc")).toBe("a b c");
  });
});
