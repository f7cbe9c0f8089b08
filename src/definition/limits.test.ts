import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCharterError } from "../errors.js";
import { largeCharterYaml } from "../../test/helpers/large-charter.js";
import { lintText, MINIMAL_YAML } from "../../test/helpers/charters.js";
import { resolveDefinitionLimits } from "./limits.js";
import { lintCharter } from "./lint/lint.js";
import { loadCharter } from "./load.js";

const ruleIds = (text: string | Uint8Array, limits = {}) =>
  loadCharter(text, "c.yaml", limits).diagnostics.map((d) => d.ruleId);

describe("hostile and broken input", () => {
  it("refuses a 10 MB file without parsing it", () => {
    const text = MINIMAL_YAML + "# " + "x".repeat(10 * 1024 * 1024) + "\n";
    expect(ruleIds(text)).toEqual(["limits/file-size"]);
    expect(loadCharter(text, "c.yaml").diagnostics[0]!.message).toMatch(
      /limit is 4194304 \(option maxBytes\)/,
    );
  });

  it.each([
    ["flow sequences", `a: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`],
    ["JSON objects", `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`],
    ["compact block sequences", `a:\n  ${"- ".repeat(10_000)}x\n`],
    // 2,000 levels: 10,000 indented levels would already be refused as too large (50 MB).
    ["indented mappings", Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n")],
  ])("refuses deep nesting in %s before the parser recurses", (_name, text) => {
    const diagnostics = loadCharter(text, "c.yaml").diagnostics;
    expect(diagnostics.map((d) => d.ruleId)).toEqual(["limits/depth"]);
    expect(diagnostics[0]!.message).toMatch(/deeper than 64 levels \(option maxDepth\)/);
    expect(diagnostics[0]!.line).toBeGreaterThanOrEqual(1);
  });

  it("accepts ordinary nesting under the depth limit, and honours a lower one", () => {
    expect(ruleIds(MINIMAL_YAML)).toEqual([]);
    expect(ruleIds(MINIMAL_YAML, { maxDepth: 3 })).toEqual(["limits/depth"]);
  });

  it("stops a billion-laughs alias bomb", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const diagnostics = loadCharter(levels.join("\n") + "\n", "c.yaml").diagnostics;
    expect(diagnostics.map((d) => d.ruleId)).toEqual(["limits/aliases"]);
    expect(diagnostics[0]!.message).toMatch(/more than 100 times \(option maxAliases\)/);
  });

  it("allows a few aliases, as used to share a retry policy", () => {
    const text = MINIMAL_YAML.replace(
      "    timeout: 30s",
      "    timeout: 30s\n    retry: &retry { max_attempts: 3, initial: 1s }",
    );
    expect(ruleIds(text)).toEqual([]);
  });

  it("refuses binary garbage and invalid UTF-8 as not text", () => {
    const garbage = randomBytes(4096);
    garbage[10] = 0; // a NUL byte: binary even if the rest happens to decode
    expect(ruleIds(garbage)).toEqual(["syntax/not-text"]);
    expect(ruleIds(new Uint8Array([0x63, 0x68, 0xff, 0xfe, 0x0a]))).toEqual(["syntax/not-text"]);
  });

  it("never throws on mangled charters: every result is a charter or diagnostics", () => {
    const bytes = Buffer.from(MINIMAL_YAML);
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      const mangled = Buffer.from(bytes.subarray(0, Math.floor(random() * bytes.length + 1)));
      for (let j = 0; j < 5; j++) mangled[Math.floor(random() * mangled.length)] = Math.floor(random() * 128);
      const text = mangled.toString("latin1");
      const diagnostics = lintText(text, "mangled.yaml");
      for (const d of diagnostics) expect(d.message.length).toBeGreaterThan(0);
    }
  });

  it("lints a charter of 5,000 steps", () => {
    const text = largeCharterYaml(5_000);
    const loaded = loadCharter(text, "large.yaml");
    expect(Object.keys(loaded.charter!.steps).length).toBeGreaterThanOrEqual(4_995);
    expect(lintText(text, "large.yaml").filter((d) => d.severity === "error")).toEqual([]);
  });

  it("refuses more steps than maxSteps, naming the limit", () => {
    const loaded = loadCharter(largeCharterYaml(200), "large.yaml");
    const findings = lintCharter(loaded.charter!, { limits: resolveDefinitionLimits({ maxSteps: 100 }) });
    expect(findings.map((f) => f.ruleId)).toEqual(["limits/steps"]);
    expect(findings[0]!.message).toMatch(/charter has 198 steps; the limit is 100 \(option maxSteps\)/);
  });

  it("refuses limit options that are not whole numbers", () => {
    expect(() => resolveDefinitionLimits({ maxDepth: -1 })).toThrow(
      /maxDepth must be a non-negative integer/,
    );
    try {
      resolveDefinitionLimits({ maxBytes: 1.5 });
    } catch (error) {
      expect(isCharterError(error) && error.code).toBe("INVALID_OPTION");
    }
    expect.assertions(2);
  });
});
