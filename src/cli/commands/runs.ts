import { Option } from "commander";
import type { Command } from "commander";
import { shortHash } from "../../docs/hash.js";
import { RUN_STATUSES } from "../../engine/state.js";
import type { RunStatus } from "../../engine/state.js";
import type { RunSummary } from "../../store/store.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { Column } from "../output.js";
import { formatJson, formatTable, formatTime, nextPageLine, shellQuote } from "../output.js";
import { withEngine } from "../project.js";
import type { PageFlags, StoreFlags } from "./options.js";
import { jsonOption, pageOptions, storeArgs, storeOptions } from "./options.js";

interface RunsFlags extends StoreFlags, PageFlags {
  workflow?: string;
  status?: RunStatus;
  json?: boolean;
}

const COLUMNS: readonly Column<RunSummary>[] = [
  { header: "RUN", value: (r) => r.runId },
  { header: "WORKFLOW", value: (r) => r.workflow },
  { header: "VERSION", value: (r) => shortHash(r.version) },
  { header: "STATUS", value: (r) => r.status },
  { header: "OUTCOME", value: (r) => r.outcome ?? "-" },
  { header: "STARTED", value: (r) => formatTime(r.startedAt) },
];

export function registerRuns(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("runs")
    .description("list runs, newest first")
    .option("--workflow <id>", "only runs of this workflow")
    .addOption(new Option("--status <status>", "only runs with this status").choices(RUN_STATUSES))
    .addOption(jsonOption());
  storeOptions(pageOptions(command)).action(async (flags: RunsFlags) => {
    const page = await withEngine(flags, io, (engine) =>
      engine.listRuns({
        ...(flags.workflow !== undefined ? { workflow: flags.workflow } : {}),
        ...(flags.status !== undefined ? { status: flags.status } : {}),
        ...(flags.after !== undefined ? { after: flags.after } : {}),
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      }),
    );
    if (flags.json) io.stdout(formatJson(page));
    else if (page.items.length === 0) io.stdout(flags.after ? "no more runs\n" : "no runs\n");
    else {
      io.stdout(formatTable(page.items, COLUMNS, io.isTty));
      io.stdout(nextPageLine(page.next, rerun(flags)));
    }
    setExit(EXIT.ok);
  });
}

/** `charter runs` with the same filters, for the next-page line. */
function rerun(flags: RunsFlags): string {
  const parts = ["charter runs"];
  if (flags.workflow !== undefined) parts.push(`--workflow ${shellQuote(flags.workflow)}`);
  if (flags.status !== undefined) parts.push(`--status ${flags.status}`);
  if (flags.limit !== undefined) parts.push(`--limit ${flags.limit}`);
  parts.push(...storeArgs(flags).map(shellQuote));
  return parts.join(" ");
}
