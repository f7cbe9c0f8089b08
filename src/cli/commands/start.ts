import type { Command } from "commander";
import { parseActor, parseJsonArgument } from "../arguments.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import { formatJson } from "../output.js";
import { withEngine } from "../project.js";
import type { StoreFlags } from "./options.js";
import { jsonOption, storeOptions } from "./options.js";

interface StartFlags extends StoreFlags {
  input: string;
  as: string;
  idempotencyKey?: string;
  json?: boolean;
}

export function registerStart(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("start")
    .description("start a run of the latest deployed version of a workflow; prints the run id")
    .argument("<workflow>", "the workflow id")
    .requiredOption("--input <json>", `the run's input: JSON ('{"name":"Ada"}') or @FILE`)
    .requiredOption("--as <actor>", "who starts it: user:ID (the initiator)")
    .option("--idempotency-key <key>", "a start with a key seen before returns the same run")
    .addOption(jsonOption("print { runId, created } as JSON"));
  storeOptions(command).action(async (workflow: string, flags: StartFlags) => {
    const as = parseActor(flags.as);
    const input = await parseJsonArgument(flags.input, "--input", io.cwd);
    const started = await withEngine(flags, io, (engine) =>
      engine.start(workflow, {
        input,
        as,
        ...(flags.idempotencyKey !== undefined ? { idempotencyKey: flags.idempotencyKey } : {}),
      }),
    );
    if (flags.json) io.stdout(formatJson(started));
    else {
      io.stdout(`${started.runId}\n`);
      if (!started.created) io.stderr(`run ${started.runId} was started before with this idempotency key\n`);
    }
    setExit(EXIT.ok);
  });
}
