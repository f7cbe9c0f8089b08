import { Argument } from "commander";
import type { Command } from "commander";
import { projectConfigJsonSchema } from "../../config/json-schema.js";
import { charterJsonSchema, directoryJsonSchema } from "../../definition/json-schema.js";
import type { CliIo } from "../io.js";

const SCHEMAS = {
  charter: charterJsonSchema,
  directory: directoryJsonSchema,
  config: projectConfigJsonSchema,
} as const;

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command("schema")
    .description(
      "print a JSON Schema for editors: the charter language (default; also schema/charter.schema.json), directory files, or charter.config.json",
    )
    .addArgument(
      new Argument("[which]", "the schema to print").choices(Object.keys(SCHEMAS)).default("charter"),
    )
    .action((which: keyof typeof SCHEMAS) => {
      io.stdout(JSON.stringify(SCHEMAS[which](), null, 2) + "\n");
    });
}
