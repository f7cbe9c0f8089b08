import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { BUILTIN_FUNCTIONS, unboundNames } from "./variables.js";

const names = (source: string) =>
  unboundNames(jsonata(source).ast()).map((u) => [u.name, u.offset, u.called]);

describe("names an expression uses without binding them", () => {
  it("reports an unknown function and an unassigned variable, at their `$`", () => {
    expect(names("$fooBar(output.total) > $limit")).toEqual([
      ["fooBar", 0, true],
      ["limit", 24, false],
    ]);
  });

  it("accepts built-in functions, bindings, lambda parameters, focus and index variables", () => {
    expect(names("$sum(input.lines.amount) > 1")).toEqual([]);
    expect(names("($x := output.total; $x > 1)")).toEqual([]);
    expect(names("$map(input.lines, function($l) { $l.amount })")).toEqual([]);
    expect(names("input.lines@$line#$i.($line.amount * $i)")).toEqual([]);
    expect(names("$.x and $$.y")).toEqual([]);
    expect(names("$map(input.tags, $uppercase)")).toEqual([]);
  });

  it("reports a variable used but bound nowhere, even beside bound ones", () => {
    expect(names("($x := 1; $y > $x)")).toEqual([["y", 10, false]]);
  });

  it("lists exactly the functions the installed JSONata has", async () => {
    for (const name of BUILTIN_FUNCTIONS) {
      expect(await jsonata(`$type($${name})`).evaluate({}), name).toBe("function");
    }
    // Every function JSONata binds in its static frame is known (read from the library itself).
    const library = readFileSync(createRequire(import.meta.url).resolve("jsonata"), "utf8");
    const bound = [...library.matchAll(/staticFrame\.bind\('([a-zA-Z0-9]+)'/g)].map((m) => m[1]!);
    expect(bound.length).toBeGreaterThan(50);
    expect(bound.filter((name) => !BUILTIN_FUNCTIONS.has(name))).toEqual([]);
  });
});
