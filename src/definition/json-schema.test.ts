import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MINIMAL_YAML } from "../../test/helpers/charters.js";
import { charterJsonSchema, directoryJsonSchema } from "./json-schema.js";

const examplesDir = fileURLToPath(new URL("../../examples/", import.meta.url));
const examples = readdirSync(examplesDir).filter((f) => f.endsWith(".yaml"));
const validateCharter = new Ajv({ strict: false, allErrors: true }).compile(charterJsonSchema());
const validateDirectory = new Ajv({ strict: false }).compile(directoryJsonSchema());

describe("the JSON Schema for editors", () => {
  it("accepts the minimal charter", () => {
    expect(validateCharter(parse(MINIMAL_YAML)), JSON.stringify(validateCharter.errors)).toBe(true);
  });

  it.each(examples)("accepts the example %s, as an editor would", (file) => {
    const value = parse(readFileSync(examplesDir + file, "utf8")) as Record<string, unknown>;
    const validate = "directory" in value && !("charter" in value) ? validateDirectory : validateCharter;
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  it("flags what an editor should flag: unknown fields, a missing owner, a bad duration", () => {
    const value = parse(MINIMAL_YAML) as { steps: { check: Record<string, unknown> } };
    value.steps.check.timout = "30s";
    delete value.steps.check.owner;
    value.steps.check.timeout = "30 seconds";
    expect(validateCharter(value)).toBe(false);
    const messages = (validateCharter.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(messages.join("\n")).toMatch(/must NOT have additional properties/);
    expect(messages.join("\n")).toMatch(/must have required property 'owner'/);
    expect(messages.join("\n")).toMatch(/\/steps\/check\/timeout must match pattern/);
  });
});
