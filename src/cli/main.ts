/**
 * The `charter` command line. `main(argv, io)` returns the exit code instead of exiting, so that
 * tests run it in-process; bin/charter.js is the only caller that touches `process.exit`.
 */
import { Command, CommanderError } from "commander";
import { registerDocs } from "./commands/docs.js";
import { registerLint } from "./commands/lint.js";
import { registerSchema } from "./commands/schema.js";
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
    .showSuggestionAfterError(true)
    // A fixed width keeps help text (and docs/cli.md, generated from it) the same on every terminal.
    .configureHelp({ helpWidth: 100 })
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  registerLint(program, io, setExit);
  registerDocs(program, io, setExit);
  registerSchema(program, io);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput()).configureHelp({ helpWidth: 100 });
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its message for usage errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, io, program.args[0] ?? argv[0] ?? "");
  }
  return exitCode;
}
