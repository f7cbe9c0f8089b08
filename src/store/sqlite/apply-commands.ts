/**
 * The rows each command implies, written in the transaction of the transition that issued it. One
 * handler per command type, checked at compile time: a new command type does not build until the
 * store says what it writes for it (even if that is nothing).
 */
import type { ChainHead } from "../../audit/chain.js";
import type { Command, CommandOf, CommandType } from "../../engine/commands.js";
import type { ClaimMs } from "../shared/jobs.js";
import type { Queries } from "./queries.js";
import { toMs } from "../shared/time.js";
import { commandError } from "../shared/writes.js";

export interface CommandContext {
  readonly runId: string;
  readonly workflow: string;
  /** The transition's time, epoch ms. */
  readonly at: number;
  /** Advanced by each `append-audit`. */
  auditHead: ChainHead | undefined;
  /** Jobs created are leased at once to this worker. */
  readonly claim: ClaimMs | undefined;
}

type CommandHandlers = {
  readonly [K in CommandType]: (q: Queries, ctx: CommandContext, command: CommandOf<K>) => void;
};

const HANDLERS: CommandHandlers = {
  "run-handler": (q, ctx, c) => q.jobs.insert(ctx.runId, c, ctx.at, ctx.claim),
  "run-model-task": (q, ctx, c) => q.jobs.insert(ctx.runId, c, ctx.at, ctx.claim),
  "start-timer": (q, ctx, c) =>
    q.timers.insert(ctx.runId, c.timerId, toMs(c.fireAt, `start-timer ${c.timerId} fireAt`)),
  "cancel-timer": (q, _ctx, c) => q.timers.remove(c.timerId),
  "open-task": (q, ctx, c) => q.tasks.open(ctx.runId, ctx.workflow, c, ctx.at),
  "update-task": (q, _ctx, c) => q.tasks.reassign(c),
  "close-task": (q, ctx, c) => q.tasks.close(c, ctx.at),
  "subscribe-event": (q, ctx, c) => q.subscriptions.insert(ctx.runId, c),
  "unsubscribe-event": (q, _ctx, c) => q.subscriptions.remove(c.subscriptionId),
  // The runtime creates the child run with createRun after this commit; createRun is idempotent on
  // the child's run id, so a retry after a crash creates it once. Nothing to record here.
  "start-child-run": () => {},
  // The runtime commits `run.cancelled` to the child run after this commit. Nothing to record here.
  "cancel-child-run": () => {},
  // The runtime delivers `child.ended` to the parent run after this commit. Nothing to record here.
  "notify-parent": () => {},
  "raise-exception": (q, ctx, c) => q.exceptions.raise(ctx.runId, ctx.workflow, c, ctx.at),
  "resolve-exception": (q, ctx, c) => q.exceptions.resolve(ctx.runId, c.instance),
  "append-audit": (q, ctx, c) => {
    ctx.auditHead = q.audit.append(ctx.runId, ctx.auditHead, c);
  },
  // The state carries the outcome; the run row's columns are written from the state.
  "complete-run": () => {},
};

export function applyCommand(q: Queries, ctx: CommandContext, command: Command): void {
  // The map is keyed by type, so the handler found takes exactly this command's type.
  const handler = HANDLERS[command.type] as (q: Queries, ctx: CommandContext, command: Command) => void;
  try {
    handler(q, ctx, command);
  } catch (error) {
    throw commandError(ctx.runId, command, error);
  }
}
