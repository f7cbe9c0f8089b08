/**
 * scale: the workflow survives volume and retries. Fan-out is bounded, side effects that cannot be
 * undone are idempotent (handlers run at least once), and retry delays stay within reason.
 */
import { formatDuration, parseDuration } from "../../duration.js";
import type { Rule } from "../rule.js";
import { stepsOfKind } from "../../steps.js";

/** Longest wait between two attempts that an exponential policy may reach without a max_delay. */
export const LONGEST_UNCAPPED_DELAY_MS = 86_400_000;
const DEFAULT_FACTOR = 2;

const ITEMS_INPUT = `
input:
  schema:
    type: object
    required: [requestId, items]
    properties:
      requestId: { type: string }
      items: { type: array, items: { type: object } }
  on_invalid: reject`;

/** A for_each over the input's items, bounded by `concurrency` when it is given. */
const checkEachItem = (concurrency: number | undefined) => `${ITEMS_INPUT}
start: check-all
steps:
  check-all:
    kind: parallel
    owner: team:operations
    for_each: input.items${concurrency === undefined ? "" : `\n    concurrency: ${concurrency}`}
    branch: [check-item]
    next: done
  check-item:
    kind: action
    owner: team:operations
    handler: requests.checkItem
    input: item
    timeout: 30s
    on_error: { default: exception }
  done: { kind: end, outcome: done }
`;

/** A decision that lets small amounts through to an irreversible payment, keyed by `idempotency` if given. */
const routeToPayment = (idempotency: string | undefined) => `
start: route
steps:
  route:
    kind: decision
    owner: team:finance-controls
    rules:
      - when: "input.amount <= 100"
        goto: pay
    default: refused
  pay:
    kind: action
    owner: team:treasury
    handler: bank.pay
    irreversible: true${idempotency === undefined ? "" : `\n    idempotency: ${idempotency}`}
    timeout: 1m
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
  refused: { kind: end, outcome: refused, success: false }
`;

const forEachConcurrency: Rule = {
  id: "scale/for-each-concurrency",
  severity: "error",
  summary: "A `for_each` fan-out has a `concurrency` bound.",
  rationale: `\`for_each\` starts one branch per item, and the number of items comes from the run's data: a
purchase order with 12 lines today may have 40,000 tomorrow. Without a \`concurrency\` bound every
branch starts at once, and the systems its handlers call receive the whole burst. Set
\`concurrency\` to what the slowest system on the branch can take; the engine starts the next item
as one finishes.`,
  example: {
    bad: checkEachItem(undefined),
    good: checkEachItem(10),
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["parallel"])) {
      if (step.for_each === undefined || step.concurrency !== undefined) continue;
      report({
        message: `parallel "${id}" runs for_each with no concurrency bound; add concurrency: <number> (what the systems its branch calls can take) so that a large list does not start every branch at once`,
        path: ["steps", id, "for_each"],
        atKey: true,
      });
    }
  },
};

const idempotency: Rule = {
  id: "scale/idempotency",
  severity: "error",
  summary: "An irreversible action has an idempotency key.",
  rationale: `Handlers run at least once: after a crash, a timeout or a lost connection the engine calls the handler
again. For an action that cannot be undone, the second call must be recognisable as the same one.
\`idempotency\` is a JSONata expression over the run context whose value the handler receives as its
idempotency key (pass it to the bank, the mail provider, the ERP). Build it from what identifies the
effect, such as \`input.vendorId & '-' & steps.extract.output.number\`, not from the run id alone if the
same request can arrive as two runs.`,
  example: {
    bad: routeToPayment(undefined),
    good: routeToPayment(`"'pay-' & input.requestId"`),
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["action"])) {
      if (step.irreversible !== true || step.idempotency !== undefined) continue;
      report({
        message: `irreversible action "${id}" has no idempotency key; add idempotency: <expression> (e.g. "input.requestId") so that a handler called twice performs its effect once`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

const retryUnbounded: Rule = {
  id: "scale/retry-unbounded",
  severity: "warning",
  summary: "Exponential retries that would wait more than a day between attempts have a `max_delay`.",
  rationale: `Exponential backoff doubles the wait (or multiplies it by \`factor\`) after every attempt. Without
\`max_delay\` a generous \`max_attempts\` turns into waits of days or years: 20 attempts starting at one
second wait three days before the last one. The run is not lost (a retry is a timer, not a sleep), but
it sits unnoticed while it waits. Cap the delay with \`max_delay\`, or allow fewer attempts and let
\`on_error\` route the failure.`,
  example: {
    bad: `
start: check
steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.check
    timeout: 30s
    retry: { max_attempts: 20, backoff: exponential, initial: 1s }
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`,
    good: `
start: check
steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.check
    timeout: 30s
    retry: { max_attempts: 20, backoff: exponential, initial: 1s, max_delay: 10m }
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`,
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["action", "ai"])) {
      const retry = step.retry;
      if (retry === undefined || retry.backoff !== "exponential" || retry.max_delay !== undefined) continue;
      if (retry.max_attempts < 2) continue;
      // The wait before attempt n (n >= 2) is initial * factor^(n - 2).
      const last =
        parseDuration(retry.initial) * (retry.factor ?? DEFAULT_FACTOR) ** (retry.max_attempts - 2);
      if (last <= LONGEST_UNCAPPED_DELAY_MS) continue;
      const wait =
        last > 365 * LONGEST_UNCAPPED_DELAY_MS ? "more than a year" : formatDuration(Math.round(last));
      report({
        message: `retry of ${step.kind} "${id}" has exponential backoff with no max_delay, so it waits ${wait} before attempt ${retry.max_attempts}; add max_delay (e.g. max_delay: 1h) or lower max_attempts`,
        path: ["steps", id, "retry"],
        atKey: true,
      });
    }
  },
};

export const scaleRules: readonly Rule[] = [forEachConcurrency, idempotency, retryUnbounded];
