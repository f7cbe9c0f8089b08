/**
 * exceptions: every failure and every late human has somewhere to go. Actions are bounded in time
 * and route their errors, human steps are due and expire, waits time out, invalid input is routed,
 * and escalation and retry policies are ones that can actually happen.
 */
import { parseDuration } from "../../duration.js";
import type { ValuePath } from "../../diagnostic.js";
import type { StepOf } from "../../schema.js";
import type { Rule } from "../rule.js";
import { stepsOfKind } from "../../steps.js";
import { HUMAN_KINDS } from "./charter-parts.js";
import { APPROVAL_ENDS, approvalStep } from "./examples.js";

/** A complete human step for the examples, with its due/escalate/expire lines replaceable. */
const approvalSteps = (timing: string) => `
start: approve
steps:${approvalStep("approve", { timing })}${APPROVAL_ENDS}
`;

/** A complete action for the examples, with its timeout/retry/on_error lines replaceable. */
const actionSteps = (fields: string) => `
start: check
steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.check
${fields}
    next: done
  done: { kind: end, outcome: done }
`;

const actionTimeout: Rule = {
  id: "exceptions/action-timeout",
  severity: "error",
  summary: "Every action has a timeout.",
  rationale: `A handler that never answers holds its run forever, and nobody is told. With a \`timeout\`, the engine
aborts the call (the handler receives an abort signal), then retries it per the step's \`retry\` or
routes the \`TIMEOUT\` error through \`on_error\`. Choose a timeout a little above the slowest normal
call: \`30s\` for an API, minutes for a batch export.`,
  example: {
    bad: actionSteps(`    on_error: { default: exception }`),
    good: actionSteps(`    timeout: 30s
    on_error: { default: exception }`),
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["action"])) {
      if (step.timeout !== undefined) continue;
      report({
        message: `action "${id}" has no timeout; add timeout: <duration> (e.g. timeout: 30s) so that a handler that hangs is aborted, then retried or routed`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

const onError: Rule = {
  id: "exceptions/on-error",
  severity: "error",
  summary: "Every action routes its errors, with a `default` for the codes it did not list.",
  rationale: `Every action can fail, and a failure that goes nowhere is a run stuck in a log. \`on_error\` maps
error codes (\`PO_NOT_FOUND\`) to the step that handles them, and \`default\` catches every other
code. \`default: exception\` sends the rest to the charter's exception queue, which has an owner and
is worked like an inbox. Retries (\`retry\`) happen first; \`on_error\` is where a failure goes once
they are spent or the error is not retryable.`,
  example: {
    bad: actionSteps(`    timeout: 30s
    on_error: { NOT_FOUND: done }`),
    good: actionSteps(`    timeout: 30s
    on_error: { NOT_FOUND: done, default: exception }`),
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["action"])) {
      if (step.on_error === undefined) {
        report({
          message: `action "${id}" has no on_error; add on_error: { default: exception } (and a route for each error code you expect) so that every failure has somewhere to go`,
          path: ["steps", id],
          atKey: true,
        });
      } else if (!Object.hasOwn(step.on_error, "default")) {
        report({
          message: `on_error of action "${id}" has no default route; add default: exception (or a step id) so that errors with other codes have somewhere to go`,
          path: ["steps", id, "on_error"],
          atKey: true,
        });
      }
    }
  },
};

const humanDue: Rule = {
  id: "exceptions/human-due",
  severity: "error",
  summary: "Every approval and task has a due time.",
  rationale: `A person's inbox is ordered by what is late. \`due\` says when a human step should be done (counted
from when it opens); the inbox shows it, escalation can follow it, and the run's report shows every
step that was late. Without it, a forgotten approval looks the same as a fresh one.`,
  example: {
    bad: approvalSteps(`    expire: { after: 3d, goto: stalled }`),
    good: approvalSteps(`    due: 1d
    expire: { after: 3d, goto: stalled }`),
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, HUMAN_KINDS)) {
      if (step.due !== undefined) continue;
      report({
        message: `${step.kind} "${id}" has no due time; add due: <duration> (e.g. due: 1d) so that the inbox shows when it is late`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

const humanExpire: Rule = {
  id: "exceptions/human-expire",
  severity: "error",
  summary: "Every approval and task expires to a route.",
  rationale: `People go on holiday and leave. \`expire\` says how long a human step may stay open and where the run
goes when nobody decided: \`expire: { after: 3d, goto: stalled-approval }\`, or \`goto: exception\`
for the exception queue. Without it a run can wait for a decision forever. An expired step decided
nothing, so the linter treats its \`expire\` route as ungated.`,
  example: {
    bad: approvalSteps(`    due: 1d`),
    good: approvalSteps(`    due: 1d
    expire: { after: 3d, goto: stalled }`),
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, HUMAN_KINDS)) {
      if (step.expire !== undefined) continue;
      report({
        message: `${step.kind} "${id}" never expires; add expire: { after: <duration>, goto: <step or exception> } so that a decision nobody takes does not hold the run forever`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

const waitTimeout: Rule = {
  id: "exceptions/wait-timeout",
  severity: "error",
  summary: "Every wait has a timeout and a route for it.",
  rationale: `An event may never come (the supplier never sends the purchase order), and a date may be computed
wrong. A \`wait\` therefore always has a \`timeout\` and an \`on_timeout\` route: the step that chases
the missing event, or \`exception\`. The wait itself costs nothing while it lasts (it is a row and a
timer, not a thread).`,
  example: {
    bad: `
start: await-reply
steps:
  await-reply:
    kind: wait
    owner: team:operations
    event: reply.received
    correlation: input.requestId
    next: done
  done: { kind: end, outcome: done }
`,
    good: `
start: await-reply
steps:
  await-reply:
    kind: wait
    owner: team:operations
    event: reply.received
    correlation: input.requestId
    timeout: 5d
    on_timeout: exception
    next: done
  done: { kind: end, outcome: done }
`,
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["wait"])) {
      const missing = [
        ...(step.timeout === undefined ? ["timeout: <duration>"] : []),
        ...(step.on_timeout === undefined ? ["on_timeout: <step or exception>"] : []),
      ];
      if (missing.length === 0) continue;
      const what =
        missing.length === 2
          ? "no timeout and no on_timeout"
          : step.timeout === undefined
            ? "no timeout"
            : "no on_timeout";
      const why =
        step.event !== undefined
          ? "a wait whose event never comes goes somewhere"
          : step.until !== undefined
            ? "a wait for a time computed wrong (far off, or never) still ends somewhere"
            : "the wait ends somewhere";
      report({
        message: `wait "${id}" has ${what}; add ${missing.join(" and ")} so that ${why}`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

const onInvalid: Rule = {
  id: "exceptions/on-invalid",
  severity: "error",
  summary: "The charter says where a run with invalid input goes.",
  rationale: `Input arrives from webhooks, schedules and people, and some of it will not match \`input.schema\`.
\`input.on_invalid\` says what happens then: \`reject\` refuses to start the run (the caller gets the
validation errors), or a step id starts the run there, for example a task that asks someone for the
missing information.`,
  example: {
    bad: `
input:
  schema:
    type: object
    required: [requestId]
    properties:
      requestId: { type: string }
      amount: { type: number }
`,
    good: `
input:
  schema:
    type: object
    required: [requestId]
    properties:
      requestId: { type: string }
      amount: { type: number }
  on_invalid: reject
`,
  },
  check({ charter, report }) {
    // A charter with no input at all is reported by the defined rules, once.
    if (charter.input === undefined || charter.input.on_invalid !== undefined) return;
    report({
      message: `input has no on_invalid; add on_invalid: reject, or the id of a step that asks for what is missing, so that an invalid input has somewhere to go`,
      path: ["input"],
      atKey: true,
    });
  },
};

const lateEscalation: Rule = {
  id: "exceptions/late-escalation",
  severity: "warning",
  summary: "Escalation and due times come before the human step expires.",
  rationale: `An escalation is a second chance: if the assignee has not decided after \`escalate.after\`, the step is
offered to \`escalate.to\` as well. If that time is not earlier than \`expire.after\`, the step expires
first and the escalation never happens. Likewise a \`due\` later than the expiry can never be
reached. Escalate (and make the step due) well before it expires.`,
  example: {
    bad: approvalSteps(`    due: 1d
    escalate: { after: 3d, to: role:reviewer }
    expire: { after: 2d, goto: stalled }`),
    good: approvalSteps(`    due: 1d
    escalate: { after: 1d, to: role:reviewer }
    expire: { after: 3d, goto: stalled }`),
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, HUMAN_KINDS)) {
      if (step.expire === undefined) continue;
      const expire = parseDuration(step.expire.after);
      if (step.escalate !== undefined && parseDuration(step.escalate.after) >= expire) {
        report({
          message: `escalation of ${step.kind} "${id}" after ${step.escalate.after} never happens: the step expires after ${step.expire.after}; make escalate.after shorter than expire.after`,
          path: ["steps", id, "escalate", "after"],
        });
      }
      if (step.due !== undefined && parseDuration(step.due) > expire) {
        report({
          message: `${step.kind} "${id}" is due after ${step.due} but expires after ${step.expire.after}, so it can never be late; make due shorter than expire.after`,
          path: ["steps", id, "due"],
        });
      }
    }
  },
};

type RetryPolicy = NonNullable<StepOf<"action">["retry"]>;

/** Fields of a retry policy that contradict each other, each with where it is written. */
function retryProblems(retry: RetryPolicy, at: ValuePath): { message: string; path: ValuePath }[] {
  const problems: { message: string; path: ValuePath }[] = [];
  const initial = parseDuration(retry.initial);
  if (retry.max_delay !== undefined && parseDuration(retry.max_delay) < initial) {
    problems.push({
      message: `max_delay ${retry.max_delay} is shorter than initial ${retry.initial}, so no delay could be as long as the first; raise max_delay or lower initial`,
      path: [...at, "max_delay"],
    });
  } else if (retry.backoff === "fixed" && retry.max_delay !== undefined) {
    problems.push({
      message: `max_delay has no effect with backoff: fixed (every delay is initial, ${retry.initial}); remove it or set backoff: exponential`,
      path: [...at, "max_delay"],
    });
  }
  if (retry.backoff === "fixed" && retry.factor !== undefined) {
    problems.push({
      message: `factor has no effect with backoff: fixed (every delay is initial, ${retry.initial}); remove it or set backoff: exponential`,
      path: [...at, "factor"],
    });
  }
  return problems;
}

const retry: Rule = {
  id: "exceptions/retry",
  severity: "error",
  summary: "A retry policy's fields agree with each other.",
  rationale: `A retry policy is read by the people on call as much as by the engine, so it must mean what it says.
\`max_delay\` caps the delay between attempts and cannot be shorter than the first delay
(\`initial\`); with \`backoff: fixed\` every delay is \`initial\`, so \`factor\` and \`max_delay\` would be
ignored. Each of these means the schedule that runs is not the one the author wrote: fix the field
the message names.`,
  example: {
    bad: actionSteps(`    timeout: 30s
    retry: { max_attempts: 5, backoff: exponential, initial: 1m, max_delay: 30s }
    on_error: { default: exception }`),
    good: actionSteps(`    timeout: 30s
    retry: { max_attempts: 5, backoff: exponential, initial: 1s, max_delay: 1m }
    on_error: { default: exception }`),
  },
  check({ charter, report }) {
    for (const { id, step } of stepsOfKind(charter, ["action", "ai"])) {
      if (step.retry === undefined) continue;
      for (const problem of retryProblems(step.retry, ["steps", id, "retry"])) {
        report({ message: `retry of ${step.kind} "${id}": ${problem.message}`, path: problem.path });
      }
    }
  },
};

export const exceptionsRules: readonly Rule[] = [
  actionTimeout,
  onError,
  humanDue,
  humanExpire,
  waitTimeout,
  onInvalid,
  lateEscalation,
  retry,
];
