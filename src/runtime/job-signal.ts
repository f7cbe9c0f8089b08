/**
 * The AbortSignal a handler or model call gets: aborted when the step's timeout passes on the
 * engine's clock (a manual clock aborts it when advanced), or when the worker is forced to stop.
 * The worker stops waiting for a call as soon as its signal aborts, even if the call ignores it.
 */
import { systemClock } from "./clock.js";
import type { Clock } from "./engine.js";

export interface JobSignal {
  readonly signal: AbortSignal;
  /** True when the timeout aborted the signal (not the worker's shutdown). */
  timedOut(): boolean;
  dispose(): void;
}

export function createJobSignal(clock: Clock, timeoutMs: number, shutdown?: AbortSignal): JobSignal {
  const controller = new AbortController();
  let timedOut = false;
  const schedule = clock.schedule ? clock.schedule.bind(clock) : systemClock.schedule!;
  const cancel =
    timeoutMs > 0
      ? schedule(timeoutMs, () => {
          timedOut = true;
          controller.abort(new DOMException(`the step's timeout of ${timeoutMs} ms passed`, "TimeoutError"));
        })
      : () => {};
  const onShutdown = () => controller.abort(shutdown?.reason);
  if (shutdown?.aborted) onShutdown();
  else shutdown?.addEventListener("abort", onShutdown, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      cancel();
      shutdown?.removeEventListener("abort", onShutdown);
    },
  };
}

/** Calls `call` and settles with its result, or rejects with the signal's reason when it aborts first. */
export function untilAborted<T>(call: () => Promise<T> | T, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    new Promise<T>((inner) => inner(call())).then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error as Error);
      },
    );
  });
}
