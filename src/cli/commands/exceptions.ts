import type { Command } from "commander";
import type { ExceptionItem } from "../../store/store.js";
import { parseActor } from "../arguments.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { Column } from "../output.js";
import { formatJson, formatTable, formatTime, nextPageLine, shellQuote } from "../output.js";
import { withEngine } from "../project.js";
import type { PageFlags, StoreFlags } from "./options.js";
import { jsonOption, pageOptions, storeArgs, storeOptions } from "./options.js";

interface ListFlags extends StoreFlags, PageFlags {
  workflow?: string;
  json?: boolean;
}

interface ActFlags extends StoreFlags {
  as: string;
  reason: string;
}

const COLUMNS: readonly Column<ExceptionItem>[] = [
  { header: "RUN", value: (e) => e.runId },
  { header: "WORKFLOW", value: (e) => e.workflow },
  { header: "INSTANCE", value: (e) => e.instance },
  { header: "STEP", value: (e) => e.stepId },
  { header: "ERROR", value: (e) => `${e.error.code}: ${e.error.message}` },
  { header: "RAISED", value: (e) => formatTime(e.raisedAt) },
];

export function registerExceptions(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const exceptions = program
    .command("exceptions")
    .description("the exception queue: failures no route handled; retry, skip or cancel them")
    // The subcommands have their own --store: the list's options count only before a subcommand.
    .enablePositionalOptions()
    .option("--workflow <id>", "only exceptions of this workflow")
    .addOption(jsonOption());
  storeOptions(pageOptions(exceptions)).action(async (flags: ListFlags) => {
    const page = await withEngine(flags, io, (engine) =>
      engine.listExceptions({
        ...(flags.workflow !== undefined ? { workflow: flags.workflow } : {}),
        ...(flags.after !== undefined ? { after: flags.after } : {}),
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      }),
    );
    if (flags.json) io.stdout(formatJson(page));
    else if (page.items.length === 0) io.stdout("no exceptions\n");
    else {
      io.stdout(formatTable(page.items, COLUMNS, io.isTty));
      const [first] = page.items;
      const at = `${shellQuote(first!.runId)} ${shellQuote(first!.instance)}`;
      io.stdout(
        `\nto act: charter exceptions retry ${at} --as user:ID --reason "<why>"\n` +
          `        charter exceptions skip ${at} --to STEP --as user:ID --reason "<why>"\n` +
          `        charter exceptions cancel ${shellQuote(first!.runId)} --as user:ID --reason "<why>"\n`,
      );
      const rerun = ["charter exceptions", ...storeArgs(flags).map(shellQuote)].join(" ");
      io.stdout(nextPageLine(page.next, rerun));
    }
    setExit(EXIT.ok);
  });

  const retry = exceptions
    .command("retry")
    .description("run the failed step again (a new attempt)")
    .argument("<run>", "the run id")
    .argument("<instance>", "the step instance (the INSTANCE column)");
  actorOptions(retry).action(async (runId: string, instance: string, flags: ActFlags) => {
    const as = parseActor(flags.as);
    await withEngine(flags, io, (engine) =>
      engine.retryException(runId, instance, { as, reason: flags.reason }),
    );
    io.stdout(`retrying ${instance} of run ${runId}; run charter worker to carry it out\n`);
    setExit(EXIT.ok);
  });

  const skip = exceptions
    .command("skip")
    .description("leave the failed step and continue the run at another step")
    .argument("<run>", "the run id")
    .argument("<instance>", "the step instance (the INSTANCE column)")
    .requiredOption("--to <step>", "the step to continue at");
  actorOptions(skip).action(async (runId: string, instance: string, flags: ActFlags & { to: string }) => {
    const as = parseActor(flags.as);
    await withEngine(flags, io, (engine) =>
      engine.skipException(runId, instance, { to: flags.to, as, reason: flags.reason }),
    );
    io.stdout(`skipped ${instance} of run ${runId}; continuing at ${flags.to}\n`);
    setExit(EXIT.ok);
  });

  const cancel = exceptions
    .command("cancel")
    .description("cancel the whole run")
    .argument("<run>", "the run id");
  actorOptions(cancel).action(async (runId: string, flags: ActFlags) => {
    const as = parseActor(flags.as);
    await withEngine(flags, io, (engine) => engine.cancelRun(runId, { as, reason: flags.reason }));
    io.stdout(`cancelled run ${runId}\n`);
    setExit(EXIT.ok);
  });
}

function actorOptions(command: Command): Command {
  return storeOptions(
    command
      .requiredOption("--as <actor>", "who acts: user:ID (recorded in the audit trail)")
      .requiredOption("--reason <text>", "why (recorded in the audit trail)"),
  );
}
