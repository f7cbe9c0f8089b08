import type { Command } from "commander";
import { charterJsonSchema } from "../../definition/json-schema.js";
import type { CliIo } from "../io.js";

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command("schema")
    .description(
      "print the JSON Schema of the charter language (for editors; also shipped as schema/charter.schema.json)",
    )
    .action(() => {
      io.stdout(JSON.stringify(charterJsonSchema(), null, 2) + "\n");
    });
}
