import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parse } from "yaml";
import { MINIMAL_YAML } from "../../test/helpers/charters.js";
import { loadCharter } from "./load.js";

const at = (text: string, ruleId: string) => {
  const d = loadCharter(text, "c.yaml").diagnostics.find((x) => x.ruleId === ruleId);
  return d && { line: d.line, col: d.col, message: d.message };
};

describe("loading a charter", () => {
  it("reads the minimal charter with no diagnostics", () => {
    const loaded = loadCharter(MINIMAL_YAML, "minimal.yaml");
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.charter?.workflow).toBe("minimal");
  });

  it("reads the same charter written as JSON, including tab-indented JSON", () => {
    const value = parse(MINIMAL_YAML) as unknown;
    for (const json of [JSON.stringify(value), JSON.stringify(value, null, "\t")]) {
      const loaded = loadCharter(json, "minimal.json");
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.charter).toEqual(loadCharter(MINIMAL_YAML, "m.yaml").charter);
    }
  });

  it("reports an unknown field at its key with the closest field", () => {
    const text = MINIMAL_YAML.replace("    timeout: 30s", "    timout: 30s");
    expect(at(text, "schema/unknown-field")).toEqual({
      line: 24,
      col: 5,
      message: 'unknown field "timout" in steps.check. Did you mean "timeout"?',
    });
  });

  it("lists the allowed fields when nothing is close", () => {
    const text = MINIMAL_YAML.replace("    timeout: 30s", "    zzzzzzzzzz: 30s");
    expect(at(text, "schema/unknown-field")?.message).toMatch(
      /Expected one of: kind, owner, title, purpose, handler/,
    );
  });

  it("reports a misspelt step kind with a suggestion", () => {
    const text = MINIMAL_YAML.replace("kind: end", "kind: edn");
    expect(at(text, "schema/unknown-kind")?.message).toMatch(/unknown step kind "edn".*Did you mean "end"\?/);
  });

  it("reports a missing field at the mapping that lacks it, naming the step kind", () => {
    const text = MINIMAL_YAML.replace("    handler: requests.check\n", "");
    expect(at(text, "schema/missing-field")).toEqual({
      line: 20,
      col: 3,
      message: 'missing field "steps.check.handler" (required on an action step)',
    });
  });

  it("reports a wrong type at the value with what it got", () => {
    const text = MINIMAL_YAML.replace("start: check", "start: [check]");
    expect(at(text, "schema/invalid-type")).toEqual({
      line: 18,
      col: 8,
      message: '"start" must be a text, got a list',
    });
  });

  it("lists the fields a mapping holds when it is given as text, unless they are too many", () => {
    const message = (text: string) =>
      loadCharter(text, "c.yaml").diagnostics.map((d) => `${d.ruleId} ${d.message}`);
    expect(message(MINIMAL_YAML.replace("success:\n  outcomes: [done]", "success: done"))).toEqual([
      'schema/invalid-type "success" must be a mapping with: outcomes, within; got the text "done"',
    ]);
    expect(
      message(
        MINIMAL_YAML.replace("    on_error: { default: exception }", "    on_error: exception\n    retry: 3"),
      ),
    ).toEqual([
      'schema/invalid-type "steps.check.on_error" must be a mapping, got the text "exception"',
      'schema/invalid-type "steps.check.retry" must be a mapping with: max_attempts, backoff, initial, max_delay, factor; got number 3',
    ]);
    expect(message(MINIMAL_YAML.replace("  done: { kind: end, outcome: done }", "  done: end"))).toEqual([
      'schema/invalid-type "steps.done" must be a mapping, got the text "end"',
    ]);
  });

  it("reports a bad duration, id and owner as invalid values", () => {
    const text = MINIMAL_YAML.replace("timeout: 30s", "timeout: 30 seconds").replace(
      "owner: team:operations\ntriggers",
      "owner: operations\ntriggers",
    );
    const messages = loadCharter(text, "c.yaml").diagnostics.map(
      (d) => `${d.ruleId} ${d.line}: ${d.message}`,
    );
    expect(messages).toEqual([
      expect.stringMatching(/^schema\/invalid-value 5: "owner": an actor is "team:<id>"/),
      expect.stringMatching(
        /^schema\/invalid-value 24: "steps.check.timeout": a duration is a number and a unit/,
      ),
    ]);
  });

  it("checks cron expressions in schedule triggers", () => {
    const text = MINIMAL_YAML.replace("  - manual: {}", '  - schedule: { cron: "0 25 * * *" }');
    expect(at(text, "schema/invalid-value")?.message).toMatch(
      /invalid cron expression "0 25 \* \* \*".*hour/i,
    );
    const ok = MINIMAL_YAML.replace("  - manual: {}", '  - schedule: { cron: "0 6 * * 1-5" }');
    expect(loadCharter(ok, "c.yaml").diagnostics).toEqual([]);
  });

  it("refuses a trigger that names two kinds at once", () => {
    const text = MINIMAL_YAML.replace("  - manual: {}", "  - { manual: {}, event: { name: a.b } }");
    expect(at(text, "schema/invalid-value")?.message).toMatch(
      /exactly one of: manual, webhook, schedule, event/,
    );
  });

  it("reports a duplicate key and still reports the other errors of the file", () => {
    const text = MINIMAL_YAML.replace(
      "  done: { kind: end, outcome: done }",
      "  done: { kind: end, outcome: done }\n  done: { kind: end, outcome: done }",
    ).replace("timeout: 30s", "timeout: soon");
    const loaded = loadCharter(text, "c.yaml");
    expect(loaded.charter).toBeUndefined();
    expect(loaded.diagnostics.map((d) => [d.ruleId, d.line, d.col])).toEqual([
      ["schema/invalid-value", 24, 14],
      ["syntax/duplicate-key", 28, 3],
    ]);
    expect(loaded.diagnostics[1]!.message).toBe(
      'duplicate field "done": each field may appear once in a mapping',
    );
  });

  it("reports YAML syntax errors at their position", () => {
    const loaded = loadCharter("charter: 1\nworkflow: x\nsteps: { a: [\n", "c.yaml");
    expect(loaded.charter).toBeUndefined();
    // The parser notices the unclosed `[` where the text ends.
    expect(loaded.diagnostics[0]).toMatchObject({ ruleId: "syntax/yaml", file: "c.yaml", line: 4, col: 1 });
    expect(loaded.diagnostics.map((d) => d.message)).toContain(
      "flow sequence in block collection must be sufficiently indented and end with a ]",
    );
  });

  it("refuses a file holding two documents", () => {
    const loaded = loadCharter(`${MINIMAL_YAML}---\n${MINIMAL_YAML}`, "c.yaml");
    expect(loaded.diagnostics.map((d) => [d.ruleId, d.line])).toEqual([["syntax/multiple-documents", 28]]);
  });

  it("refuses an empty file and a file that is not a mapping", () => {
    expect(loadCharter("", "c.yaml").diagnostics.map((d) => d.ruleId)).toEqual(["syntax/empty"]);
    expect(loadCharter("# only a comment\n", "c.yaml").diagnostics.map((d) => d.ruleId)).toEqual([
      "syntax/empty",
    ]);
    expect(loadCharter("just text\n", "c.yaml").diagnostics.map((d) => d.ruleId)).toEqual([
      "schema/invalid-type",
    ]);
    expect(loadCharter("- a\n- b\n", "c.yaml").diagnostics[0]?.message).toMatch(
      /a charter is a mapping of fields.*got a list/,
    );
  });

  it("refuses keys that are collections", () => {
    const loaded = loadCharter("? [a, b]\n: 1\n", "c.yaml");
    expect(loaded.diagnostics.map((d) => [d.ruleId, d.line, d.col])).toEqual([["syntax/yaml", 1, 3]]);
  });

  it("gives the same charter whatever the key order", () => {
    const value = parse(MINIMAL_YAML) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(value).reverse());
    expect(loadCharter(stringify(reordered), "c.yaml").charter).toEqual(
      loadCharter(MINIMAL_YAML, "c.yaml").charter,
    );
  });
});
