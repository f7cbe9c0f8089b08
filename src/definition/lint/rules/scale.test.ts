import { describe, expect, it } from "vitest";
import { findings } from "../../../../test/helpers/step-yaml.js";

const ITEMS = `input:
  schema: { type: object, properties: { requestId: { type: string }, items: { type: array } } }
  on_invalid: reject`;

const fanOut = (parallel: string) => `${ITEMS}
start: all
steps:
  all: { kind: parallel, owner: team:operations, ${parallel}, next: done }
  one: { kind: action, owner: team:operations, handler: ops.one, timeout: 30s, on_error: { default: exception } }
  done: { kind: end, outcome: done }`;

describe("scale/for-each-concurrency", () => {
  const rule = "scale/for-each-concurrency";

  it("reports a for_each with no concurrency at the for_each key", () => {
    const found = findings(rule, fanOut("for_each: input.items, branch: [one]"));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "all", "for_each"],
        'parallel "all" runs for_each with no concurrency bound; add concurrency: <number> (what the systems its branch calls can take) so that a large list does not start every branch at once',
      ],
    ]);
  });

  it("accepts a bounded for_each, and fixed branches, which need no bound", () => {
    expect(findings(rule, fanOut("for_each: input.items, concurrency: 5, branch: [one]"))).toEqual([]);
    expect(findings(rule, fanOut("branches: [[one]]"))).toEqual([]);
  });
});

const checkWith = (fields: string) =>
  `start: check\nsteps:\n  check: { kind: action, owner: team:operations, handler: ops.run, timeout: 30s, on_error: { default: exception }, ${fields}next: done }\n  done: { kind: end, outcome: done }`;

describe("scale/idempotency", () => {
  const rule = "scale/idempotency";

  it("reports an irreversible action with no idempotency key at the step's key", () => {
    const found = findings(rule, checkWith("irreversible: true, "));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "check"],
        'irreversible action "check" has no idempotency key; add idempotency: <expression> (e.g. "input.requestId") so that a handler called twice performs its effect once',
      ],
    ]);
  });

  it("accepts an irreversible action with a key, and a reversible one without", () => {
    expect(findings(rule, checkWith("irreversible: true, idempotency: input.requestId, "))).toEqual([]);
    expect(findings(rule, checkWith(""))).toEqual([]);
  });
});

describe("scale/retry-unbounded", () => {
  const rule = "scale/retry-unbounded";
  const retry = (policy: string) => findings(rule, checkWith(`retry: ${policy}, `));

  it("warns when uncapped exponential backoff waits more than a day before the last attempt", () => {
    // 1s * 2^17 = 36h24m32s before attempt 19.
    const found = retry("{ max_attempts: 19, initial: 1s }");
    expect(found.map((d) => [d.severity, d.path, d.message])).toEqual([
      [
        "warning",
        ["steps", "check", "retry"],
        'retry of action "check" has exponential backoff with no max_delay, so it waits 1d12h24m32s before attempt 19; add max_delay (e.g. max_delay: 1h) or lower max_attempts',
      ],
    ]);
  });

  it("accepts a schedule whose longest wait is under a day", () => {
    // 1s * 2^16 = 18h12m16s before attempt 18.
    expect(retry("{ max_attempts: 18, initial: 1s }")).toEqual([]);
  });

  it("uses the factor, and says 'more than a year' rather than print an absurd duration", () => {
    expect(retry("{ max_attempts: 5, initial: 1h, factor: 3 }")).toHaveLength(1);
    expect(retry("{ max_attempts: 1000, initial: 1s }")[0]!.message).toContain(
      "waits more than a year before attempt 1000",
    );
  });

  it("accepts capped or fixed backoff", () => {
    expect(retry("{ max_attempts: 100, initial: 1s, max_delay: 1h }")).toEqual([]);
    expect(retry("{ max_attempts: 100, backoff: fixed, initial: 1h }")).toEqual([]);
  });
});
