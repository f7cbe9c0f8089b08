import { describe, expect, it } from "vitest";
import { findings } from "../../../../test/helpers/step-yaml.js";

/** A one-step charter: `check` (an action with `fields`) then `done`. */
const checkWith = (fields: string) =>
  `start: check\nsteps:\n  check: { kind: action, owner: team:operations, handler: ops.run, ${fields}next: done }\n  done: { kind: end, outcome: done }`;

/** A one-approval charter, `fields` being the approval's timing entries. */
const approvalWith = (fields: string, kind = "approval") =>
  `start: ok
success: { outcomes: [done, refused] }
steps:
  ok: { kind: ${kind}, owner: team:operations, assignee: role:reviewer, not_by: [initiator], require_reason: true, ${fields}${
    kind === "approval" ? "outcomes: { approved: done, rejected: refused }" : "next: done"
  } }
  done: { kind: end, outcome: done }
  refused: { kind: end, outcome: refused }
  stalled: { kind: end, outcome: stalled, success: false }`;

describe("exceptions/action-timeout", () => {
  it("reports an action with no timeout at the step's key", () => {
    const found = findings("exceptions/action-timeout", checkWith("on_error: { default: exception }, "));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "check"],
        'action "check" has no timeout; add timeout: <duration> (e.g. timeout: 30s) so that a handler that hangs is aborted, then retried or routed',
      ],
    ]);
  });
});

describe("exceptions/on-error", () => {
  const rule = "exceptions/on-error";

  it("reports an action with no on_error", () => {
    const found = findings(rule, checkWith("timeout: 30s, "));
    expect(found.map((d) => d.path)).toEqual([["steps", "check"]]);
    expect(found[0]!.message).toMatch(
      /^action "check" has no on_error; add on_error: \{ default: exception \}/,
    );
  });

  it("reports an on_error with no default at the on_error key", () => {
    const found = findings(rule, checkWith("timeout: 30s, on_error: { LATE: done }, "));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "check", "on_error"],
        'on_error of action "check" has no default route; add default: exception (or a step id) so that errors with other codes have somewhere to go',
      ],
    ]);
  });
});

describe("exceptions/human-due and exceptions/human-expire", () => {
  it("reports an approval with no due time", () => {
    const found = findings("exceptions/human-due", approvalWith("expire: { after: 3d, goto: stalled }, "));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "ok"],
        'approval "ok" has no due time; add due: <duration> (e.g. due: 1d) so that the inbox shows when it is late',
      ],
    ]);
  });

  it("reports a task that never expires", () => {
    const found = findings("exceptions/human-expire", approvalWith("due: 1d, ", "task"));
    expect(found[0]!.message).toMatch(/^task "ok" never expires; add expire: \{ after: <duration>, goto:/);
  });
});

describe("exceptions/wait-timeout", () => {
  const rule = "exceptions/wait-timeout";
  const waitWith = (fields: string, on = 'until: "run.started"') =>
    `start: hold\nsteps:\n  hold: { kind: wait, owner: team:operations, ${on}, ${fields}next: done }\n  done: { kind: end, outcome: done }`;
  const onEvent = "event: reply.received, correlation: input.requestId";

  it("names both missing fields in one finding, about the event that may never come", () => {
    const found = findings(rule, waitWith("", onEvent));
    expect(found.map((d) => d.message)).toEqual([
      'wait "hold" has no timeout and no on_timeout; add timeout: <duration> and on_timeout: <step or exception> so that a wait whose event never comes goes somewhere',
    ]);
  });

  it("speaks of a time computed wrong, not of an event, for a wait until a time", () => {
    const found = findings(rule, waitWith(""));
    expect(found.map((d) => d.message)).toEqual([
      'wait "hold" has no timeout and no on_timeout; add timeout: <duration> and on_timeout: <step or exception> so that a wait for a time computed wrong (far off, or never) still ends somewhere',
    ]);
    expect(found[0]!.message).not.toContain("event");
  });

  it("reports a wait with a timeout but no route for it", () => {
    expect(findings(rule, waitWith("timeout: 1d, "))[0]!.message).toMatch(
      /^wait "hold" has no on_timeout; add on_timeout:/,
    );
  });

  it("accepts a wait with both", () => {
    expect(findings(rule, waitWith("timeout: 1d, on_timeout: exception, "))).toEqual([]);
  });
});

describe("exceptions/on-invalid", () => {
  it("reports an input with no on_invalid at the input key", () => {
    const found = findings("exceptions/on-invalid", "input: { schema: { type: object } }");
    expect(found.map((d) => d.path)).toEqual([["input"]]);
  });
});

describe("exceptions/late-escalation", () => {
  const rule = "exceptions/late-escalation";

  it("warns when the escalation comes no earlier than the expiry", () => {
    const found = findings(
      rule,
      approvalWith(
        "due: 1d, escalate: { after: 3d, to: role:reviewer }, expire: { after: 3d, goto: stalled }, ",
      ),
    );
    expect(found.map((d) => [d.severity, d.path, d.message])).toEqual([
      [
        "warning",
        ["steps", "ok", "escalate", "after"],
        'escalation of approval "ok" after 3d never happens: the step expires after 3d; make escalate.after shorter than expire.after',
      ],
    ]);
  });

  it("compares durations, not texts", () => {
    const timing =
      "due: 1h, escalate: { after: 90m, to: role:reviewer }, expire: { after: 1h30m, goto: stalled }, ";
    expect(findings(rule, approvalWith(timing)).map((d) => d.path.at(-2))).toEqual(["escalate"]);
  });

  it("warns when the step is due after it expires", () => {
    const found = findings(rule, approvalWith("due: 4d, expire: { after: 3d, goto: stalled }, "));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "ok", "due"],
        'approval "ok" is due after 4d but expires after 3d, so it can never be late; make due shorter than expire.after',
      ],
    ]);
  });

  it("accepts a due time equal to the expiry and an escalation before it", () => {
    const timing =
      "due: 3d, escalate: { after: 2d, to: role:reviewer }, expire: { after: 3d, goto: stalled }, ";
    expect(findings(rule, approvalWith(timing))).toEqual([]);
  });
});

describe("exceptions/retry", () => {
  const rule = "exceptions/retry";
  const retry = (policy: string) =>
    checkWith(`timeout: 30s, on_error: { default: exception }, retry: ${policy}, `);

  it("reports a max_delay shorter than the first delay", () => {
    const found = findings(rule, retry("{ max_attempts: 3, initial: 1m, max_delay: 30s }"));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "check", "retry", "max_delay"],
        'retry of action "check": max_delay 30s is shorter than initial 1m, so no delay could be as long as the first; raise max_delay or lower initial',
      ],
    ]);
  });

  it("reports a factor or a max_delay on fixed backoff, where they do nothing", () => {
    const found = findings(
      rule,
      retry("{ max_attempts: 3, backoff: fixed, initial: 5s, max_delay: 1m, factor: 3 }"),
    );
    expect(found.map((d) => d.path.at(-1))).toEqual(["max_delay", "factor"]);
    expect(found[1]!.message).toBe(
      'retry of action "check": factor has no effect with backoff: fixed (every delay is initial, 5s); remove it or set backoff: exponential',
    );
  });

  it("checks the retry policies of ai steps too", () => {
    const fields = `start: read
steps:
  read: { kind: ai, owner: team:operations, model_task: classify, accept: { when: "confidence > 0.9" }, review: ok, retry: { max_attempts: 3, initial: 10s, max_delay: 1s }, next: ok }
  ok: { kind: approval, owner: team:operations, assignee: role:reviewer, not_by: [initiator], require_reason: true, due: 1d, expire: { after: 3d, goto: done }, outcomes: { approved: done, rejected: done } }
  done: { kind: end, outcome: done }`;
    expect(findings(rule, fields)[0]!.message).toMatch(/^retry of ai "read": max_delay 1s is shorter/);
  });

  it("accepts a consistent policy", () => {
    expect(
      findings(
        rule,
        retry("{ max_attempts: 5, backoff: exponential, initial: 1s, max_delay: 1m, factor: 3 }"),
      ),
    ).toEqual([]);
  });
});
