import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../audit/chain.js";
import type { Command } from "../../engine/commands.js";
import { isCharterError } from "../../errors.js";
import { at, auditCommand, runHandler, runState, runStoreContract } from "../../../test/store-contract.js";
import { createSqliteStore } from "./index.js";
import type { SqliteStore } from "./index.js";
import { MIGRATIONS, migrate } from "./migrate.js";
import { INBOX_RANGE_SQL } from "./tasks.js";

/**
 * A worker process: opens the store, says "ready", waits for "go" (so that all workers lease at
 * once), leases one job at a time until none is left, and prints the ids as JSON. Without the pause
 * between leases, one process keeps the write lock while the others back off in the busy handler.
 */
const LEASE_LOOP = `
const [modulePath, file, worker] = process.argv.slice(2);
const { createSqliteStore } = await import(modulePath);
const store = createSqliteStore({ path: file });
process.stdout.write("ready\\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const ids = [];
for (;;) {
  const jobs = await store.leaseJobs(worker, 1, "${at(1)}", "${at(31)}");
  if (jobs.length === 0) break;
  ids.push(...jobs.map((job) => job.jobId));
  await new Promise((resolve) => setTimeout(resolve, 1)); // "running the handler": let the others in
}
await store.close();
process.stdout.write(JSON.stringify(ids));
process.stdin.destroy();
`;

/** Start one lease worker per name, release them together, and collect what each leased. */
async function leaseInChildren(
  script: string,
  file: string,
  workers: readonly string[],
): Promise<string[][]> {
  const store = new URL("./create-store.ts", import.meta.url).href;
  const children = workers.map((worker) =>
    spawn(process.execPath, ["--import", "tsx", script, store, file, worker], {
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  const outputs = children.map((child) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const ready = new Promise<void>((resolve) => {
      const check = () => {
        if (!stdout.startsWith("ready\n")) return;
        child.stdout.off("data", check);
        resolve();
      };
      child.stdout.on("data", check);
    });
    const done = new Promise<string[]>((resolve, reject) =>
      child.on("close", (code) =>
        code === 0
          ? resolve(JSON.parse(stdout.slice("ready\n".length)) as string[])
          : reject(new Error(`lease worker exited with ${code}: ${stderr}`)),
      ),
    );
    // A worker that dies before it is ready fails the wait instead of hanging it.
    return {
      ready: Promise.race([ready, done.then(() => Promise.reject(new Error("lease worker ended early")))]),
      done,
    };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin.write("go\n");
  return Promise.all(outputs.map((o) => o.done));
}

/** A new directory per test; removed after it (the store must be closed first). */
const dirs: string[] = [];
function tempPath(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "charter-sqlite-"));
  dirs.push(dir);
  return path.join(dir, "charter.db");
}
async function removeTempDirs(): Promise<void> {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

runStoreContract({
  name: "sqlite",
  createStore: async () => createSqliteStore({ path: tempPath() }),
  cleanup: removeTempDirs,
});

describe("sqlite store", () => {
  const open: SqliteStore[] = [];
  function storeAt(
    file: string,
    options: Partial<Parameters<typeof createSqliteStore>[0]> = {},
  ): SqliteStore {
    const store = createSqliteStore({ path: file, ...options });
    open.push(store);
    return store;
  }
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await removeTempDirs();
  });

  async function startRun(
    store: SqliteStore,
    runId: string,
    commands: readonly Command[] = [auditCommand("run.started")],
  ) {
    await store.createRun({
      state: runState(runId),
      event: { type: "run.started", runId, input: {}, initiator: "user:alice" },
      commands,
      at: at(0),
    });
  }

  describe("durability settings", () => {
    it("uses WAL, synchronous=FULL and foreign keys by default", () => {
      const { db } = storeAt(tempPath())._internals;
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    });

    it("takes synchronous=NORMAL and a busy timeout when asked", () => {
      const { db } = storeAt(tempPath(), { synchronous: "NORMAL", busyTimeoutMs: 250 })._internals;
      expect(db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
      expect(db.pragma("busy_timeout", { simple: true })).toBe(250);
    });

    it("refuses invalid options with INVALID_OPTION", () => {
      const codeOf = (f: () => unknown) => {
        try {
          f();
        } catch (error) {
          return isCharterError(error) ? error.code : "other";
        }
        return "none";
      };
      const file = tempPath();
      expect(codeOf(() => createSqliteStore({ path: file, synchronous: "OFF" as "FULL" }))).toBe(
        "INVALID_OPTION",
      );
      expect(codeOf(() => createSqliteStore({ path: file, busyTimeoutMs: -1 }))).toBe("INVALID_OPTION");
      expect(codeOf(() => createSqliteStore({ path: "" }))).toBe("INVALID_OPTION");
    });

    it("a committed run is there after the store is closed and opened again", async () => {
      const file = tempPath();
      const first = storeAt(file);
      await startRun(first, "run-1");
      await first.close();
      const again = storeAt(file);
      expect((await again.getRun("run-1"))?.state.seq).toBe(1);
      expect(await again.auditTrail("run-1")).toHaveLength(1);
    });
  });

  describe("migrations", () => {
    it("are recorded once and are a no-op when run again", async () => {
      const file = tempPath();
      const store = storeAt(file);
      await startRun(store, "run-1");
      const { db } = store._internals;
      expect(migrate(db)).toEqual([]);
      await store.close();
      const again = storeAt(file);
      const rows = again._internals.db.prepare("SELECT id, name FROM charter_migrations").all();
      expect(rows).toEqual(MIGRATIONS.map(({ id, name }) => ({ id, name })));
      expect(await again.getRun("run-1")).toBeDefined();
    });

    it("refuse a database migrated by a newer Charter", () => {
      const file = tempPath();
      storeAt(file)._internals.db.prepare("INSERT INTO charter_migrations VALUES (999, 'future', 'x')").run();
      expect(() => storeAt(file)).toThrow(/999-future/);
    });
  });

  describe("audit rows", () => {
    it("cannot be updated or deleted through SQL while the guards are in place", async () => {
      const store = storeAt(tempPath());
      await startRun(store, "run-1");
      const { db } = store._internals;
      expect(() => db.prepare("UPDATE audit SET reason = 'x'").run()).toThrow(/append-only/);
      expect(() => db.prepare("DELETE FROM audit").run()).toThrow(/append-only/);
    });

    it("an audit row edited by hand in SQL is detected by verifyAuditChain", async () => {
      const file = tempPath();
      const store = storeAt(file);
      await startRun(store, "run-1", [
        auditCommand("run.started"),
        auditCommand("approval.decided", { actor: "user:fiona", reason: "ok" }),
      ]);
      const before = await store.auditTrail("run-1");
      const head = (await store.getRun("run-1"))?.auditHead;
      expect(verifyAuditChain("run-1", before, head).ok).toBe(true);

      // Someone with the file: a second connection drops the guard and rewrites the reason.
      const tamper = new Database(file);
      tamper.exec("DROP TRIGGER audit_no_update");
      tamper
        .prepare("UPDATE audit SET reason = 'approved by the CFO' WHERE run_id = 'run-1' AND seq = 2")
        .run();
      tamper.close();

      const after = await store.auditTrail("run-1");
      expect(after[1]?.reason).toBe("approved by the CFO");
      expect(verifyAuditChain("run-1", after, head)).toMatchObject({ ok: false, seq: 2, problem: "edited" });
    });
  });

  describe("concurrency and indexes", () => {
    it("two stores on one file never lease the same job", async () => {
      const file = tempPath();
      const [a, b] = [storeAt(file), storeAt(file)];
      await startRun(
        a,
        "run-1",
        Array.from({ length: 20 }, (_, i) => runHandler(`job-${i}`)),
      );
      const leases = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).leaseJobs(`w${i}`, 3, at(1), at(31))),
      );
      const ids = leases.flat().map((j) => j.jobId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(20);
    });

    it("three processes leasing from one file never get the same job", async () => {
      const file = tempPath();
      const store = storeAt(file);
      await startRun(
        store,
        "run-1",
        Array.from({ length: 150 }, (_, i) => runHandler(`job-${i}`)),
      );
      const script = path.join(path.dirname(file), "lease.mts");
      writeFileSync(script, LEASE_LOOP);
      const leases = await leaseInChildren(script, file, ["p1", "p2", "p3"]);
      const ids = leases.flat();
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
    });

    it("an inbox page is a range of the assignee index, not a scan or a sort", () => {
      const { db } = storeAt(tempPath())._internals;
      const plan = db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${INBOX_RANGE_SQL}`)
        .all({ assignee: "user:fiona", status: "open", at: 0, id: "", limit: 51 })
        .map((row) => row.detail);
      expect(plan[0]).toMatch(
        /^SEARCH a USING COVERING INDEX task_assignees_inbox \(assignee=\? AND status=\? AND/,
      );
      expect(plan.join("\n")).not.toMatch(/SCAN|TEMP B-TREE/);
    });
  });
});
