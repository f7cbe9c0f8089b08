/**
 * The JSON Schema of the language, generated from the zod schema that also validates and types it.
 * Editors use it through `# yaml-language-server: $schema=...`; schema/charter.schema.json is this
 * output, committed and checked to be current.
 */
import { z } from "zod";
import { directorySchema } from "./directory.js";
import { charterSchema } from "./schema.js";

export const CHARTER_SCHEMA_ID = "https://charter.dev/schema/charter-1.json";

export function charterJsonSchema(): Record<string, unknown> {
  // draft-07 is what yaml-language-server and most editors understand best.
  const schema = z.toJSONSchema(charterSchema, { target: "draft-7", io: "input", unrepresentable: "any" });
  return { ...schema, $id: CHARTER_SCHEMA_ID, title: "Charter workflow definition (language version 1)" };
}

export function directoryJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(directorySchema, { target: "draft-7", io: "input" });
  return { ...schema, title: "Charter role directory" };
}
