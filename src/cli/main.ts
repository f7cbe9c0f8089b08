/**
 * The `charter` command line. `main(argv, io)` returns the exit code instead of exiting, so that
 * tests run it in-process; bin/charter.js is the only caller that touches `process.exit`.
 */
import { Command, CommanderError } from "commander";
import { registerAudit } from "./commands/audit.js";
import { registerDecide } from "./commands/decide.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerDocs } from "./commands/docs.js";
import { registerEvent } from "./commands/event.js";
import { registerExceptions } from "./commands/exceptions.js";
import { registerInit } from "./commands/init.js";
import { registerInspect } from "./commands/inspect.js";
import { registerLint } from "./commands/lint.js";
import { registerRuns } from "./commands/runs.js";
import { registerSchema } from "./commands/schema.js";
import { registerStart } from "./commands/start.js";
import { registerTasks } from "./commands/tasks.js";
import { registerWorker } from "./commands/worker.js";
import type { CliIo } from "./io.js";
import { EXIT, processIo } from "./io.js";
import { reportError } from "./output.js";
import { CHARTER_VERSION } from "../version.js";

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command("charter")
    .description("Charter: workflows that reach production. Lint, document and run charters.")
    .version(CHARTER_VERSION, "-v, --version")
    .exitOverride()
    // Options belong to the command they follow (`exceptions` and `exceptions retry` both take --store).
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    // A fixed width keeps help text (and docs/cli.md, generated from it) the same on every terminal.
    .configureHelp({ helpWidth: 100 })
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  registerInit(program, io, setExit);
  registerLint(program, io, setExit);
  registerDocs(program, io, setExit);
  registerSchema(program, io);
  registerDeploy(program, io, setExit);
  registerStart(program, io, setExit);
  registerRuns(program, io, setExit);
  registerInspect(program, io, setExit);
  registerTasks(program, io, setExit);
  registerDecide(program, io, setExit);
  registerExceptions(program, io, setExit);
  registerEvent(program, io, setExit);
  registerWorker(program, io, setExit);
  registerAudit(program, io, setExit);
  configureSubcommands(program);

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its message for usage errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, io, commandName(program, argv));
  }
  return exitCode;
}

/** Subcommands (and theirs: `audit verify`) throw instead of exiting and write where the program does. */
function configureSubcommands(parent: Command): void {
  for (const command of parent.commands) {
    command.exitOverride().configureOutput(parent.configureOutput()).configureHelp({ helpWidth: 100 });
    configureSubcommands(command);
  }
}

/** The command as errors name it: `deploy`, `exceptions retry`. */
function commandName(program: Command, argv: readonly string[]): string {
  const first = program.commands.find((c) => c.name() === argv[0]);
  const second = first?.commands.find((c) => c.name() === argv[1]);
  return [first?.name() ?? argv[0] ?? "", ...(second ? [second.name()] : [])].join(" ");
}
