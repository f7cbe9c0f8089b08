/**
 * The demo's report, plain text for an 80-100 column terminal: what was deployed, what happened to
 * each run, the inbox by assignee with the exact command that decides each task, the exception
 * queue with its retry and skip commands, and a walk-through to try. The commands are also returned
 * as argument lists, so that tests run exactly what is printed.
 */
import { formatTime, shellQuote } from "../cli/output.js";
import { shortHash } from "../docs/hash.js";
import type { Charter } from "../definition/schema.js";
import type { Task } from "../index.js";
import { paymentIdFor } from "./systems/finance.js";
import type { DemoOutcome, DemoRun } from "./run-demo.js";
import { TRY_THIS, TRY_THIS_SAMPLE } from "./samples.js";
import type { Sample, Suggestion } from "./samples.js";
import { pathOf, unexpected, waitsOf } from "./story.js";
import { latest } from "./simulate.js";

export interface ReportOptions {
  /** The store file as the user names it from the project folder, e.g. `.charter/charter.db`. */
  readonly storeFile: string;
  /** How printed commands start. @default "node bin/charter.js" */
  readonly cli?: string;
  /** Bold headings (a terminal without NO_COLOR). @default false */
  readonly color?: boolean;
  /** @default 96 */
  readonly width?: number;
}

/** A CLI command as printed, and as the argument list it stands for (without the `cli` prefix). */
export interface DemoCommand {
  readonly argv: readonly string[];
  readonly text: string;
}

export interface DemoCommands {
  /** The suggested decision of each open task. */
  readonly decide: readonly {
    readonly taskId: string;
    readonly step: string;
    readonly command: DemoCommand;
  }[];
  readonly exceptions: readonly {
    readonly runId: string;
    readonly retry: DemoCommand;
    readonly skip: DemoCommand;
  }[];
  readonly tryThis?: {
    readonly runId: string;
    readonly taskId: string;
    readonly inbox: DemoCommand;
    readonly refused: DemoCommand;
    readonly approve: DemoCommand;
    readonly worker: DemoCommand;
    readonly event: DemoCommand;
    readonly inspect: DemoCommand;
    readonly verify: DemoCommand;
    /** The JavaScript of the `node -e` that edits an audit record. */
    readonly tamper: string;
  };
}

export interface Report {
  readonly text: string;
  readonly commands: DemoCommands;
  /** Runs that did not end where their sample expects, and runtime warnings: empty when all went well. */
  readonly problems: readonly string[];
}

export function formatReport(outcome: DemoOutcome, options: ReportOptions): Report {
  const width = options.width ?? 96;
  const cli = options.cli ?? "node bin/charter.js";
  const bold = (s: string) => (options.color ? `\u001b[1m${s}\u001b[22m` : s);
  const heading = (title: string) => `\n${bold(title)}\n${"-".repeat(title.length)}\n`;
  const command = (argv: readonly string[], indent = 4): DemoCommand => ({
    argv,
    text: wrapCommand([...cli.split(" "), ...argv.map(shellQuote)], indent, width),
  });
  const charters = new Map(outcome.deployed.map((d) => [d.workflow, d.charter]));
  const out: string[] = [];
  const problems: string[] = [];

  out.push(
    "\n" + bold("Charter demo: the example workflows on simulated ERP, bank, HR and IT systems") + "\n",
  );
  out.push(
    wrap(
      `Deployed the ${outcome.deployed.length} charters that charter.config.json names, as charter ` +
        `deploy does (lint, then store each version):`,
      width,
    ),
  );
  out.push(
    columns(
      outcome.deployed.map((d) => `${d.workflow}@${shortHash(d.version)}`),
      width,
      2,
    ),
  );
  out.push(
    wrap(
      `The handlers in src/demo/handlers.ts stand in for the ERP, the bank, HR, IT and support ` +
        `systems; AI steps run on the offline model provider (no network, no keys). ` +
        `${outcome.runs.length} sample runs were played over the last two days, on a clock that ` +
        `went from ${minutes(outcome.start.toISOString())} to now ` +
        `(${minutes(outcome.end.toISOString())}), so that due dates, escalations and retries ` +
        `fired as they would have.`,
      width,
    ),
  );

  out.push(heading("What happened"));
  outcome.runs.forEach((run, index) => {
    const prefix = `${String(index + 1).padStart(2)}. `;
    out.push(prefix + (run.sample?.title ?? run.summary.workflow) + "\n");
    out.push(describeRun(run, charters, "    ", width));
    for (const child of run.children) {
      out.push(`    child run:\n`);
      out.push(describeRun(child, charters, "      ", width));
    }
    const problem = unexpected(run);
    if (problem) {
      problems.push(`${run.sample?.id ?? run.summary.runId}: ${problem}`);
      out.push(`    !! not as the demo expects: ${problem}\n`);
    }
  });

  const decide: { taskId: string; step: string; command: DemoCommand }[] = [];
  out.push(heading(`Inbox: ${outcome.tasks.length} open tasks, by assignee`));
  out.push(
    wrap(
      `Each waits for a person; the engine checks who may decide (roles from examples/directory.yaml, ` +
        `separation of duties from not_by). One person's inbox: ${cli} tasks --as user:ID`,
      width,
    ),
  );
  for (const [assignees, group] of groupBy(outcome.tasks, (t) => t.task.assignees.join(", "))) {
    out.push(`\n${bold(assignees)}\n`);
    for (const { task, deciders } of group) {
      const overdue = Date.parse(task.command.dueAt) < outcome.end.getTime() ? ", overdue" : "";
      out.push(
        `  ${task.taskId}  ${task.workflow}  ${task.command.stepId}  due ${minutes(task.command.dueAt)}${overdue}\n`,
      );
      const excluded =
        task.command.excluded.length > 0 ? `; not ${task.command.excluded.join(", ")} (not_by)` : "";
      out.push(
        wrap(`run ${task.runId}; may decide: ${deciders.join(", ") || "nobody"}${excluded}`, width, "    "),
      );
      const suggestion = suggestionFor(task, outcome.runs);
      if (suggestion) {
        const argv = decideArgv(task.taskId, suggestion);
        const c = command(argv);
        decide.push({ taskId: task.taskId, step: task.command.stepId, command: c });
        const others = task.command.outcomes.filter((o) => o !== suggestion.outcome);
        out.push(c.text);
        if (others.length > 0) out.push(`    (other outcomes: ${others.join(", ")})\n`);
      } else {
        for (const outcomeName of task.command.outcomes) {
          const argv = ["decide", task.taskId, "--as", "user:ID", "--outcome", outcomeName];
          if (task.command.requireReason) argv.push("--reason", "<why>");
          if (task.command.form !== undefined) argv.push("--data", "<json>");
          out.push(command(argv).text);
        }
      }
    }
  }

  const exceptions: { runId: string; retry: DemoCommand; skip: DemoCommand }[] = [];
  out.push(heading(`Exception queue: ${outcome.exceptions.length}`));
  if (outcome.exceptions.length === 0) out.push("empty\n");
  for (const item of outcome.exceptions) {
    const run = findRun(outcome.runs, item.runId);
    const instance = run?.state.steps[item.instance];
    out.push(`${item.runId}  ${item.workflow}  ${item.stepId}  raised ${minutes(item.raisedAt)}\n`);
    out.push(
      wrap(
        `${item.error.code}: ${item.error.message}` +
          (instance && instance.attempt > 1
            ? `. Tried ${instance.attempt} times (the step's retry), then on_error sent it here.`
            : ""),
        width,
        "  ",
      ),
    );
    const operator = run?.sample?.operator;
    const retryArgv = [
      "exceptions",
      "retry",
      item.runId,
      item.instance,
      "--as",
      operator?.retry.as ?? "user:ID",
      "--reason",
      operator?.retry.reason ?? "<why>",
    ];
    const skipArgv = [
      "exceptions",
      "skip",
      item.runId,
      item.instance,
      "--to",
      operator?.skip.to ?? "<step>",
      "--as",
      operator?.skip.as ?? "user:ID",
      "--reason",
      operator?.skip.reason ?? "<why>",
    ];
    const retry = command(retryArgv);
    const skip = command(skipArgv);
    exceptions.push({ runId: item.runId, retry, skip });
    out.push(`  ${operator?.retry.note ?? "retry the step"}:\n${retry.text}`);
    out.push(`  ${operator?.skip.note ?? "or go on at another step"}:\n${skip.text}`);
  }

  const tryThis = tryThisCommands(outcome, command, options.storeFile);
  if (tryThis) {
    const run = outcome.runs.find((r) => r.sample?.id === TRY_THIS_SAMPLE)!;
    out.push(heading(`Try it: approve invoice ${invoiceNumberOf(run)} and see it paid`));
    out.push(wrap("Sofia Ricci's inbox, with the command that decides each task:", width, "  "));
    out.push(tryThis.inbox.text);
    out.push(
      wrap(
        `Daniel Okafor is a finance manager too, but he captured this invoice, and the approval ` +
          `says not_by: [initiator]. His decision is refused ([FORBIDDEN], exit 1) and audited:`,
        width,
        "  ",
      ),
    );
    out.push(tryThis.refused.text);
    out.push(
      wrap("Sofia approves it; the worker then schedules the payment with the simulated bank:", width, "  "),
    );
    out.push(tryThis.approve.text);
    out.push(tryThis.worker.text);
    out.push(
      wrap(
        `The run now waits for the bank's confirmation (inspect shows it). The bank confirms the ` +
          `payment, and the run ends as paid:`,
        width,
        "  ",
      ),
    );
    out.push(tryThis.event.text);
    out.push(tryThis.inspect.text);
    out.push(wrap("Every run's audit trail is hash-chained; check them all:", width, "  "));
    out.push(tryThis.verify.text);
    out.push(
      wrap(
        `Now change the reason of Sofia's approval in the database, as someone with the file could ` +
          `(the table refuses updates until its trigger is dropped), and check again: verify names ` +
          `the run and the edited record, and exits 1.`,
        width,
        "  ",
      ),
    );
    out.push(`    ${cli.split(" ")[0]} -e '${indentLines(tryThis.tamper, "      ")}\n    '\n`);
    out.push(tryThis.verify.text);
  }

  out.push(heading("More"));
  out.push(
    [
      `${cli} runs                    every run, newest first`,
      `${cli} inspect RUN             a run's steps, who it waits for, its timeline`,
      `${cli} exceptions              the exception queue`,
      `${cli} worker                  run handlers and timers until Ctrl-C`,
      `npm start                                   start over with a fresh demo store`,
    ]
      .map((line) => `  ${line}\n`)
      .join(""),
  );

  problems.push(...outcome.warnings);
  if (problems.length > 0) {
    out.push(heading("The demo did not go as expected"));
    for (const p of problems) out.push(wrap(p, width, "  "));
  }
  return {
    text: out.join(""),
    commands: { decide, exceptions, ...(tryThis ? { tryThis } : {}) },
    problems,
  };
}

function describeRun(
  run: DemoRun,
  charters: ReadonlyMap<string, Charter>,
  indent: string,
  width: number,
): string {
  const { summary } = run;
  const status =
    summary.status === "completed"
      ? `completed: ${summary.outcome ?? "?"}${summary.success === false ? " (not a success)" : ""}`
      : summary.status;
  const lines = [
    `${indent}${summary.workflow}  ${summary.runId}  ${status}, started by ${summary.initiator}\n`,
  ];
  const path = pathOf(run, charters.get(summary.workflow));
  if (path.length > 0) lines.push(wrapJoined(path, " -> ", width, indent));
  for (const wait of waitsOf(run.state, charters.get(summary.workflow), run.children))
    lines.push(wrap(`now: ${wait}`, width, indent));
  return lines.join("");
}

function tryThisCommands(
  outcome: DemoOutcome,
  command: (argv: readonly string[], indent?: number) => DemoCommand,
  storeFile: string,
): DemoCommands["tryThis"] {
  const run = outcome.runs.find((r) => r.sample?.id === TRY_THIS_SAMPLE);
  const taskId = run ? latest(run.state, "approve-manager")?.taskId : undefined;
  const invoice = run
    ? (latest(run.state, "match-po")?.output as { invoiceNumber?: string } | undefined)
    : undefined;
  if (!run || taskId === undefined || invoice?.invoiceNumber === undefined) return undefined;
  const vendorId = (run.state.input as { vendorId: string }).vendorId;
  // The bank's payment id follows from the step's idempotency key: vendor and invoice number.
  const paymentId = paymentIdFor(`${vendorId}-${invoice.invoiceNumber}`);
  const tamper = [
    `const db = require("better-sqlite3")(${JSON.stringify(storeFile)});`,
    `db.exec("DROP TRIGGER IF EXISTS audit_no_update");`,
    `db.prepare("UPDATE audit SET reason = ? WHERE run_id = ? AND action = ?")`,
    `  .run("Approved by the CFO", ${JSON.stringify(run.summary.runId)}, "approval.decided");`,
  ].join("\n");
  return {
    runId: run.summary.runId,
    taskId,
    inbox: command(["tasks", "--as", TRY_THIS.approver]),
    refused: command([
      "decide",
      taskId,
      "--as",
      TRY_THIS.initiator,
      "--outcome",
      "approved",
      "--reason",
      "Looks fine",
    ]),
    approve: command([
      "decide",
      taskId,
      "--as",
      TRY_THIS.approver,
      "--outcome",
      "approved",
      "--reason",
      TRY_THIS.reason,
    ]),
    worker: command(["worker", "--until-idle"]),
    event: command([
      "event",
      "payment.executed",
      "--key",
      paymentId,
      "--data",
      '{"bankReference":"ACH-88120"}',
    ]),
    inspect: command(["inspect", run.summary.runId]),
    verify: command(["audit", "verify"]),
    tamper,
  };
}

function invoiceNumberOf(run: DemoRun): string {
  return (
    (latest(run.state, "match-po")?.output as { invoiceNumber?: string } | undefined)?.invoiceNumber ?? ""
  );
}

function decideArgv(taskId: string, s: Suggestion): string[] {
  const argv = ["decide", taskId, "--as", s.as, "--outcome", s.outcome];
  if (s.reason !== undefined) argv.push("--reason", s.reason);
  if (s.data !== undefined) argv.push("--data", JSON.stringify(s.data));
  return argv;
}

/** The sample's suggestion for a task of its run, or of one of its child runs. */
function suggestionFor(task: Task, runs: readonly DemoRun[]): Suggestion | undefined {
  const owner = runs.find(
    (r) => r.summary.runId === task.runId || r.children.some((c) => c.summary.runId === task.runId),
  );
  const sample: Sample | undefined = owner?.sample;
  const workflow = (s: Suggestion) => s.workflow ?? sample?.workflow;
  return sample?.suggestions?.find((s) => s.step === task.command.stepId && workflow(s) === task.workflow);
}

function findRun(runs: readonly DemoRun[], runId: string): DemoRun | undefined {
  for (const run of runs) {
    if (run.summary.runId === runId) return run;
    const child = findRun(run.children, runId);
    if (child) return child;
  }
  return undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** Words wrapped to `width`, each line starting with `indent`. */
export function wrap(text: string, width: number, indent = ""): string {
  return wrapJoined(text.split(" "), " ", width, indent);
}

/** Parts joined by `separator`, breaking lines between parts (a part longer than a line is split by words). */
function wrapJoined(parts: readonly string[], separator: string, width: number, indent: string): string {
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    const candidate = line === "" ? part : `${line}${separator}${part}`;
    if (candidate.length <= room) {
      line = candidate;
      continue;
    }
    if (line !== "") lines.push(`${line}${separator.trimEnd()}`);
    line = "";
    for (const word of part.split(" ")) {
      const next = line === "" ? word : `${line} ${word}`;
      if (next.length <= room || line === "") line = next;
      else {
        lines.push(line);
        line = word;
      }
    }
  }
  if (line !== "") lines.push(line);
  return lines.map((l) => `${indent}${l}\n`).join("");
}

/**
 * A command on one line, or broken before its options (`\\` at the end of each line but the last)
 * when it is wider than `width`; shells read the lines as one command. A long JSON value in single
 * quotes is broken between its members: the newlines are JSON whitespace inside the quotes.
 */
export function wrapCommand(words: readonly string[], indent: number, width: number): string {
  const segments: string[] = [];
  for (const word of words) {
    const last = segments.length - 1;
    if (
      last >= 0 &&
      !word.startsWith("--") &&
      segments[last]!.startsWith("--") &&
      !segments[last]!.includes(" ")
    )
      segments[last] = `${segments[last]} ${word}`;
    else if (last >= 0 && !word.startsWith("--") && !segments[last]!.startsWith("--"))
      segments[last] = `${segments[last]} ${word}`;
    else segments.push(word);
  }
  const pad = " ".repeat(indent);
  const room = width - indent - 4;
  // Each entry is a line; `open` marks a line that ends inside quotes (no backslash).
  const lines: { text: string; open: boolean }[] = [];
  let line = "";
  for (const segment of segments) {
    if (line === "") line = segment;
    else if (line.length + 1 + segment.length <= room) line = `${line} ${segment}`;
    else {
      lines.push({ text: line, open: false });
      line = segment;
    }
    if (line.length > room && /'\{"/.test(line)) {
      // Break the JSON after the commas between members (`,"` never occurs inside a JSON string).
      const pieces = line.split(/(?<=,)(?=")/);
      let current = "";
      for (const piece of pieces) {
        if (current !== "" && current.length + piece.length > room) {
          lines.push({ text: current, open: true });
          current = piece;
        } else current += piece;
      }
      line = current;
    }
  }
  lines.push({ text: line, open: false });
  return lines
    .map((l, i) => {
      const continued = i < lines.length - 1 && !l.open ? " \\" : "";
      return `${i === 0 ? pad : `${pad}  `}${l.text}${continued}\n`;
    })
    .join("");
}

/** Names in columns, as many per line as fit. */
function columns(names: readonly string[], width: number, indent: number): string {
  const cell = Math.max(...names.map((n) => n.length)) + 2;
  const perLine = Math.max(1, Math.floor((width - indent) / cell));
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += perLine)
    lines.push(
      " ".repeat(indent) +
        names
          .slice(i, i + perLine)
          .map((n) => n.padEnd(cell))
          .join("")
          .trimEnd(),
    );
  return lines.join("\n") + "\n";
}

function indentLines(text: string, indent: string): string {
  return text
    .split("\n")
    .map((line) => `\n${indent}${line}`)
    .join("");
}

/** A time as `2025-03-01 09:30Z`. */
function minutes(iso: string): string {
  return formatTime(iso).replace(/:\d\dZ$/, "Z");
}
