/**
 * `wait`: for an `event` (subscribed under the evaluated `correlation` as its key; the matching
 * event's data is the output) or `until` a time (a timer). Either way `timeout` bounds it and the
 * run goes to `on_timeout` when it fires.
 */
import { parseDuration } from "../../definition/duration.js";
import type { StepOf } from "../../definition/schema.js";
import { canonicalJson } from "../../docs/hash.js";
import { audit } from "../audit.js";
import { unsubscribe } from "../cancel.js";
import type { Draft } from "../draft.js";
import { after, emit } from "../draft.js";
import type { EventOf } from "../events.js";
import type { Evaluated } from "../expressions.js";
import { evaluate, failed } from "../expressions.js";
import { routeError } from "../failure.js";
import { subscriptionId } from "../ids.js";
import { activeInstances, endInstance } from "../instances.js";
import type { Handled } from "../result.js";
import { APPLIED, IGNORED } from "../result.js";
import { advance, goTo } from "../routing.js";
import type { StepInstance, TimerPurpose } from "../state.js";
import { cancelTimers, startTimer } from "../timers.js";

export async function enterWait(draft: Draft, instance: StepInstance, step: StepOf<"wait">): Promise<void> {
  instance.status = "waiting";
  if (step.event !== undefined) {
    const key = await correlationKey(draft, instance, step.correlation);
    if (!key.ok) return routeError(draft, instance, key.error);
    const id = subscriptionId(draft.state.runId, instance.key, instance.attempt);
    instance.subscription = { id, name: step.event, key: key.value as string };
    emit(draft, "subscribe-event", {
      subscriptionId: id,
      instance: instance.key,
      name: step.event,
      key: key.value as string,
    });
  } else if (step.until !== undefined) {
    const until = await untilTime(draft, instance, step.until);
    if (!until.ok) return routeError(draft, instance, until.error);
    if ((until.value as number) <= draft.now.getTime()) return resume(draft, instance, undefined);
    startTimer(draft, instance, "until", new Date(until.value as number).toISOString());
  }
  if (step.timeout !== undefined)
    startTimer(draft, instance, "timeout", after(draft, parseDuration(step.timeout)));
}

async function correlationKey(
  draft: Draft,
  instance: StepInstance,
  source: string | undefined,
): Promise<Evaluated> {
  if (source === undefined) return failed("CORRELATION_MISSING", "a wait for an event needs a correlation");
  const result = await evaluate(draft, source, instance.scope);
  if (!result.ok) return result;
  const { value } = result;
  if (value === undefined || value === null)
    return failed("CORRELATION_MISSING", "the correlation expression gave no value");
  return { ok: true, value: typeof value === "object" ? canonicalJson(value) : String(value) };
}

/** The `until` time in epoch milliseconds: an ISO 8601 string, or a number of milliseconds. */
async function untilTime(draft: Draft, instance: StepInstance, source: string): Promise<Evaluated> {
  const result = await evaluate(draft, source, instance.scope);
  if (!result.ok) return result;
  const ms =
    typeof result.value === "number"
      ? result.value
      : typeof result.value === "string"
        ? Date.parse(result.value)
        : NaN;
  if (!Number.isFinite(ms))
    return failed(
      "UNTIL_INVALID",
      `until gave ${JSON.stringify(result.value ?? null)}, not an ISO 8601 time`,
    );
  return { ok: true, value: ms };
}

export async function onEventReceived(draft: Draft, event: EventOf<"event.received">): Promise<Handled> {
  const waiting = activeInstances(draft).filter(
    (i) => i.status === "waiting" && i.subscription?.name === event.name && i.subscription.key === event.key,
  );
  if (waiting.length === 0) return IGNORED;
  // One event resumes every wait of the run it matches; an earlier resume may have cancelled a later one.
  for (const instance of waiting)
    if (instance.status === "waiting") await resume(draft, instance, event.data);
  return APPLIED;
}

async function resume(draft: Draft, instance: StepInstance, output: unknown): Promise<void> {
  cancelTimers(draft, instance);
  unsubscribe(draft, instance);
  if (output !== undefined) instance.output = output;
  endInstance(draft, instance, "succeeded");
  audit(draft, { actor: "system", action: "step.succeeded", data: output ?? null }, instance);
  await advance(draft, instance);
}

export async function onWaitTimer(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"wait">,
  purpose: TimerPurpose,
): Promise<void> {
  if (instance.status !== "waiting") return;
  if (purpose === "until") return resume(draft, instance, undefined);
  if (purpose !== "timeout") return;
  cancelTimers(draft, instance);
  unsubscribe(draft, instance);
  const error = { code: "TIMEOUT", message: "the wait timed out", retryable: false };
  instance.error = error;
  endInstance(draft, instance, "failed");
  const target = step.on_timeout ?? "exception";
  audit(draft, { actor: "system", action: "step.timed-out", details: { to: target } }, instance);
  await goTo(draft, instance, target, error);
}
