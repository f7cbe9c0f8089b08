import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../audit/chain.js";
import type { Command } from "../../engine/commands.js";
import type { RunState } from "../../engine/state.js";
import { isCharterError } from "../../errors.js";
import {
  at,
  auditCommand,
  command,
  nextState,
  runHandler,
  runState,
  runStoreContract,
} from "../../../test/store-contract.js";
import type { StoreNotice } from "../store.js";
import { quoteIdentifier } from "./identifiers.js";
import { createPostgresStore } from "./index.js";
import type { PostgresStore, PostgresStoreOptions } from "./index.js";
import { MIGRATIONS, migrate } from "./migrate.js";
import { inboxSql } from "./tasks.js";
import { tablesOf } from "./tables.js";
import { createTestDatabase, testDatabaseUrl, withAdmin } from "../../../test/helpers/postgres-db.js";
import type { TestDatabase } from "../../../test/helpers/postgres-db.js";

/**
 * Every test file gets its own database, cloned from a template that holds the migrated schema
 * (built once per migration set, by whichever process needs it first). Every contract test gets an
 * empty store: the tables of the file's database are truncated before it.
 */
const suffix = randomBytes(4).toString("hex");
/** application_name of every connection this file opens: afterAll checks that none is left. */
const APP = `charter-test-${suffix}`;
const TEMPLATE = `charter_tmpl_${createHash("sha256")
  .update(MIGRATIONS.map((m) => `${m.id}:${m.sql}`).join("\n"))
  .digest("hex")
  .slice(0, 12)}`;

const databases: TestDatabase[] = [];
let dbUrl: string;
let admin: pg.Client;

async function ensureTemplate(): Promise<void> {
  await withAdmin(async (server) => {
    const exists = await server.query("SELECT 1 FROM pg_database WHERE datname = $1", [TEMPLATE]);
    if (exists.rowCount) return;
    // Built under another name and renamed when complete, so no process clones a half-built template.
    const building = `${TEMPLATE}_${suffix}`;
    await server.query(`CREATE DATABASE ${quoteIdentifier(building)}`);
    const store = await createPostgresStore({
      connectionString: testDatabaseUrl(building),
      applicationName: APP,
    });
    await store.close();
    try {
      await server.query(
        `ALTER DATABASE ${quoteIdentifier(building)} RENAME TO ${quoteIdentifier(TEMPLATE)}`,
      );
    } catch (error) {
      await server.query(`DROP DATABASE ${quoteIdentifier(building)}`);
      if ((error as { code?: string }).code !== "42P04") throw error; // another process won the race
    }
  });
}

/** A new database: a clone of the template, or empty (`template0`). Dropped after the file. */
async function newDatabase(template: string): Promise<string> {
  const database = await createTestDatabase("test", { template });
  databases.push(database);
  return database.url;
}

beforeAll(async () => {
  await ensureTemplate();
  dbUrl = await newDatabase(TEMPLATE);
  admin = new pg.Client({ connectionString: dbUrl, application_name: `${APP}:admin` });
  await admin.connect();
}, 60_000);

afterAll(async () => {
  // No store may leave a connection behind: every pool and listener was closed.
  const left = await admin.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1 AND pid <> pg_backend_pid()",
    [`${APP}%`],
  );
  await admin.end();
  for (const database of databases) await database.drop();
  expect(left.rows[0]?.n).toBe(0);
}, 60_000);

const TABLES = Object.entries(tablesOf("charter"))
  .filter(([key]) => key !== "schema" && key !== "migrations")
  .map(([, name]) => name);

runStoreContract({
  name: "postgres",
  createStore: async () => {
    await admin.query(`TRUNCATE ${TABLES.join(", ")} RESTART IDENTITY`);
    return createPostgresStore({ connectionString: dbUrl, applicationName: APP });
  },
});

/**
 * A child process: opens a store, says "ready", waits for "go" (so that all start at once), then
 * either only opens it (migrations racing) or leases one job at a time until none is left, and
 * prints what it leased as JSON. It ends by closing the store: if anything kept the process alive
 * after close(), the test would time out.
 */
const CHILD = `
const [modulePath, url, schema, worker, mode, app] = process.argv.slice(2);
const { createPostgresStore } = await import(modulePath);
process.stdout.write("ready\\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.destroy();
const store = await createPostgresStore({ connectionString: url, schema, applicationName: app, poolSize: 2 });
const ids = [];
if (mode === "lease") {
  for (;;) {
    const jobs = await store.leaseJobs(worker, 1, "${at(1)}", "${at(31)}");
    if (jobs.length === 0) break;
    ids.push(...jobs.map((job) => job.jobId));
  }
}
await store.close();
process.stdout.write(JSON.stringify(ids));
`;

async function inChildren(
  workers: readonly string[],
  args: { url: string; schema: string; mode: "open" | "lease" },
): Promise<string[][]> {
  const dir = mkdtempSync(path.join(tmpdir(), "charter-pg-"));
  const script = path.join(dir, "child.mts");
  writeFileSync(script, CHILD);
  const modulePath = new URL("./create-store.ts", import.meta.url).href;
  try {
    const children = workers.map((worker) =>
      spawn(
        process.execPath,
        ["--import", "tsx", script, modulePath, args.url, args.schema, worker, args.mode, APP],
        { stdio: ["pipe", "pipe", "pipe"] },
      ),
    );
    const outputs = children.map((child) => {
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      const done = new Promise<string[]>((resolve, reject) =>
        child.on("close", (code) =>
          code === 0
            ? resolve(JSON.parse(stdout.slice("ready\n".length)) as string[])
            : reject(new Error(`child exited with ${code}: ${stderr}`)),
        ),
      );
      const ready = new Promise<void>((resolve, reject) => {
        const check = () => stdout.startsWith("ready\n") && resolve();
        child.stdout.on("data", check);
        done.then(() => reject(new Error("child ended early")), reject);
      });
      return { ready, done };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const child of children) child.stdin.write("go\n");
    return await Promise.all(outputs.map((o) => o.done));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("postgres store", () => {
  const open: PostgresStore[] = [];
  async function storeOn(options: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
    const store = await createPostgresStore({ connectionString: dbUrl, applicationName: APP, ...options });
    open.push(store);
    return store;
  }
  /** A schema of its own: the contract's tables are truncated by the contract's tests. */
  const freshSchema = () => `t_${randomBytes(4).toString("hex")}`;
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  async function startRun(store: PostgresStore, runId: string, commands: readonly Command[] = []) {
    const state = runState(runId);
    await store.createRun({
      state,
      event: { type: "run.started", runId, input: {}, initiator: "user:alice" },
      commands,
      at: at(0),
    });
    return state;
  }
  const commitOn = (
    store: PostgresStore,
    state: RunState,
    commands: readonly Command[],
    fields: Partial<RunState> = {},
    job?: { jobId: string; lease: number },
  ) =>
    store.commitTransition({
      runId: state.runId,
      expectedSeq: state.seq,
      state: nextState(state, fields),
      event: { type: "timer.fired", timerId: "t" },
      commands,
      at: at(state.seq * 10),
      ...(job ? { job } : {}),
    });

  describe("options", () => {
    it("refuses invalid options with INVALID_OPTION naming the option", async () => {
      const optionOf = async (options: Partial<PostgresStoreOptions>) => {
        try {
          await createPostgresStore({ connectionString: dbUrl, ...options } as PostgresStoreOptions);
        } catch (error) {
          return isCharterError(error) && error.code === "INVALID_OPTION" ? error.details?.option : "other";
        }
        return "none";
      };
      expect(await optionOf({ connectionString: "" })).toBe("connectionString");
      expect(await optionOf({ schema: "" })).toBe("schema");
      expect(await optionOf({ schema: "pg_catalog" })).toBe("schema");
      expect(await optionOf({ schema: "x".repeat(64) })).toBe("schema");
      expect(await optionOf({ poolSize: 0 })).toBe("poolSize");
      expect(await optionOf({ retry: 0 })).toBe("retry");
      expect(await optionOf({ statementTimeoutMs: -1 })).toBe("statementTimeoutMs");
    });

    it("applies the defaults and a statement timeout", async () => {
      const store = await storeOn({ statementTimeoutMs: 1234 });
      expect(store.options).toMatchObject({ schema: "charter", poolSize: 10, retry: 8 });
      const client = await store._internals.pool.connect();
      try {
        expect((await client.query("SHOW statement_timeout")).rows[0]).toEqual({
          statement_timeout: "1234ms",
        });
      } finally {
        client.release();
      }
    });

    it("close() is idempotent", async () => {
      const store = await storeOn();
      await Promise.all([store.close(), store.close()]);
      await store.close();
    });
  });

  describe("schema and migrations", () => {
    it("works in a schema whose name needs quoting, apart from other schemas", async () => {
      const schema = `Charter "Ops"-1 ${suffix}`;
      const store = await storeOn({ schema });
      const state = await startRun(store, "run-q", [auditCommand("run.started"), runHandler("job-q")]);
      expect(await commitOn(store, state, [command("open-task", openTaskFields("task-q"))])).toBe(true);
      expect((await store.listTasks({ assignee: ["user:fiona"] })).items.map((t) => t.taskId)).toEqual([
        "task-q",
      ]);
      expect((await store.leaseJobs("w1", 5, at(1), at(31))).map((j) => j.jobId)).toEqual(["job-q"]);
      const schemas = await admin.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
      expect(schemas.rowCount).toBe(1);
      const other = await storeOn({ schema: freshSchema() });
      expect(await other.getRun("run-q")).toBeUndefined();
      await admin.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    });

    it("are recorded once, are a no-op when run again, and refuse a database migrated by a newer Charter", async () => {
      const schema = freshSchema();
      const store = await storeOn({ schema });
      expect(await migrate(store._internals.connections, schema)).toEqual([]);
      const t = tablesOf(schema);
      expect((await admin.query(`SELECT id, name FROM ${t.migrations} ORDER BY id`)).rows).toEqual(
        MIGRATIONS.map(({ id, name }) => ({ id, name })),
      );
      await admin.query(`INSERT INTO ${t.migrations} (id, name) VALUES (999, 'future')`);
      await expect(storeOn({ schema })).rejects.toThrow(/999-future/);
    });

    it("several stores starting at once on a new database migrate it once", async () => {
      const url = await newDatabase("template0");
      const stores = await Promise.all(
        [1, 2, 3, 4].map(() => createPostgresStore({ connectionString: url, applicationName: APP })),
      );
      open.push(...stores);
      const client = new pg.Client({ connectionString: url, application_name: `${APP}:admin` });
      await client.connect();
      try {
        const rows = (await client.query("SELECT id FROM charter.charter_migrations")).rows;
        expect(rows).toEqual(MIGRATIONS.map(({ id }) => ({ id })));
      } finally {
        await client.end();
      }
    });

    it("two processes starting at once on a new database migrate it once", async () => {
      const url = await newDatabase("template0");
      const schema = `Ops "2"`;
      expect(await inChildren(["p1", "p2", "p3"], { url, schema, mode: "open" })).toEqual([[], [], []]);
      const client = new pg.Client({ connectionString: url, application_name: `${APP}:admin` });
      await client.connect();
      try {
        const rows = (await client.query(`SELECT id FROM ${tablesOf(schema).migrations}`)).rows;
        expect(rows).toEqual(MIGRATIONS.map(({ id }) => ({ id })));
      } finally {
        await client.end();
      }
    }, 30_000);
  });

  describe("audit rows", () => {
    it("cannot be updated or deleted; an edit made with the guard off is detected", async () => {
      const schema = freshSchema();
      const store = await storeOn({ schema });
      await startRun(store, "run-1", [
        auditCommand("run.started"),
        auditCommand("decided", { reason: "ok" }),
      ]);
      const t = tablesOf(schema);
      await expect(admin.query(`UPDATE ${t.audit} SET reason = 'x'`)).rejects.toThrow(/append-only/);
      await expect(admin.query(`DELETE FROM ${t.audit}`)).rejects.toThrow(/append-only/);
      const head = (await store.getRun("run-1"))?.auditHead;
      await admin.query(`ALTER TABLE ${t.audit} DISABLE TRIGGER audit_no_update`);
      await admin.query(`UPDATE ${t.audit} SET reason = 'approved by the CFO' WHERE seq = 2`);
      await admin.query(`ALTER TABLE ${t.audit} ENABLE TRIGGER audit_no_update`);
      expect(verifyAuditChain("run-1", await store.auditTrail("run-1"), head)).toMatchObject({
        ok: false,
        seq: 2,
        problem: "edited",
      });
    });
  });

  describe("leasing with SKIP LOCKED", () => {
    it("several stores leasing at once never lease the same job twice", async () => {
      const schema = freshSchema();
      const stores = [await storeOn({ schema }), await storeOn({ schema }), await storeOn({ schema })];
      await startRun(
        stores[0]!,
        "run-1",
        Array.from({ length: 60 }, (_, i) => runHandler(`job-${i}`)),
      );
      const leases = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % 3]!.leaseJobs(`w${i}`, 3, at(1), at(31))),
      );
      const ids = leases.flat().map((j) => j.jobId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(60);
    });

    it("three processes leasing from one schema never get the same job", async () => {
      const schema = freshSchema();
      const store = await storeOn({ schema });
      await startRun(
        store,
        "run-1",
        Array.from({ length: 150 }, (_, i) => runHandler(`job-${i}`)),
      );
      const ids = (await inChildren(["p1", "p2", "p3"], { url: dbUrl, schema, mode: "lease" })).flat();
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
    }, 30_000);

    it("a worker whose lease was taken over cannot commit, from any store", async () => {
      const schema = freshSchema();
      const [a, b] = [await storeOn({ schema }), await storeOn({ schema })];
      const state = await startRun(a, "run-1", [runHandler("job-1")]);
      const [first] = await a.leaseJobs("w1", 1, at(1), at(31));
      const [second] = await b.leaseJobs("w2", 1, at(31), at(61));
      expect([first?.lease, second?.lease]).toEqual([1, 2]);
      expect(await commitOn(a, state, [auditCommand("late")], {}, { jobId: "job-1", lease: 1 })).toBe(false);
      expect(await b.completeJob({ jobId: "job-1", lease: 1 })).toBe(false);
      expect(await commitOn(b, state, [], {}, { jobId: "job-1", lease: 2 })).toBe(true);
      expect(await a.auditTrail("run-1")).toEqual([]);
    });

    it("an inbox page reads ranges of the assignee index", async () => {
      const schema = freshSchema();
      await storeOn({ schema });
      const client = new pg.Client({ connectionString: dbUrl, application_name: `${APP}:admin` });
      await client.connect();
      try {
        await client.query("SET enable_seqscan = off");
        const plan = await client.query(`EXPLAIN ${inboxSql(tablesOf(schema))}`, [
          ["user:fiona", "role:finance"],
          ["open"],
          0,
          "",
          51,
        ]);
        expect(plan.rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n")).toMatch(
          /Index Only Scan using task_assignees_inbox/,
        );
      } finally {
        await client.end();
      }
    });
  });

  describe("concurrent commits", () => {
    it("runs created at once with one id or one idempotency key are created once", async () => {
      const schema = freshSchema();
      const stores = [await storeOn({ schema }), await storeOn({ schema }), await storeOn({ schema })];
      const create = (store: PostgresStore, runId: string, idempotencyKey?: string) =>
        store.createRun({
          state: runState(runId),
          event: { type: "run.started", runId, input: {}, initiator: "user:alice" },
          commands: [auditCommand("run.started"), runHandler(`job-${runId}`)],
          at: at(0),
          ...(idempotencyKey ? { idempotencyKey } : {}),
        });
      const sameId = await Promise.all(
        Array.from({ length: 9 }, (_, i) => create(stores[i % 3]!, "run-same")),
      );
      expect(sameId.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(sameId.map((r) => r.runId))).toEqual(new Set(["run-same"]));
      const sameKey = await Promise.all(
        Array.from({ length: 9 }, (_, i) => create(stores[i % 3]!, `run-key-${i}`, "K-1")),
      );
      const winner = sameKey.find((r) => r.created)?.runId;
      expect(sameKey.filter((r) => r.created)).toHaveLength(1);
      expect(sameKey.every((r) => r.runId === winner)).toBe(true);
      expect(await stores[0]!.auditTrail("run-same")).toHaveLength(1);
      expect((await stores[0]!.leaseJobs("w", 100, at(1), at(31))).map((j) => j.jobId).sort()).toEqual(
        [`job-${winner}`, "job-run-same"].sort(),
      );
    });

    it("batches committing to the same runs at once neither deadlock nor double-apply", async () => {
      const schema = freshSchema();
      const [a, b] = [await storeOn({ schema }), await storeOn({ schema })];
      const states = [];
      for (let i = 0; i < 6; i += 1) states.push(await startRun(a, `run-${i}`));
      const batchOf = (order: readonly RunState[]) =>
        order.map((state) => ({
          kind: "commit" as const,
          runId: state.runId,
          expectedSeq: 1,
          state: nextState(state),
          event: { type: "timer.fired" as const, timerId: "t" },
          commands: [auditCommand("step")],
          at: at(5),
        }));
      const results = await Promise.all([
        a.commitBatch(batchOf(states)),
        b.commitBatch(batchOf([...states].reverse())),
        a.commitBatch(batchOf([states[3]!, states[0]!, states[5]!])),
      ]);
      const wins = new Map<string, number>();
      for (const r of results.flat()) if (r.ok) wins.set(r.runId, (wins.get(r.runId) ?? 0) + 1);
      expect([...wins.values()]).toEqual([1, 1, 1, 1, 1, 1]);
      for (const state of states) expect(await a.auditTrail(state.runId)).toHaveLength(1);
    });
  });

  describe("round trips", () => {
    it("a batch of many transitions is BEGIN, one locking read, one write, COMMIT", async () => {
      const schema = freshSchema();
      const store = await storeOn({ schema });
      const states = [];
      for (let i = 0; i < 10; i += 1)
        states.push(await startRun(store, `run-${i}`, [runHandler(`job-${i}`)]));
      const jobs = await store.leaseJobs("w1", 10, at(1), at(31));
      const statements: string[] = [];
      let counting = false;
      const wrapped = new WeakSet<pg.PoolClient>();
      const count = (client: pg.PoolClient) => {
        if (wrapped.has(client)) return;
        wrapped.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: unknown }).query = (...args: unknown[]) => {
          const first = args[0];
          if (counting)
            statements.push(typeof first === "string" ? first : ((first as { name?: string }).name ?? "?"));
          return query(...args);
        };
      };
      store._internals.pool.on("acquire", count);
      counting = true;
      const results = await store.commitBatch(
        states.map((state, i) => ({
          kind: "commit" as const,
          runId: state.runId,
          expectedSeq: 1,
          state: nextState(state),
          event: { type: "timer.fired" as const, timerId: "t" },
          commands: [auditCommand("step.succeeded"), runHandler(`job-next-${i}`)],
          at: at(5),
          job: { jobId: jobs.find((j) => j.runId === state.runId)!.jobId, lease: 1 },
          claimJobs: { workerId: "w1", until: at(60) },
        })),
      );
      counting = false;
      expect(results.every((r) => r.ok)).toBe(true);
      expect(statements).toEqual(["BEGIN", "charter_lock_batch", "charter_write_batch", "COMMIT"]);

      statements.length = 0;
      counting = true;
      await store.commitBatch(
        Array.from({ length: 10 }, (_, i) => ({
          kind: "create" as const,
          state: runState(`new-${i}`),
          event: { type: "run.started" as const, runId: `new-${i}`, input: {}, initiator: "user:alice" },
          commands: [auditCommand("run.started"), runHandler(`job-new-${i}`)],
          at: at(0),
        })),
      );
      counting = false;
      store._internals.pool.off("acquire", count);
      expect(statements).toEqual(["charter_write_batch"]);
    });
  });

  describe("retries", () => {
    const terminate = (app: string) =>
      admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [
        app,
      ]);

    it("operations succeed after the store's connections were terminated, without a new store", async () => {
      const app = `${APP}-kill-${randomBytes(2).toString("hex")}`;
      const store = await storeOn({ schema: freshSchema(), applicationName: app, poolSize: 3 });
      let state = await startRun(store, "run-1", [runHandler("job-1")]);
      for (let round = 0; round < 4; round += 1) {
        await terminate(app);
        expect(await commitOn(store, state, [auditCommand(`round ${round}`)])).toBe(true);
        state = nextState(state);
        await terminate(app);
        expect((await store.getRun("run-1"))?.state.seq).toBe(state.seq);
        await terminate(app);
        expect(await store.leaseJobs(`w${round}`, 1, at(100 * round + 1), at(100 * round + 31))).toHaveLength(
          1,
        );
      }
      // Several clients in the pool at once, all killed while idle.
      await Promise.all([1, 2, 3].map(() => store.getRun("run-1")));
      await terminate(app);
      const reads = await Promise.all([1, 2, 3].map(() => store.history("run-1")));
      expect(reads.map((h) => h.length)).toEqual([5, 5, 5]);
    });

    it("a COMMIT whose reply was lost is found applied, not applied twice", async () => {
      const store = await storeOn({ schema: freshSchema() });
      const state = await startRun(store, "run-1", [auditCommand("run.started")]);
      const lose = () => {
        store._internals.connections.afterCommit = undefined;
        throw Object.assign(new Error("Connection terminated unexpectedly"), {});
      };
      store._internals.connections.afterCommit = lose;
      expect(await commitOn(store, state, [auditCommand("once"), runHandler("job-1")])).toBe(true);
      expect(await store.history("run-1")).toHaveLength(2);
      expect((await store.auditTrail("run-1")).map((r) => r.action)).toEqual(["run.started", "once"]);
      store._internals.connections.afterCommit = lose;
      expect(
        await store.createRun({
          state: runState("run-2"),
          event: { type: "run.started", runId: "run-2", input: {}, initiator: "user:alice" },
          commands: [],
          at: at(0),
        }),
      ).toEqual({ runId: "run-2", created: true });
      store._internals.connections.afterCommit = lose;
      await store.appendAudit("run-1", [auditCommand("refused")]);
      expect((await store.auditTrail("run-1")).map((r) => r.action)).toEqual([
        "run.started",
        "once",
        "refused",
      ]);
    });
  });

  describe("notices", () => {
    async function listen(store: PostgresStore): Promise<StoreNotice[]> {
      const notices: StoreNotice[] = [];
      store.onNotice((notice) => notices.push(notice));
      await store._internals.notices.listening();
      notices.length = 0;
      return notices;
    }
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(check()).toBe(true);
    };

    it("another store on the database hears of new work and of ended runs", async () => {
      const schema = freshSchema();
      const [writer, reader] = [await storeOn({ schema }), await storeOn({ schema })];
      const notices = await listen(reader);
      const state = await startRun(writer, "run-1", [runHandler("job-1")]);
      await until(() => notices.length > 0);
      expect(notices).toEqual([{ kind: "work" }]);
      // A claimed job is no news; an ended run is.
      await writer.commitTransition({
        runId: "run-1",
        expectedSeq: 1,
        state: nextState(state),
        event: { type: "timer.fired", timerId: "t" },
        commands: [runHandler("job-2")],
        at: at(1),
        claimJobs: { workerId: "w1", until: at(31) },
      });
      await commitOn(writer, nextState(state), [], { status: "completed", endedAt: at(3) });
      await until(() => notices.length > 1);
      expect(notices).toEqual([{ kind: "work" }, { kind: "run-ended", runId: "run-1" }]);
      // A store in another schema hears nothing of this one.
      const elsewhere = await listen(await storeOn({ schema: freshSchema() }));
      // A timer due later than a poll interval is no news (every idle worker looks that often);
      // one due now is. Notices arrive in commit order, so an extra "work" would show.
      await startRun(writer, "run-3", [command("start-timer", { timerId: "tmr-far", fireAt: at(60) })]);
      const two = await startRun(writer, "run-2", [
        command("start-timer", { timerId: "tmr-1", fireAt: at(0) }),
      ]);
      await commitOn(writer, two, [], { status: "completed", endedAt: at(3) });
      await until(() => notices.length > 3);
      expect(notices.slice(2)).toEqual([{ kind: "work" }, { kind: "run-ended", runId: "run-2" }]);
      expect(elsewhere).toEqual([]);
    });

    it("the listener reconnects after its connection is killed, and says it listens again", async () => {
      const schema = freshSchema();
      const app = `${APP}-listen-${randomBytes(2).toString("hex")}`;
      const writer = await storeOn({ schema });
      const reader = await storeOn({ schema, applicationName: app });
      const notices = await listen(reader);
      const stop = reader.onNotice(() => {});
      stop();
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
        [`${app}:listen`],
      );
      await until(() => notices.length > 0);
      expect(notices).toEqual([{ kind: "listening" }]);
      await reader._internals.notices.listening();
      const state = await startRun(writer, "run-1");
      await commitOn(writer, state, [], { status: "cancelled", endedAt: at(2) });
      await until(() => notices.length > 1);
      expect(notices[1]).toEqual({ kind: "run-ended", runId: "run-1" });
    });
  });
});

function openTaskFields(taskId: string) {
  return {
    taskId,
    instance: `root/approve#${taskId}`,
    stepId: "approve",
    kind: "approval" as const,
    title: `Approve ${taskId}`,
    assignees: ["user:fiona"],
    excluded: [],
    outcomes: ["approved"],
    requireReason: false,
    dueAt: at(86_400),
    shows: {},
  };
}
