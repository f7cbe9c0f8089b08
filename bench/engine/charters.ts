/**
 * The benchmark's charters, as YAML (deploy lints them like any other charter). Every action step
 * calls `bench.inc` (x => x + 1), so a three-step run started with `i` ends with `i + 3`.
 */
import { loadCharter } from "../../src/definition/load.js";
import type { Charter } from "../../src/definition/schema.js";

export const WORKFLOWS = {
  three: "bench-three-steps",
  failing: "bench-failing",
  fanOut: "bench-fan-out",
  approval: "bench-approval",
} as const;

/** W1, W2, W4 (healthy): three sequential action steps, each given the previous step's output. */
const THREE_STEPS = `
charter: 1
workflow: ${WORKFLOWS.three}
title: Benchmark, three sequential steps
owner: team:bench
triggers: [{ manual: {} }]
input: { schema: { type: integer }, on_invalid: reject }
success: { outcomes: [done] }
start: s1
steps:
  s1:
    kind: action
    owner: team:bench
    handler: bench.inc
    timeout: 30s
    on_error: { default: exception }
    next: s2
  s2:
    kind: action
    owner: team:bench
    handler: bench.inc
    input: "steps.s1.output"
    timeout: 30s
    on_error: { default: exception }
    next: s3
  s3:
    kind: action
    owner: team:bench
    handler: bench.inc
    input: "steps.s2.output"
    timeout: 30s
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`;

/**
 * W4 (failing): the second step always fails; 3 attempts in all, the first retry after 1 s, factor
 * 2 (so it gives up after about 3 s, like the peers), then the run ends unsuccessfully at "failed"
 * (the peers' workflows end in an error; a run left in the exception queue would never end).
 */
const FAILING = `
charter: 1
workflow: ${WORKFLOWS.failing}
title: Benchmark, a second step that always fails
owner: team:bench
triggers: [{ manual: {} }]
input: { schema: { type: integer }, on_invalid: reject }
success: { outcomes: [done] }
start: s1
steps:
  s1:
    kind: action
    owner: team:bench
    handler: bench.inc
    timeout: 30s
    on_error: { default: exception }
    next: s2
  s2:
    kind: action
    owner: team:bench
    handler: bench.fail
    input: "steps.s1.output"
    timeout: 30s
    retry: { max_attempts: 3, backoff: exponential, initial: 1s, factor: 2 }
    on_error: { default: failed }
    next: s3
  s3:
    kind: action
    owner: team:bench
    handler: bench.inc
    input: "steps.s2.output"
    timeout: 30s
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
  failed: { kind: end, outcome: failed, success: false }
`;

/**
 * W3: one run, \`for_each\` over 0..n-1 (each item's step returns item + 1), joined. The bound of
 * 500 (the linter asks for one) lets all 500 items run at once, as the peers' fan-outs do.
 */
const FAN_OUT = `
charter: 1
workflow: ${WORKFLOWS.fanOut}
title: Benchmark, fan-out and join
owner: team:bench
triggers: [{ manual: {} }]
input: { schema: { type: integer, minimum: 1 }, on_invalid: reject }
success: { outcomes: [done] }
start: fan
steps:
  fan:
    kind: parallel
    owner: team:bench
    for_each: "[0..(input - 1)]"
    branch: [child]
    concurrency: 500
    on_error: { default: exception }
    next: done
  child:
    kind: action
    owner: team:bench
    handler: bench.inc
    input: "item"
    timeout: 30s
    on_error: { default: exception }
  done: { kind: end, outcome: done }
`;

/** Users the W5 approvals are spread over: run i waits in the inbox of user:u<i mod W5_USERS>. */
export const W5_USERS = 10;

/** W5: a run parks at once at an approval (a task, its due and expiry timers), and waits. */
const APPROVAL = `
charter: 1
workflow: ${WORKFLOWS.approval}
title: Benchmark, a run waiting for an approval
owner: team:bench
triggers: [{ manual: {} }]
input: { schema: { type: integer }, on_invalid: reject }
success: { outcomes: [approved, rejected] }
start: approve
steps:
  approve:
    kind: approval
    owner: team:bench
    assignee: "'user:u' & $string(input % ${W5_USERS})"
    shows: [input]
    due: 30d
    expire: { after: 60d, goto: expired }
    outcomes: { approved: approved, rejected: rejected }
  approved: { kind: end, outcome: approved }
  rejected: { kind: end, outcome: rejected }
  expired: { kind: end, outcome: expired, success: false }
`;

export interface BenchCharter {
  readonly charter: Charter;
  readonly source: string;
}

function charterOf(text: string, file: string): BenchCharter {
  const loaded = loadCharter(text, file);
  if (!loaded.charter)
    throw new Error(
      `${file} does not load:\n${loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n")}`,
    );
  return { charter: loaded.charter, source: text };
}

export function benchCharters(): BenchCharter[] {
  return [
    charterOf(THREE_STEPS, `${WORKFLOWS.three}.yaml`),
    charterOf(FAILING, `${WORKFLOWS.failing}.yaml`),
    charterOf(FAN_OUT, `${WORKFLOWS.fanOut}.yaml`),
    charterOf(APPROVAL, `${WORKFLOWS.approval}.yaml`),
  ];
}
