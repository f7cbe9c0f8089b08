import { describe, expect, it } from "vitest";
import { buildGraph } from "../definition/graph.js";
import { AWKWARD_YAML, INVOICE_YAML, sampleCharter } from "../../test/helpers/mermaid.js";
import { aiBoundary, exceptionRoutes, retrySummary, routeLabel, schemaFields, schemaType } from "./describe.js";

describe("retrySummary", () => {
  it("says how many attempts, the backoff, the first delay and the cap", () => {
    expect(retrySummary({ max_attempts: 5, backoff: "exponential", initial: "1s", max_delay: "5m" })).toBe(
      "5× exponential from 1s, max 5m",
    );
    expect(retrySummary({ max_attempts: 3, backoff: "fixed", initial: "10s" })).toBe("3× fixed every 10s");
    expect(retrySummary({ max_attempts: 3, backoff: "exponential", initial: "2s", factor: 3 })).toBe(
      "3× exponential (factor 3) from 2s",
    );
    expect(retrySummary(undefined)).toBeUndefined();
  });
});

describe("schemaType", () => {
  it("names types with their format and bounds, enums by their values, unions with or", () => {
    expect(schemaType({ type: "string", format: "date" })).toBe("string (date)");
    expect(schemaType({ type: ["string", "null"], format: "date" })).toBe("string or null (date)");
    expect(schemaType({ type: "integer", minimum: 1, maximum: 9 })).toBe("integer (≥ 1, ≤ 9)");
    expect(schemaType({ enum: ["a", 1] })).toBe('"a" or 1');
    expect(schemaType({ type: "array", items: { type: "number" } })).toBe("array of number");
    expect(schemaType({ oneOf: [{ type: "string" }, { type: "number" }] })).toBe("string or number");
    expect(schemaType({})).toBe("any");
  });
});

describe("schemaFields", () => {
  it("flattens nested objects and array items, and says a field is required only with its optional parent", () => {
    const fields = schemaFields({
      type: "object",
      required: ["a"],
      properties: {
        a: { type: "object", required: ["b"], properties: { b: { type: "string" } } },
        c: { type: "object", required: ["d"], properties: { d: { type: "string", description: "D" } } },
        e: { type: "array", items: { type: "object", properties: { f: { type: "number" } } } },
      },
    });
    expect(fields).toEqual([
      { name: "a", type: "object", required: true },
      { name: "a.b", type: "string", required: true },
      { name: "c", type: "object", required: false },
      { name: "c.d", type: "string", required: true, requiredWith: "c", description: "D" },
      { name: "e", type: "array of object", required: false },
      { name: "e[].f", type: "number", required: false },
    ]);
  });

  it("returns nothing for a schema without properties", () => {
    expect(schemaFields(undefined)).toEqual([]);
    expect(schemaFields({ type: "object" })).toEqual([]);
  });
});

describe("exceptionRoutes", () => {
  it("lists written routes in step order, then what each step leaves unrouted", () => {
    const charter = sampleCharter(INVOICE_YAML);
    const routes = exceptionRoutes(charter, buildGraph(charter)).map((r) => `${r.step ?? "input"} ${r.when} ${r.target}${r.implicit ? " (implicit)" : ""}`);
    expect(routes.slice(0, 6)).toEqual([
      "input invalid input request-missing-info",
      "extract any other error exception (implicit)",
      "review-extraction expired after 1d exception",
      "match-po PO_NOT_FOUND request-po",
      "match-po default exception",
      "request-po expired after 5d stalled-approval",
    ]);
  });
});

describe("exceptionRoutes of a workflow step", () => {
  const withChild = (routes: string) =>
    sampleCharter(`
charter: 1
workflow: parent
title: Parent
owner: team:operations
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [done] }
start: child
steps:
  child:
    kind: workflow
    owner: team:operations
    workflow: other
    timeout: 1d
    next: done${routes}
  retry-later: { kind: end, outcome: retry-later, success: false }
  done: { kind: end, outcome: done }
`);
  const rows = (routes: string) => {
    const charter = withChild(routes);
    return exceptionRoutes(charter, buildGraph(charter)).map(
      (r) => `${r.step ?? "input"} ${r.when} ${r.target}${r.isCode ? " (code)" : ""}${r.implicit ? " (implicit)" : ""}`,
    );
  };

  it("sends CHILD_FAILED and any other error to the exception queue when on_error has no default", () => {
    expect(rows("")).toEqual([
      "input invalid input reject",
      "child CHILD_FAILED exception (code) (implicit)",
      "child any other error exception (implicit)",
    ]);
  });

  it("lists the written on_error routes, and no CHILD_FAILED once default outcomes or on_error catch it", () => {
    expect(rows("\n    on_error: { TIMEOUT: retry-later }")).toEqual([
      "input invalid input reject",
      "child TIMEOUT retry-later (code)",
      "child CHILD_FAILED exception (code) (implicit)",
      "child any other error exception (implicit)",
    ]);
    expect(rows("\n    outcomes: { default: retry-later }").slice(1)).toEqual([
      "child any other error exception (implicit)",
    ]);
    expect(rows("\n    on_error: { default: retry-later }").slice(1)).toEqual([
      "child default retry-later (code)",
    ]);
  });

  it("labels a workflow step's next as the child's success", () => {
    const charter = withChild("");
    const next = buildGraph(charter).outgoing.get("child")!.find((edge) => edge.kind === "next")!;
    expect(routeLabel(next, charter)).toBe("child succeeded");
  });
});

describe("aiBoundary", () => {
  it("finds the first decisions and people the accepted output meets, and the review route", () => {
    const charter = sampleCharter(AWKWARD_YAML);
    const boundary = aiBoundary(charter, buildGraph(charter), "extract");
    expect(boundary.gates).toEqual(["route"]);
    expect(boundary.review).toBe("review-extraction");
  });

  it("reports an irreversible action or success end reached with no gate, with a shortest path", () => {
    const charter = sampleCharter(AWKWARD_YAML);
    expect(aiBoundary(charter, buildGraph(charter), "extract").ungated).toEqual([
      { target: "cancelled", path: ["extract", "check-stock", "reserve-stock", "cancelled"] },
    ]);
    const invoice = sampleCharter(INVOICE_YAML);
    expect(aiBoundary(invoice, buildGraph(invoice), "extract").ungated).toEqual([]);
  });

  it("follows a gate's expiry, since an expired approval decided nothing", () => {
    const charter = sampleCharter(INVOICE_YAML);
    charter.steps["stalled-approval"] = { kind: "end", outcome: "paid" };
    const boundary = aiBoundary(charter, buildGraph(charter), "extract");
    expect(boundary.gates).toEqual(["route", "request-po"]);
    expect(boundary.ungated.map((u) => u.path.join(" > "))).toContain(
      "extract > match-po > request-po > stalled-approval",
    );
  });
});
