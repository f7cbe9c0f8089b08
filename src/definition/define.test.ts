import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isCharterError } from "../errors.js";
import { MINIMAL_YAML } from "../../test/helpers/charters.js";
import type { CharterDefinition } from "./schema.js";
import { defineWorkflow, isDefinedWorkflow } from "./define.js";
import { lintCharter } from "./lint/lint.js";

const minimal = () => parse(MINIMAL_YAML) as CharterDefinition;

describe("defineWorkflow", () => {
  it("returns the validated charter, frozen and recognisable", () => {
    const charter = defineWorkflow(minimal());
    expect(charter.workflow).toBe("minimal");
    expect(isDefinedWorkflow(charter)).toBe(true);
    expect(Object.isFrozen(charter.steps.check)).toBe(true);
    expect(lintCharter(charter)).toEqual([]);
  });

  it("goes through the same validation as a YAML file and throws every diagnostic", () => {
    const definition = {
      ...minimal(),
      steps: { ...minimal().steps, check: { ...minimal().steps.check, timout: "30s" } },
    } as unknown as CharterDefinition;
    try {
      defineWorkflow(definition);
      expect.unreachable();
    } catch (error) {
      expect(isCharterError(error) && error.code).toBe("DEFINITION_INVALID");
      const diagnostics = (
        error as { diagnostics: { ruleId: string; message: string; path: unknown[]; line?: number }[] }
      ).diagnostics;
      expect(diagnostics).toEqual([
        expect.objectContaining({
          ruleId: "schema/unknown-field",
          message: 'unknown field "timout" in steps.check. Did you mean "timeout"?',
          path: ["steps", "check", "timout"],
        }),
      ]);
      expect(diagnostics[0]!.line).toBeUndefined();
      expect((error as Error).message).toMatch(
        /<defineWorkflow minimal>: charter is not valid \(1 problem; first: unknown field "timout"/,
      );
    }
  });

  it("types the language: a wrong field type does not compile", () => {
    const wrong: CharterDefinition["steps"][string] = {
      kind: "action",
      owner: "team:x",
      handler: "h",
      // @ts-expect-error - timeout is a duration string, not a number
      timeout: 30,
      on_error: { default: "exception" },
    };
    expect(wrong.kind).toBe("action");
  });
});
