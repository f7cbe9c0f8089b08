/**
 * Each store's module is loaded only when that store is used: an embedded (SQLite) user never loads
 * `pg`. Checked in a fresh process, since this test process may have loaded it already.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/helpers/postgres-db.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "charter-open-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the store in a new process, and returns the pg and better-sqlite3 modules it loaded. */
function loadedBy(spec: string): { pg: boolean; sqlite: boolean } {
  const script = `
    const { createRequire } = await import("node:module");
    await import("./src/index.ts");
    const { openStore } = await import("./src/store/open.ts");
    const { parseStoreSpec } = await import("./src/config/store-spec.ts");
    const store = await openStore(parseStoreSpec(${JSON.stringify(spec)}, process.cwd(), "test"));
    await store.close();
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      pg: loaded.some((file) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(file)),
      sqlite: loaded.some((file) => /[\\\\/]node_modules[\\\\/]better-sqlite3[\\\\/]/.test(file)),
    }));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!) as { pg: boolean; sqlite: boolean };
}

describe("opening a store", () => {
  it("loads better-sqlite3 and never pg for a SQLite store", () => {
    expect(loadedBy(`sqlite:${path.join(dir, "c.db")}`)).toEqual({ pg: false, sqlite: true });
  });

  it("loads pg for a PostgreSQL store (so the check above can fail)", async () => {
    const database = await createTestDatabase("open");
    try {
      expect(loadedBy(`${database.url}?schema=open`).pg).toBe(true);
    } finally {
      await database.drop();
    }
  });
});
