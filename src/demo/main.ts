/**
 * `npm start`: the demo with no set-up. It starts from a fresh demo store (the project config's, or
 * CHARTER_STORE's, so the CLI finds it afterwards with no flags), deploys the example charters,
 * plays the sample runs on simulated systems, and prints what happened, who each task waits for,
 * and the exact commands to go on from there.
 */
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { displayPath, loadProjectConfig } from "../config/find-config.js";
import { parseStoreSpec } from "../config/store-spec.js";
import { formatReport } from "./report.js";
import { runDemo } from "./run-demo.js";

/** The repository: this file is dist/demo/main.js (or src/demo/main.ts under tsx). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function main(): Promise<number> {
  const project = await loadProjectConfig({ cwd: root, file: path.join(root, "charter.config.json") });
  const fromEnv = process.env.CHARTER_STORE;
  const store =
    fromEnv !== undefined && fromEnv !== ""
      ? parseStoreSpec(fromEnv, process.cwd(), "CHARTER_STORE")
      : project.store;
  // The demo deletes and recreates its store file: it plays on the embedded store only.
  if (store.kind !== "sqlite") {
    process.stderr.write(
      "charter demo: the demo runs on the embedded SQLite store; unset CHARTER_STORE or set it to sqlite:PATH\n",
    );
    return 2;
  }
  const storeFile = displayPath(store.path, root);

  const removed = [store.path, `${store.path}-wal`, `${store.path}-shm`, `${store.path}-journal`].filter(
    (f) => existsSync(f),
  );
  for (const file of removed) rmSync(file);
  process.stdout.write(
    removed.length > 0
      ? `Starting afresh: deleted the demo store ${storeFile} (and its -wal/-shm files).\n`
      : `Starting with a new demo store: ${storeFile}.\n`,
  );

  const outcome = await runDemo({ root, project, storePath: store.path });
  const report = formatReport(outcome, {
    storeFile,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  });
  process.stdout.write(report.text);
  return report.problems.length > 0 ? 1 : 0;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
