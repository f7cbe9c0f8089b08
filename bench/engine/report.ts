/** Tables (the peers' columns) and the medians over rounds. */
import type { Configuration, RoundResult } from "./runner.js";
import { isError } from "./runner.js";
import { median } from "./stats.js";
import type { W5Result } from "./w5.js";

export interface Medians {
  readonly w1_runs_per_s: number;
  readonly w1_steps_per_s: number;
  readonly w2_p50_ms: number;
  readonly w2_p99_ms: number;
  readonly w3_ms: number;
  readonly w4_healthy_runs_per_s: number;
  readonly w4_ratio_to_w1: number;
}

function values<T>(rounds: readonly RoundResult[], pick: (r: RoundResult) => T | undefined): T[] {
  return rounds.map(pick).filter((v): v is T => v !== undefined);
}

export function mediansOf(rounds: readonly RoundResult[]): Medians {
  const m = (pick: (r: RoundResult) => number | null | undefined) =>
    median(values(rounds, (r) => pick(r) ?? undefined));
  const ok = <O>(o: O | undefined): Exclude<O, { readonly error: string }> | undefined =>
    o === undefined || isError(o) ? undefined : (o as Exclude<O, { readonly error: string }>);
  return {
    w1_runs_per_s: m((r) => ok(r.W1)?.wf_per_s),
    w1_steps_per_s: m((r) => ok(r.W1)?.steps_per_s),
    w2_p50_ms: m((r) => ok(r.W2)?.p50_ms),
    w2_p99_ms: m((r) => ok(r.W2)?.p99_ms),
    w3_ms: m((r) => ok(r.W3)?.wall_ms),
    w4_healthy_runs_per_s: m((r) => ok(r.W4)?.healthy_wf_per_s),
    w4_ratio_to_w1: m((r) => ok(r.W4)?.ratio_to_w1),
  };
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "-");
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
const ratio = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "-");
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

const HEADER =
  "| W1 runs/s | W1 steps/s | W2 p50 / p99 ms | W3 ms | W4 healthy runs/s | W4 healthy / W1 |\n" +
  "| ---: | ---: | ---: | ---: | ---: | ---: |";

function cells(m: Medians): string {
  return `${int(m.w1_runs_per_s)} | ${int(m.w1_steps_per_s)} | ${ms(m.w2_p50_ms)} / ${ms(m.w2_p99_ms)} | ${int(m.w3_ms)} | ${int(m.w4_healthy_runs_per_s)} | ${ratio(m.w4_ratio_to_w1)}`;
}

/** One configuration: a row per round, then the medians. */
export function configurationTable(configuration: Configuration, rounds: readonly RoundResult[]): string {
  const lines = [
    `${configuration.label}`,
    "",
    `| round ${HEADER.split("\n")[0]}`,
    `| ---: ${HEADER.split("\n")[1]}`,
  ];
  for (const round of rounds) lines.push(`| ${round.round} | ${cells(mediansOf([round]))} |`);
  if (rounds.length > 1) lines.push(`| **median** | ${cells(mediansOf(rounds))} |`);
  const errors = rounds.flatMap((r) => [
    ...(r.error === undefined ? [] : [`round ${r.round}: ${r.error}`]),
    ...(["W1", "W2", "W3", "W4"] as const).flatMap((w) => {
      const o = r[w];
      return isError(o) ? [`round ${r.round} ${w}: ${o.error}`] : [];
    }),
  ]);
  if (errors.length > 0) lines.push("", ...errors.map((e) => `  ! ${e}`));
  return lines.join("\n");
}

/** Every configuration's medians, in the peers' README layout. */
export function summaryTable(
  rows: readonly { configuration: Configuration; rounds: readonly RoundResult[] }[],
): string {
  const lines = [
    `| engine | store | workers ${HEADER.split("\n")[0]}`,
    `| --- | --- | ---: ${HEADER.split("\n")[1]}`,
  ];
  for (const { configuration, rounds } of rows)
    lines.push(
      `| Charter | ${configuration.store === "sqlite" ? "SQLite (FULL)" : "PostgreSQL"} | ${configuration.workers === 1 ? "1 (in process)" : `${configuration.workers} (1 in process + ${configuration.workers - 1})`} | ${cells(mediansOf(rounds))} |`,
    );
  return lines.join("\n");
}

export function w5Table(results: readonly { store: string; result: W5Result }[]): string {
  const lines = [
    "| store | parked runs | start runs/s | store size MB | bytes / run | worker RSS idle → parked MB | heap idle → parked MB | inbox first page ms | inbox deep page ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const { store, result: r } of results) {
    const size =
      store === "sqlite"
        ? `${mb(r.size_parked.total ?? 0)} (file ${mb(r.size_parked.file ?? 0)} + WAL ${mb(r.size_parked.wal ?? 0)})`
        : `${mb(r.size_parked.total ?? 0)} (database ${mb(r.size_parked.database ?? 0)})`;
    lines.push(
      `| ${store === "sqlite" ? "SQLite (FULL)" : "PostgreSQL"} | ${int(r.n)} | ${int(r.create_runs_per_s)} | ${size} | ${int(r.bytes_per_run)} | ${mb(r.memory_idle.rss)} → ${mb(r.memory_parked.rss)} | ${mb(r.memory_idle.heapUsed)} → ${mb(r.memory_parked.heapUsed)} | ${ms(r.inbox_first_page_ms)} | ${ms(r.inbox_deep_page_ms)} |`,
    );
  }
  return lines.join("\n");
}
