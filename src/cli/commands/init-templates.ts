/**
 * The files `charter init` writes: a config, a starter charter that lints clean (an action, a rule,
 * an approval with due and expire, ends), its handlers and a directory of role members.
 * test/fixtures/project/handlers.ts mirrors HANDLERS_MJS (with a relative import): keep them alike.
 */
import { DEFAULT_STORE } from "../../config/project-config.js";

export const CONFIG_JSON =
  JSON.stringify(
    {
      store: DEFAULT_STORE,
      handlers: "./handlers.mjs",
      directory: "./directory.yaml",
      charters: ["charters/*.yaml"],
    },
    null,
    2,
  ) + "\n";

export const HELLO_YAML = `# yaml-language-server: $schema=../node_modules/charter/schema/charter.schema.json
# A starter charter: an action, a rule, an approval with a due date and an expiry, and its ends.
# Lint it with \`charter lint charters\`, deploy it with \`charter deploy\`.
charter: 1
workflow: hello
title: Hello, Charter
description: Prepares a greeting; a rule sends large amounts to an approver before it is sent.
owner: team:operations
directory: ../directory.yaml

triggers:
  - manual: {}

input:
  schema:
    type: object
    required: [name, amount]
    properties:
      name: { type: string, minLength: 1 }
      amount: { type: number, minimum: 0 }
  on_invalid: reject

success:
  outcomes: [sent, declined]
  within: 5d

roles:
  approver: { description: Approves greetings for amounts over 100 }

start: prepare
steps:
  prepare:
    kind: action
    owner: team:operations
    purpose: Write the greeting.
    handler: hello.prepare
    timeout: 30s
    retry: { max_attempts: 3, backoff: exponential, initial: 1s }
    on_error: { default: exception }
    next: route

  route:
    kind: decision
    owner: team:operations
    policy: Greetings policy v1
    rules:
      - when: "input.amount <= 100"
        goto: send
    default: approve

  approve:
    kind: approval
    owner: role:approver
    assignee: role:approver
    not_by: [initiator]
    require_reason: true
    shows: [input, steps.prepare.output]
    due: 1d
    expire: { after: 3d, goto: expired }
    outcomes: { approved: send, rejected: declined }

  send:
    kind: action
    owner: team:operations
    purpose: Send the greeting.
    handler: hello.send
    irreversible: true
    idempotency: "run.id"
    timeout: 30s
    retry: { max_attempts: 3, backoff: exponential, initial: 1s }
    on_error: { default: exception }
    next: sent

  sent: { kind: end, outcome: sent }
  declined: { kind: end, outcome: declined }
  expired: { kind: end, outcome: expired, success: false }
`;

export const HANDLERS_MJS = `// Action handlers: every \`handler:\` a charter names is registered here with defineAction.
// \`charter worker\` loads this module (charter.config.json, "handlers"). Handlers run at least once:
// the idempotency key is the same for every retry of a step, so use it to make side effects once.
import { defineAction } from "charter";

export const prepare = defineAction({
  name: "hello.prepare",
  async run(input) {
    return { greeting: \`Hello, \${input.name}!\` };
  },
});

export const send = defineAction({
  name: "hello.send",
  async run(input, { idempotencyKey, signal }) {
    signal.throwIfAborted();
    return { sent: true, to: input.name, idempotencyKey };
  },
});
`;

export const DIRECTORY_YAML = `# Who holds each role. Charters name roles; the engine asks this file who may decide.
directory: 1
roles:
  approver: [user:fiona, user:ivan]
`;

export const GITIGNORE_ENTRY = ".charter/";
