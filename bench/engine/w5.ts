/**
 * W5 (Charter only): many runs parked at an approval. What they cost at rest: the store's size on
 * disk, a worker process's memory beside an idle one's, and how long one user's inbox page takes.
 */
import { createEngine } from "../../src/runtime/create-engine.js";
import type { Engine } from "../../src/runtime/engine.js";
import { W5_USERS, WORKFLOWS, benchCharters } from "./charters.js";
import { benchHandlers } from "./handlers.js";
import { median, now } from "./stats.js";
import type { StoreKind } from "./stores.js";
import { freshStore, openStore, pgCheckpoint, storeSize } from "./stores.js";
import { probeWorkerMemory } from "./workers.js";

export interface MemoryUsage {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

export interface W5Result {
  readonly n: number;
  readonly users: number;
  readonly create_ms: number;
  readonly create_runs_per_s: number;
  readonly size_empty: Record<string, number>;
  readonly size_parked: Record<string, number>;
  readonly bytes_per_run: number;
  readonly memory_idle: MemoryUsage;
  readonly memory_parked: MemoryUsage;
  readonly inbox_user: string;
  readonly inbox_tasks: number;
  readonly inbox_first_page_ms: number;
  readonly inbox_deep_page_ms: number;
  readonly inbox_deep_after_items: number;
}

export const W5_CHUNK = 1000;
const INBOX_CALLS = 20;
const PAGE = 50;

/** Start `n` runs that park at the approval, `W5_CHUNK` at a time, all of a chunk at once. */
async function park(engine: Engine, n: number): Promise<void> {
  for (let from = 0; from < n; from += W5_CHUNK) {
    const inputs = Array.from({ length: Math.min(W5_CHUNK, n - from) }, (_, i) => from + i);
    await Promise.all(inputs.map((input) => engine.start(WORKFLOWS.approval, { input, as: "user:bench" })));
  }
}

async function timeListing(engine: Engine, as: string, after: string | undefined): Promise<number> {
  const call = async () => {
    const page = await engine.listTasks({ as, limit: PAGE, ...(after === undefined ? {} : { after }) });
    if (page.items.length !== PAGE)
      throw new Error(`inbox page of ${as}: ${page.items.length} items, expected ${PAGE}`);
  };
  for (let i = 0; i < 3; i++) await call(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < INBOX_CALLS; i++) {
    const t = now();
    await call();
    times.push(now() - t);
  }
  return median(times);
}

export async function w5(
  kind: StoreKind,
  options: { n: number; concurrency: number; probeSeconds: number; log: (line: string) => void },
): Promise<W5Result> {
  const { n, log } = options;
  const fresh = await freshStore(kind, "charter_bench_w5");
  const engine = createEngine({ store: await openStore(fresh.spec), handlers: benchHandlers });
  try {
    for (const { charter, source } of benchCharters()) await engine.deploy(charter, source);
    const memoryIdle = await probeWorkerMemory(fresh.spec, {
      concurrency: options.concurrency,
      seconds: options.probeSeconds,
    });
    const sizeEmpty = await storeSize(fresh.spec);

    log(`  W5: parking ${n.toLocaleString("en")} runs at an approval...`);
    const t0 = now();
    await park(engine, n);
    const createMs = now() - t0;
    await pgCheckpoint(fresh.spec);
    const sizeParked = await storeSize(fresh.spec);

    // One user's inbox: every page, counted (this also checks that each run opened its task).
    const as = "user:u3";
    const perUser = Math.floor(n / W5_USERS) + (3 < n % W5_USERS ? 1 : 0);
    const deepAfter = Math.max(PAGE, Math.floor((perUser * 0.9) / PAGE) * PAGE);
    let seen = 0;
    let deepCursor: string | undefined;
    let after: string | undefined;
    do {
      const page = await engine.listTasks({ as, limit: PAGE, ...(after === undefined ? {} : { after }) });
      seen += page.items.length;
      after = page.next;
      if (seen === deepAfter) deepCursor = after;
    } while (after !== undefined);
    if (seen !== perUser) throw new Error(`the inbox of ${as} holds ${seen} tasks, expected ${perUser}`);
    if (perUser < deepAfter + PAGE)
      throw new Error(`W5 needs at least ${(deepAfter + PAGE) * W5_USERS} runs`);
    const first = await timeListing(engine, as, undefined);
    const deep = await timeListing(engine, as, deepCursor);

    const memoryParked = await probeWorkerMemory(fresh.spec, {
      concurrency: options.concurrency,
      seconds: options.probeSeconds,
    });
    return {
      n,
      users: W5_USERS,
      create_ms: createMs,
      create_runs_per_s: n / (createMs / 1000),
      size_empty: sizeEmpty,
      size_parked: sizeParked,
      bytes_per_run: ((sizeParked.total ?? 0) - (sizeEmpty.total ?? 0)) / n,
      memory_idle: memoryIdle,
      memory_parked: memoryParked,
      inbox_user: as,
      inbox_tasks: seen,
      inbox_first_page_ms: first,
      inbox_deep_page_ms: deep,
      inbox_deep_after_items: deepAfter,
    };
  } finally {
    await engine.close();
    await fresh.dispose();
  }
}
