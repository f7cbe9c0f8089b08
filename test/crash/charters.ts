/**
 * The crash test's charters: an order that reserves stock, passes a rule gate, charges a card once
 * (irreversible, with an idempotency key), ships (failing once for every third order, so a retry
 * timer is involved), and asks a child workflow for a receipt (so the outbox is involved).
 */
export const CRASH_ORDER = `
charter: 1
workflow: crash-order
title: Crash test order
owner: team:operations
triggers: [{ manual: {} }]
input:
  schema: { type: object, required: [n], properties: { n: { type: integer } } }
  on_invalid: reject
success: { outcomes: [fulfilled] }
start: reserve
steps:
  reserve:
    kind: action
    owner: team:operations
    handler: crash.reserve
    timeout: 5s
    retry: { max_attempts: 10, backoff: fixed, initial: 100ms }
    on_error: { default: exception }
    next: check
  check:
    kind: decision
    owner: team:operations
    rules:
      - name: stock reserved
        when: "steps.reserve.output.reserved = true"
        goto: charge
    default: not-reserved
  charge:
    kind: action
    owner: team:operations
    handler: crash.charge
    irreversible: true
    idempotency: "run.id & '-charge'"
    timeout: 5s
    retry: { max_attempts: 10, backoff: fixed, initial: 100ms }
    on_error: { default: exception }
    next: ship
  ship:
    kind: action
    owner: team:operations
    handler: crash.ship
    timeout: 5s
    retry: { max_attempts: 10, backoff: exponential, initial: 100ms, max_delay: 1s }
    on_error: { default: exception }
    next: receipt
  receipt:
    kind: workflow
    owner: team:operations
    workflow: crash-receipt
    input: '{ "n": input.n }'
    timeout: 10m
    on_error: { default: exception }
    next: fulfilled
  fulfilled: { kind: end, outcome: fulfilled }
  not-reserved: { kind: end, outcome: not-reserved, success: false }
`;

export const CRASH_RECEIPT = `
charter: 1
workflow: crash-receipt
title: Crash test receipt
owner: team:operations
triggers: [{ manual: {} }]
input:
  schema: { type: object, required: [n], properties: { n: { type: integer } } }
  on_invalid: reject
success: { outcomes: [sent] }
start: send
steps:
  send:
    kind: action
    owner: team:operations
    handler: crash.sendReceipt
    timeout: 5s
    retry: { max_attempts: 10, backoff: fixed, initial: 100ms }
    on_error: { default: exception }
    next: sent
  sent: { kind: end, outcome: sent }
`;

export const CRASH_HANDLERS = ["crash.reserve", "crash.charge", "crash.ship", "crash.sendReceipt"] as const;
