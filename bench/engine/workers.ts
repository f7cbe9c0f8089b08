/** The parent's side of worker processes: fork them, wait until each works, stop them, probe one's memory. */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WorkerMessage, WorkerProcessConfig } from "./worker-process.js";
import type { StoreSpec } from "./stores.js";

const SCRIPT = fileURLToPath(new URL("./worker-process.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function spawnWorker(config: WorkerProcessConfig, exposeGc = false): ChildProcess {
  return fork(SCRIPT, [JSON.stringify(config)], {
    cwd: ROOT,
    execArgv: ["--import", "tsx", ...(exposeGc ? ["--expose-gc"] : [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** The first message of a type from a child, or an error if it says one or exits first. */
function nextMessage<T extends WorkerMessage["type"]>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<WorkerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`worker ${child.pid}: no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: WorkerMessage) => {
      if (message.type === type) done(undefined, message as Extract<WorkerMessage, { type: T }>);
      else if (message.type === "error") done(new Error(`worker ${child.pid}: ${message.message}`));
    };
    const onExit = (code: number | null) =>
      done(new Error(`worker ${child.pid} exited (${code}) before "${type}"`));
    const done = (error?: Error, message?: Extract<WorkerMessage, { type: T }>) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

export interface WorkerPool {
  readonly size: number;
  stop(): Promise<void>;
}

export async function startWorkers(
  store: StoreSpec,
  count: number,
  options: { concurrency: number; pollIntervalMs?: number },
): Promise<WorkerPool> {
  const children = Array.from({ length: count }, (_, i) =>
    spawnWorker({
      store,
      concurrency: options.concurrency,
      workerId: `bench-worker-${i + 1}`,
      mode: "serve",
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    }),
  );
  const stop = async () => {
    await Promise.allSettled(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.send({ type: "stop" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };
  try {
    await Promise.all(children.map((child) => nextMessage(child, "ready", 60_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { size: count, stop };
}

/** W5: a worker process's memory after `seconds` of work and two garbage collections. */
export async function probeWorkerMemory(
  store: StoreSpec,
  options: { concurrency: number; seconds: number },
): Promise<{ rss: number; heapUsed: number; heapTotal: number; external: number }> {
  const child = spawnWorker(
    {
      store,
      concurrency: options.concurrency,
      workerId: "bench-memory-probe",
      mode: "memory",
      seconds: options.seconds,
    },
    true,
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    const { rss, heapUsed, heapTotal, external } = await nextMessage(
      child,
      "memory",
      60_000 + options.seconds * 1000,
    );
    return { rss, heapUsed, heapTotal, external };
  } finally {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
