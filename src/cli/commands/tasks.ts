import { Option } from "commander";
import type { Command } from "commander";
import type { Task, TaskStatus } from "../../store/store.js";
import { TASK_STATUSES } from "../../store/store.js";
import { parseActor } from "../arguments.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { Column } from "../output.js";
import { formatJson, formatTable, formatTime, nextPageLine, shellQuote } from "../output.js";
import { withEngine } from "../project.js";
import type { PageFlags, StoreFlags } from "./options.js";
import { jsonOption, pageOptions, storeArgs, storeOptions } from "./options.js";

interface TasksFlags extends StoreFlags, PageFlags {
  as?: string;
  status: TaskStatus;
  json?: boolean;
}

const COLUMNS: readonly Column<Task>[] = [
  { header: "TASK", value: (t) => t.taskId },
  { header: "WORKFLOW", value: (t) => t.workflow },
  { header: "RUN", value: (t) => t.runId },
  { header: "STEP", value: (t) => t.command.stepId },
  { header: "ASSIGNEES", value: (t) => t.assignees.join(", ") },
  { header: "DUE", value: (t) => formatTime(t.command.dueAt) },
];

export function registerTasks(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("tasks")
    .description("the inbox: open approvals and tasks, each with the charter decide command that decides it")
    .option("--as <actor>", "only what this person may decide (directly or through a role): user:ID")
    .addOption(
      new Option("--status <status>", "tasks with this status").choices(TASK_STATUSES).default("open"),
    )
    .addOption(jsonOption());
  storeOptions(pageOptions(command)).action(async (flags: TasksFlags) => {
    const as = flags.as === undefined ? undefined : parseActor(flags.as);
    const page = await withEngine(flags, io, (engine) =>
      engine.listTasks({
        status: flags.status,
        ...(as !== undefined ? { as } : {}),
        ...(flags.after !== undefined ? { after: flags.after } : {}),
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      }),
    );
    if (flags.json) {
      const items = page.items.map((task) => ({ ...task, decide: decideCommands(task, as, flags) }));
      io.stdout(formatJson({ items, ...(page.next !== undefined ? { next: page.next } : {}) }));
      setExit(EXIT.ok);
      return;
    }
    if (page.items.length === 0) {
      io.stdout(`no ${flags.status} tasks${as !== undefined ? ` for ${as}` : ""}\n`);
    } else {
      io.stdout(formatTable(page.items, COLUMNS, io.isTty));
      if (flags.status === "open") {
        io.stdout("\nto decide:\n");
        for (const task of page.items) {
          for (const line of decideCommands(task, as, flags)) io.stdout(`  ${line}\n`);
        }
      }
      io.stdout(nextPageLine(page.next, rerun(flags, as)));
    }
    setExit(EXIT.ok);
  });
}

/**
 * The exact commands that decide a task, one per outcome. The reason (when the step requires one)
 * and a form's data are placeholders to fill in.
 */
export function decideCommands(task: Task, as: string | undefined, flags: StoreFlags): string[] {
  const { command } = task;
  return command.outcomes.map((outcome) => {
    const parts = [
      "charter",
      "decide",
      shellQuote(task.taskId),
      "--as",
      as ?? "user:ID",
      "--outcome",
      shellQuote(outcome),
    ];
    if (command.requireReason) parts.push("--reason", '"<why>"');
    if (command.kind === "task" && command.form !== undefined) parts.push("--data", "'<json>'");
    parts.push(...storeArgs(flags).map(shellQuote));
    return parts.join(" ");
  });
}

function rerun(flags: TasksFlags, as: string | undefined): string {
  const parts = ["charter tasks"];
  if (as !== undefined) parts.push(`--as ${as}`);
  if (flags.status !== "open") parts.push(`--status ${flags.status}`);
  if (flags.limit !== undefined) parts.push(`--limit ${flags.limit}`);
  parts.push(...storeArgs(flags).map(shellQuote));
  return parts.join(" ");
}
