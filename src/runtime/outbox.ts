/**
 * The outbox: commands that act on another run (start a child, cancel a child, tell the parent)
 * cannot be written in the transaction of the run that issues them. So the runtime adds, to the
 * same commit, one job per such command under a reserved handler name (`charter:<command>`, which
 * no charter can name). The job is carried out right after the commit and completed; if the
 * process dies first, a worker leases it like any other job. Each effect is idempotent (the child's
 * run id is derived, a stale `child.ended` is ignored), so carrying one out twice is harmless.
 */
import { createHash } from "node:crypto";
import type { Command, CommandOf } from "../engine/commands.js";
import type { OutboxCommand } from "./context.js";

const OUTBOX_TYPES = ["start-child-run", "cancel-child-run", "notify-parent"] as const;
const PREFIX = "charter:";

export interface OutboxJob {
  readonly jobId: string;
  readonly command: OutboxCommand;
}

function isOutboxCommand(command: Command): command is OutboxCommand {
  return (OUTBOX_TYPES as readonly string[]).includes(command.type);
}

/** The transition's commands plus one outbox job per outbox command; ids are unique per run and seq. */
export function withOutbox(
  runId: string,
  seq: number,
  commands: readonly Command[],
): { commands: Command[]; outbox: OutboxJob[] } {
  const outbox = commands.filter(isOutboxCommand).map((command, index) => ({
    jobId: outboxJobId(runId, seq, index),
    command,
  }));
  const jobs = outbox.map(({ jobId, command }): CommandOf<"run-handler"> => ({
    type: "run-handler",
    jobId,
    instance: "instance" in command ? command.instance : "",
    stepId: "",
    handler: `${PREFIX}${command.type}`,
    input: command,
    attempt: 0,
    idempotencyKey: jobId,
    timeoutMs: 0,
  }));
  return { commands: [...commands, ...jobs], outbox };
}

/** The outbox command a job carries, if it is an outbox job. */
export function outboxCommandOf(command: Command): OutboxCommand | undefined {
  if (command.type !== "run-handler" || !command.handler.startsWith(PREFIX)) return undefined;
  const inner = command.input as Command;
  return isOutboxCommand(inner) ? inner : undefined;
}

function outboxJobId(runId: string, seq: number, index: number): string {
  const digest = createHash("sha256")
    .update(["outbox", runId, seq, index].join("\u0000"), "utf8")
    .digest("hex");
  return `job_${digest.slice(0, 24)}`;
}
