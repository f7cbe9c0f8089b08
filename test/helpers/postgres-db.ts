/**
 * A fresh PostgreSQL database per test file: `createTestDatabase("crash")` creates
 * `charter_crash_<random>` on the test server (CHARTER_TEST_POSTGRES, default the local trust-auth
 * server), and `drop()` ends every connection still open to it and drops it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { quoteIdentifier } from "../../src/store/postgres/identifiers.js";

/** The server tests use: a URL with no database. */
export const TEST_POSTGRES_SERVER = (
  process.env.CHARTER_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432"
).replace(/\/+$/, "");

export interface TestDatabase {
  readonly name: string;
  /** The database's connection URL (add `?schema=NAME` for a store spec). */
  readonly url: string;
  /** Ends the connections left to it and drops it; calling it again does nothing. */
  drop(): Promise<void>;
}

/** The URL of a database on the test server. */
export function testDatabaseUrl(database: string): string {
  return `${TEST_POSTGRES_SERVER}/${encodeURIComponent(database)}`;
}

export interface TestDatabaseOptions {
  /** The database to clone (`CREATE DATABASE ... TEMPLATE`); the server's default (template1) if unset. */
  readonly template?: string;
}

/**
 * Creates `charter_<prefix>_<8 random hex>`, connected to as the server's `postgres` database's
 * admin. The prefix is lowercased and anything but letters, digits and `_` becomes `_`.
 */
export async function createTestDatabase(
  prefix: string,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 30);
  const name = `charter_${clean}_${randomBytes(4).toString("hex")}`;
  const template = options.template === undefined ? "" : ` TEMPLATE ${quoteIdentifier(options.template)}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${quoteIdentifier(name)}${template}`));
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: testDatabaseUrl(name),
    drop: () => {
      dropped ??= withAdmin(async (admin) => {
        await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
        // FORCE ends what connected in between (a worker still reconnecting).
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      });
      return dropped;
    },
  };
}

/** `fn` with a client of the server's `postgres` database (for CREATE, ALTER and DROP DATABASE). */
export async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({
    connectionString: testDatabaseUrl("postgres"),
    application_name: "charter-test-admin",
  });
  admin.on("error", () => {});
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end().catch(() => {});
  }
}
