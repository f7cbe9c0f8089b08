/** The JSON Schema of `charter.config.json`, generated from the zod schema that validates it. */
import { z } from "zod";
import { projectConfigSchema } from "./project-config.js";

export function projectConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(projectConfigSchema, { target: "draft-7", io: "input" });
  return { ...schema, title: "Charter project config (charter.config.json)" };
}
