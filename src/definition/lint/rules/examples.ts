/**
 * Building blocks of rule examples that several rules show: an action, an approval and the ends it
 * routes to, an irreversible payment. Every block is production-ready, so that a good example lints
 * with no error; each docs page still shows its example whole.
 */

/** An action `check` that goes on to `next`. */
export const CHECK_STEP = (next: string, owner = "team:operations") => `
  check:
    kind: action
    owner: ${owner}
    handler: requests.check
    timeout: 30s
    on_error: { default: exception }
    next: ${next}`;

/** The end step `done`. */
export const DONE_STEP = `
  done: { kind: end, outcome: done }`;

/** Who decides the example approval: its assignee, who may not decide, and that a reason is required. */
export const APPROVAL_DECIDERS = `    assignee: role:reviewer
    not_by: [initiator]
    require_reason: true`;

/** When the example approval is due, and where it goes when it expires. */
export const APPROVAL_TIMING = `    due: 1d
    expire: { after: 3d, goto: stalled }`;

export interface ApprovalExample {
  /** The lines after `owner:`; {@link APPROVAL_DECIDERS} by default. */
  readonly deciders?: string;
  /** The lines before `outcomes:`; {@link APPROVAL_TIMING} by default. */
  readonly timing?: string;
  /** Where `approved` goes; `done` by default. `rejected` goes to `refused`. */
  readonly approved?: string;
}

/** An approval step `id`, as YAML lines under `steps:`. */
export function approvalStep(id: string, example: ApprovalExample = {}): string {
  const { deciders = APPROVAL_DECIDERS, timing = APPROVAL_TIMING, approved = "done" } = example;
  return `
  ${id}:
    kind: approval
    owner: team:operations
${deciders}
${timing}
    outcomes: { approved: ${approved}, rejected: refused }`;
}

/** The ends an example approval leads to (`stalled` when it expires), and which count as success. */
export const APPROVAL_ENDS = `
  done: { kind: end, outcome: done }
  refused: { kind: end, outcome: refused }
  stalled: { kind: end, outcome: stalled, success: false }
success:
  outcomes: [done, refused]`;

/** An irreversible, idempotent payment `pay` that goes on to `done`. */
export const PAY_STEP = `
  pay:
    kind: action
    owner: team:treasury
    handler: bank.pay
    irreversible: true
    idempotency: input.requestId
    timeout: 1m
    on_error: { default: exception }
    next: done`;
