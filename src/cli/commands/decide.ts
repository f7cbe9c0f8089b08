import type { Command } from "commander";
import { parseActor, parseJsonArgument } from "../arguments.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import { formatJson } from "../output.js";
import { withEngine } from "../project.js";
import type { StoreFlags } from "./options.js";
import { jsonOption, storeOptions } from "./options.js";

interface DecideFlags extends StoreFlags {
  as: string;
  outcome: string;
  reason?: string;
  data?: string;
  json?: boolean;
}

export function registerDecide(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("decide")
    .description(
      "decide an approval or submit a task; a refused decision (separation of duties, not an assignee) exits 1 and is audited",
    )
    .argument("<task>", "the task id (charter tasks lists them)")
    .requiredOption("--as <actor>", "who decides: user:ID")
    .requiredOption("--outcome <outcome>", "the outcome, e.g. approved or rejected")
    .option("--reason <text>", "why (required when the step says require_reason)")
    .option("--data <json>", "a task's form data: JSON or @FILE")
    .addOption(jsonOption("print the decision as JSON"));
  storeOptions(command).action(async (taskId: string, flags: DecideFlags) => {
    const as = parseActor(flags.as);
    const data = flags.data === undefined ? undefined : await parseJsonArgument(flags.data, "--data", io.cwd);
    await withEngine(flags, io, (engine) =>
      engine.decide(taskId, {
        as,
        outcome: flags.outcome,
        ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
        ...(data !== undefined ? { data } : {}),
      }),
    );
    if (flags.json) io.stdout(formatJson({ taskId, outcome: flags.outcome, by: as }));
    else io.stdout(`decided ${taskId}: ${flags.outcome} by ${as}\n`);
    setExit(EXIT.ok);
  });
}
