/**
 * `npm run bench`: the lint benchmark (bench/lint.ts, in a process of its own; RUNS=N and --rules
 * apply to it), then the engine benchmarks (bench/engine/). Flags: see bench/engine/options.ts.
 *
 *   npm run bench -- --only engine --store sqlite --rounds 1
 *   npm run bench -- --store postgres --workers 1,4 --workloads W1,W4
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runEngineBench } from "./engine/main.js";
import { parseOptions, USAGE } from "./engine/options.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(USAGE);
  process.exit(2);
}

let failed = false;
if (options.only !== "engine") {
  const lint = spawnSync(process.execPath, ["--import", "tsx", "bench/lint.ts", ...options.lintArgs], {
    cwd: ROOT,
    stdio: "inherit",
  });
  failed ||= lint.status !== 0;
}
if (options.only !== "lint") {
  const engine = await runEngineBench(options);
  failed ||= engine.failed;
}
process.exit(failed ? 1 : 0);
