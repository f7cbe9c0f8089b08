/**
 * Every rule id the code can report has a docs page: the ids written in the source are collected
 * and compared with the rule lists the docs are generated from.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RULE_FAMILIES } from "../src/definition/lint/rule.js";
import { ALL_RULES } from "../src/definition/lint/rules/index.js";
import { STRUCTURAL_RULES } from "../src/definition/lint/structural.js";

const src = fileURLToPath(new URL("../src/", import.meta.url));
const families = ["syntax", "schema", "limits", ...Object.keys(RULE_FAMILIES)].join("|");
const ID_LITERAL = new RegExp(`["'\`]((?:${families})/[a-z][a-z0-9-]*)["'\`]`, "g");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("the rule catalogue", () => {
  const documented = new Set([...ALL_RULES, ...STRUCTURAL_RULES].map((rule) => rule.id));

  it("documents every rule id the source reports", () => {
    const written = new Set<string>();
    for (const file of sourceFiles(src)) {
      for (const match of readFileSync(file, "utf8").matchAll(ID_LITERAL)) written.add(match[1]!);
    }
    expect(written.size).toBeGreaterThan(40);
    expect([...written].filter((id) => !documented.has(id)).sort()).toEqual([]);
  });

  it("gives each rule a unique id", () => {
    const ids = [...ALL_RULES, ...STRUCTURAL_RULES].map((rule) => rule.id);
    expect(ids.length).toBe(new Set(ids).size);
  });
});
