/**
 * How long reading and linting take on large charters: `npm run bench`. Prints a table of the
 * median of several runs per phase (parse + validate, lint rules), after a warm-up, and the wall time
 * of the whole `charter lint` command (a cold Node process) when the CLI has been built.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { lintCharter } from "../src/definition/lint/lint.js";
import { ALL_RULES } from "../src/definition/lint/rules/index.js";
import { loadCharter } from "../src/definition/load.js";
import { largeCharterYaml } from "../test/helpers/large-charter.js";

const RUNS = Number(process.env.RUNS ?? 7);
const sizes = [100, 1_000, 5_000];
const perRule = process.argv.includes("--rules");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

const rows: string[][] = [];
for (const size of sizes) {
  const text = largeCharterYaml(size);
  loadCharter(text, "warm-up.yaml"); // warm-up: JIT and lazy module state
  const load: number[] = [];
  const lint: number[] = [];
  let steps = 0;
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const [loaded, loadMs] = time(() => loadCharter(text, "large.yaml"));
    const [found, lintMs] = time(() => lintCharter(loaded.charter!));
    steps = Object.keys(loaded.charter!.steps).length;
    findings = found.length;
    load.push(loadMs);
    lint.push(lintMs);
  }
  rows.push([
    String(steps),
    `${(text.length / 1024).toFixed(0)} kB`,
    median(load).toFixed(1),
    median(lint).toFixed(1),
    (median(load) + median(lint)).toFixed(1),
    String(findings),
  ]);
}

console.log(`lint benchmark, median of ${RUNS} runs (Node ${process.version})\n`);
console.log("| steps | size | parse + validate ms | lint rules ms | total ms | findings |");
console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);

const bin = path.resolve("bin/charter.js");
if (existsSync(path.resolve("dist/cli/main.js"))) {
  const dir = mkdtempSync(path.join(tmpdir(), "charter-bench-"));
  console.log("\n| `charter lint` (cold process) | wall ms |\n| --- | ---: |");
  const files: [string, string][] = [
    ["the minimal charter (2 steps)", path.resolve("test/fixtures/charters/minimal.yaml")],
  ];
  for (const size of sizes) {
    const file = path.join(dir, `charter-${size}.yaml`);
    writeFileSync(file, largeCharterYaml(size));
    files.push([`${size.toLocaleString("en")} steps`, file]);
  }
  for (const [label, file] of files) {
    const times = Array.from({ length: RUNS }, () => {
      const start = performance.now();
      const run = spawnSync(process.execPath, [bin, "lint", file], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`charter lint failed: ${run.stdout}${run.stderr}`);
      return performance.now() - start;
    });
    console.log(`| ${label} | ${median(times).toFixed(0)} |`);
  }
} else {
  console.log("\n(run `npm run build` first to time the `charter lint` command too)");
}

if (perRule) {
  const loaded = loadCharter(largeCharterYaml(5_000), "large.yaml");
  // Each figure includes the graph and expression index every lint builds once (about 18 ms here).
  console.log("\n| rule alone (5,000 steps) | ms |\n| --- | ---: |");
  const costs = ALL_RULES.map(
    (rule) =>
      [
        rule.id,
        median(Array.from({ length: RUNS }, () => time(() => lintCharter(loaded.charter!, {}, [rule]))[1])),
      ] as const,
  );
  for (const [id, ms] of [...costs].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`| ${id} | ${ms.toFixed(1)} |`);
}
