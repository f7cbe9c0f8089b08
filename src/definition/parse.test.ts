import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { resolveDefinitionLimits } from "./limits.js";
import { parseCharterText } from "./parse.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const limits = resolveDefinitionLimits();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}

const corpus = [...yamlFiles(path.join(root, "examples")), ...yamlFiles(path.join(root, "test/fixtures"))];

describe("reading charter text", () => {
  // The fast reader gives values; the yaml package gives positions. They must agree on every file
  // we have, or a finding would be placed at the wrong node.
  it.each(corpus.map((file) => [path.relative(root, file), file]))(
    "both readers agree on %s",
    (_name, file) => {
      const text = readFileSync(file, "utf8");
      const document = parseDocument(text, { uniqueKeys: false });
      if (document.errors.length > 0) return;
      const full = JSON.parse(JSON.stringify(document.toJS({ maxAliasCount: 100 }))) as unknown;
      const fast = JSON.parse(JSON.stringify(load(text, { schema: CORE_SCHEMA }))) as unknown;
      expect(fast).toEqual(full);
    },
  );

  it("reads a text the fast reader refuses but YAML allows (a tab inside a flow list)", () => {
    const parsed = parseCharterText('{ "a": [1,\t2] }', limits);
    expect(parsed.syntaxFindings).toEqual([]);
    expect(parsed.value).toEqual({ a: [1, 2] });
  });

  it("places findings by path without the full reader having run for a clean text", () => {
    const parsed = parseCharterText("a:\n  b: [1, 2]\n", limits);
    expect(parsed.value).toEqual({ a: { b: [1, 2] } });
    expect(parsed.source.locate(["a", "b", 1])).toEqual({ line: 2, col: 10, endLine: 2, endCol: 11 });
    expect(parsed.source.locate(["a", "b"], { atKey: true })).toMatchObject({ line: 2, col: 3 });
  });

  it("takes anchored values from the fast reader once the alias limit is checked", () => {
    const parsed = parseCharterText("retry: &r { max_attempts: 3 }\nother: *r\n", limits);
    expect(parsed.syntaxFindings).toEqual([]);
    expect(parsed.value).toEqual({ retry: { max_attempts: 3 }, other: { max_attempts: 3 } });
  });

  it("refuses a self-referencing alias", () => {
    const parsed = parseCharterText("a: &a [*a]\n", limits);
    expect(parsed.value).toBeUndefined();
    expect(parsed.syntaxFindings.map((f) => f.ruleId)).toEqual(["limits/aliases"]);
  });
});
