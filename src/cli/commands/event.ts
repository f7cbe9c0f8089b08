import type { Command } from "commander";
import { parseJsonArgument } from "../arguments.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import { formatJson } from "../output.js";
import { withEngine } from "../project.js";
import type { StoreFlags } from "./options.js";
import { jsonOption, storeOptions } from "./options.js";

interface EventFlags extends StoreFlags {
  key: string;
  data?: string;
  json?: boolean;
}

export function registerEvent(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("event")
    .description(
      "deliver an event to the runs waiting for it (a wait step with that event and correlation key)",
    )
    .argument("<name>", "the event name, e.g. po.received")
    .requiredOption("--key <key>", "the correlation key the waiting runs computed")
    .option("--data <json>", "the event's data: JSON or @FILE")
    .addOption(jsonOption("print { name, key, delivered } as JSON"));
  storeOptions(command).action(async (name: string, flags: EventFlags) => {
    const data = flags.data === undefined ? undefined : await parseJsonArgument(flags.data, "--data", io.cwd);
    const result = await withEngine(flags, io, (engine) =>
      engine.sendEvent(name, { key: flags.key, ...(data !== undefined ? { data } : {}) }),
    );
    if (flags.json) io.stdout(formatJson({ name, key: flags.key, ...result }));
    else if (result.delivered === 0) io.stdout(`no run is waiting for ${name} with key ${flags.key}\n`);
    else io.stdout(`delivered ${name} to ${result.delivered} run${result.delivered === 1 ? "" : "s"}\n`);
    setExit(EXIT.ok);
  });
}
