import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { INVOICE_YAML, sampleCharter } from "../../test/helpers/mermaid.js";
import { canonicalJson, charterHash, shortHash } from "./hash.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach deep into a parsed value
type Raw = Record<string, any>;

/** The invoice charter with one change applied to its parsed value. */
function changed(edit: (value: Raw) => void): string {
  const value = parse(INVOICE_YAML) as Raw;
  edit(value);
  return charterHash(sampleCharter(JSON.stringify(value), "changed.json"));
}

/** Reverses the key order of every mapping. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
}

const base = charterHash(sampleCharter(INVOICE_YAML));

describe("charterHash", () => {
  it("is 64 lowercase hex characters, and its short form is the first 12", () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(shortHash(base)).toBe(base.slice(0, 12));
  });

  it("is the same for the definition written in YAML and in JSON", () => {
    const json = JSON.stringify(parse(INVOICE_YAML), null, 2);
    expect(charterHash(sampleCharter(json, "invoice.json"))).toBe(base);
  });

  it("ignores key order, comments and layout", () => {
    const yaml = `# a comment\n${stringify(reversed(parse(INVOICE_YAML)), { indent: 4, lineWidth: 0 })}`;
    expect(yaml).not.toBe(INVOICE_YAML);
    expect(charterHash(sampleCharter(yaml))).toBe(base);
  });

  it("ignores the $schema editor hint", () => {
    expect(changed((v) => (v.$schema = "../schema/charter.schema.json"))).toBe(base);
  });

  it("treats a default written out like the default left out", () => {
    expect(changed((v) => delete v.steps["schedule-payment"].retry.backoff)).toBe(base);
  });

  it.each([
    ["a timeout", (v: Raw) => (v.steps["match-po"].timeout = "31s")],
    ["an error route", (v: Raw) => (v.steps["match-po"].on_error.PO_NOT_FOUND = "exception")],
    ["the order of decision rules", (v: Raw) => v.steps.route.rules.reverse()],
    ["the title", (v: Raw) => (v.title = "Supplier invoice approval!")],
    ["a model task's instructions", (v: Raw) => (v.model_tasks["extract-invoice"].instructions += " ")],
    ["the input schema", (v: Raw) => (v.input.schema.required = ["vendorId"])],
  ])("changes when %s changes", (_, edit) => {
    expect(changed(edit)).not.toBe(base);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it("leaves out keys whose value is undefined, as if absent", () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it("writes non-finite numbers so that they differ from null and from strings", () => {
    const texts = [null, Number.NaN, Number.POSITIVE_INFINITY, "Infinity", "NaN"].map((v) => canonicalJson([v]));
    expect(new Set(texts).size).toBe(texts.length);
  });
});
