/**
 * Every diagram the docs generator draws must parse with Mermaid's own parser, whatever the titles
 * hold: GitHub shows a parse error box instead of the diagram otherwise. Covers the sample charters
 * and every charter in examples/ (as they are added).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isDirectoryValue } from "../src/definition/directory.js";
import { loadCharter } from "../src/definition/load.js";
import type { Charter } from "../src/definition/schema.js";
import { EXCEPTION_EDGE_KINDS, buildGraph } from "../src/definition/graph.js";
import { renderCharterPage } from "../src/docs/markdown.js";
import { renderMermaid, stepNodeId } from "../src/docs/mermaid.js";
import { MINIMAL_YAML } from "./helpers/charters.js";
import {
  AWKWARD_YAML,
  INVOICE_YAML,
  KEYWORD_IDS_YAML,
  parseMermaid,
  readFlowchart,
  sampleCharter,
} from "./helpers/mermaid.js";

const EXAMPLES_DIR = new URL("../examples/", import.meta.url);

/** The charters in examples/ (not the directory files of role members that sit beside them). */
function exampleFiles(): string[] {
  let names: string[];
  try {
    names = readdirSync(EXAMPLES_DIR);
  } catch {
    return []; // no examples/ yet: the sample charters still run
  }
  return names
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .filter((name) => !isDirectoryValue(parse(readFileSync(new URL(name, EXAMPLES_DIR), "utf8"))))
    .sort();
}

function exampleCharter(name: string): Charter {
  const loaded = loadCharter(readFileSync(new URL(name, EXAMPLES_DIR)), `examples/${name}`);
  expect(
    loaded.charter,
    loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"),
  ).toBeDefined();
  return loaded.charter!;
}

const samples: [string, () => Charter][] = [
  ["minimal fixture", () => sampleCharter(MINIMAL_YAML)],
  ["invoice (DESIGN.md)", () => sampleCharter(INVOICE_YAML)],
  ["every kind, awkward titles", () => sampleCharter(AWKWARD_YAML)],
  ["Mermaid keywords as step ids", () => sampleCharter(KEYWORD_IDS_YAML)],
  ...exampleFiles().map((name): [string, () => Charter] => [`examples/${name}`, () => exampleCharter(name)]),
];

/** The Mermaid block of a rendered page. */
function mermaidBlock(page: string): string {
  const match = /^```mermaid\n([\s\S]*?)\n```$/m.exec(page);
  expect(match, "the page has a ```mermaid block").not.toBeNull();
  return match![1]!;
}

describe.each(samples)("the diagram of %s", (_, load) => {
  it("parses with Mermaid as a flowchart, also when taken from its Markdown page", async () => {
    const charter = load();
    expect(await parseMermaid(renderMermaid(charter))).toBe("flowchart-v2");
    const page = renderCharterPage(charter, { file: "x.yaml", hash: "0".repeat(64) });
    expect(mermaidBlock(page)).toBe(renderMermaid(charter));
  });

  it("has one node per step, each step label showing its title or id", async () => {
    const charter = load();
    const flowchart = await readFlowchart(renderMermaid(charter));
    for (const [id, step] of Object.entries(charter.steps)) {
      const node = flowchart.nodes.get(stepNodeId(id));
      expect(node, id).toBeDefined();
      const name = step.kind === "end" ? (step.title ?? step.outcome) : (step.title ?? id);
      expect(node!.text.replace(/\s+/g, " ")).toContain(name.replace(/\s+/g, " ").trim().slice(0, 40));
    }
  });

  it("dashes exactly the exception routes and colours them red", async () => {
    const charter = load();
    const flowchart = await readFlowchart(renderMermaid(charter));
    const dashed = flowchart.edges.filter((edge) => edge.stroke === "dotted");
    for (const edge of flowchart.edges)
      expect(edge.style.includes("stroke:#b91c1c"), `${edge.from} -> ${edge.to}`).toBe(
        edge.stroke === "dotted",
      );
    const graph = buildGraph(charter);
    const exceptionSources = new Set(
      graph.edges
        .filter((e) => EXCEPTION_EDGE_KINDS.has(e.kind))
        .map((e) => (e.from === "$input" ? "n_start" : stepNodeId(e.from))),
    );
    if (charter.input?.on_invalid === "reject") exceptionSources.add("n_start");
    expect(new Set(dashed.map((edge) => edge.from))).toEqual(exceptionSources);
  });

  it("defines every class it uses", async () => {
    const flowchart = await readFlowchart(renderMermaid(load()));
    for (const node of flowchart.nodes.values())
      for (const cls of node.classes) expect(flowchart.classDefs.has(cls), `${node.id}: ${cls}`).toBe(true);
  });
});

describe("labels", () => {
  it("read back exactly as written in the charter, quotes, brackets, pipes and emoji included", async () => {
    const charter = sampleCharter(AWKWARD_YAML);
    const flowchart = await readFlowchart(renderMermaid(charter));
    expect(flowchart.nodes.get("s_extract")!.text).toBe(
      '🤖 AI: Read the order ("AI") [draft] #1\nextract · model task extract-order',
    );
    expect(flowchart.nodes.get("s_route")!.text).toBe("Big order? {amount > 1000}\nroute");
    expect(flowchart.nodes.get("s_credit_hold")!.text).toContain("Wait for the credit `hold` to clear");
    expect(flowchart.nodes.get("s_shipped")!.text).toBe('Shipped "ok"\nshipped');
    expect(flowchart.accTitle).toContain("Kitchen");
    const keywords = await readFlowchart(renderMermaid(sampleCharter(KEYWORD_IDS_YAML)));
    expect(keywords.nodes.get("s_graph")!.text).toBe('--> B["x"] ; click A call f()\ngraph · a.b');
    expect(keywords.nodes.get("s_subgraph")!.text).toBe("%% not a comment $$x^2$$\nsubgraph");
    expect(keywords.nodes.get("s_direction")!.text).toBe("a\\b/c\ndirection");
  });

  it("keep Mermaid's shapes per step kind", async () => {
    const flowchart = await readFlowchart(renderMermaid(sampleCharter(AWKWARD_YAML)));
    const shape = (id: string) => flowchart.nodes.get(id)?.shape;
    expect(shape("n_start")).toBe("odd");
    expect(shape("s_extract")).toBe("hexagon");
    expect(shape("s_route")).toBe("diamond");
    expect(shape("s_approve")).toBe("stadium");
    expect(shape("s_review_extraction")).toBe("round");
    expect(shape("s_reserve_stock")).toBe("square");
    expect(shape("s_credit_hold")).toBe("lean_right");
    expect(shape("s_invoice")).toBe("subroutine");
    expect(shape("s_check_stock")).toBe("trapezoid");
    expect(shape("j_check_stock")).toBe("inv_trapezoid");
    expect(shape("s_shipped")).toBe("doublecircle");
    expect(shape("s_stalled")).toBe("circle");
    expect(shape("n_exception")).toBe("cylinder");
  });
});

describe("the parser check", () => {
  it("fails on a broken diagram, so that it can catch a generator bug", async () => {
    const diagram = renderMermaid(sampleCharter(INVOICE_YAML));
    // What an unescaped title would produce: a quote ends the label early.
    const broken = diagram.replace('s_route{"route"}', 's_route{"route "big" order"}');
    expect(broken).not.toBe(diagram);
    await expect(parseMermaid(broken)).rejects.toThrow(/Parse error/);
    await expect(parseMermaid("flowchart TD\n  a[x] --> b[y")).rejects.toThrow();
  });

  it("fails on a pipe in an unquoted edge label", async () => {
    await expect(parseMermaid('flowchart TD\n  a -->|a | b| c\n  c["ok"]')).rejects.toThrow();
  });
});
