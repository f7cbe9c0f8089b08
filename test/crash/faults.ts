/**
 * Connection faults on PostgreSQL while the crash test runs: every so often, either terminate every
 * backend connected to the test database (`pg_terminate_backend`, all but the injector's own), or
 * restart the whole server (`pg_ctlcluster ... restart`). Workers, the harness and the LISTEN
 * connections all lose their connections and must reconnect on their own.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";
import { persist } from "./targets.js";

export interface FaultOptions {
  /** Terminate every connection to the database about this often (ms; each wait is 0.67 to 1.33 times it). */
  readonly terminateEveryMs?: number;
  /** Restart the PostgreSQL server about this often (ms, jittered the same way). */
  readonly restartEveryMs?: number;
}

const run = promisify(execFile);

export class FaultInjector {
  /** Faults injected: termination rounds and restarts. */
  faults = 0;
  /** Backends terminated, over all rounds. */
  connectionsTerminated = 0;
  /** Milliseconds the restarts took, in all. */
  restartMs = 0;
  readonly problems: string[] = [];
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly options: FaultOptions,
    private readonly random: () => number,
    private readonly log: (line: string) => void,
  ) {}

  get enabled(): boolean {
    return (this.options.terminateEveryMs ?? 0) > 0 || (this.options.restartEveryMs ?? 0) > 0;
  }

  start(): void {
    if (!this.enabled || this.loop) return;
    this.loop = this.run();
  }

  /** Stops injecting; resolves once the last fault is over (a restart has finished). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { terminateEveryMs = 0, restartEveryMs = 0 } = this.options;
    let nextTerminate = terminateEveryMs > 0 ? Date.now() + this.jitter(terminateEveryMs) : Infinity;
    let nextRestart = restartEveryMs > 0 ? Date.now() + this.jitter(restartEveryMs) : Infinity;
    while (!this.stopped) {
      await this.sleep(Math.min(nextTerminate, nextRestart) - Date.now());
      if (this.stopped) return;
      try {
        if (nextRestart <= nextTerminate) {
          await this.restart();
          nextRestart = Date.now() + this.jitter(restartEveryMs);
        } else {
          await this.terminate();
          nextTerminate = Date.now() + this.jitter(terminateEveryMs);
        }
      } catch (error) {
        this.problems.push(`fault injection failed: ${(error as Error).message}`);
        return;
      }
    }
  }

  /** Terminates every backend of the database but this one; returns how many. */
  async terminate(): Promise<number> {
    const terminated = await persist(async () => {
      const admin = new pg.Client({
        connectionString: this.databaseUrl,
        application_name: "charter-crash-faults",
      });
      admin.on("error", () => {});
      await admin.connect();
      try {
        const result = await admin.query<{ n: string }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        return Number(result.rows[0]!.n);
      } finally {
        await admin.end().catch(() => {});
      }
    });
    this.faults++;
    this.connectionsTerminated += terminated;
    this.log(`fault ${this.faults}: terminated ${terminated} connections`);
    return terminated;
  }

  /** Restarts the local PostgreSQL cluster (waits until it accepts connections again). */
  async restart(): Promise<void> {
    const began = Date.now();
    const [version] = readdirSync("/etc/postgresql");
    if (version === undefined) throw new Error("no cluster in /etc/postgresql");
    await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], {
      timeout: 60_000,
    });
    const took = Date.now() - began;
    this.faults++;
    this.restartMs += took;
    this.log(`fault ${this.faults}: restarted PostgreSQL ${version} (${took} ms)`);
  }

  private jitter(ms: number): number {
    return ms * (2 / 3 + (this.random() * 2) / 3);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
