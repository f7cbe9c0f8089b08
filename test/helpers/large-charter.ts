/**
 * A large, valid charter for limits tests and the lint benchmark: `size` steps in groups of five
 * (action -> ai -> review task -> decision -> approval), with an irreversible payout at the end.
 */
export function largeCharterYaml(size: number): string {
  const groups = Math.max(1, Math.floor((size - 3) / 5));
  const lines: string[] = [
    "charter: 1",
    "workflow: large",
    "title: Large generated charter",
    "owner: team:operations",
    "triggers: [{ manual: {} }]",
    "input:",
    "  schema: { type: object, properties: { amount: { type: number } } }",
    "  on_invalid: reject",
    "success: { outcomes: [done] }",
    "roles: { clerk: { members: [user:carol] }, manager: { members: [user:mona] } }",
    "model_tasks:",
    "  classify:",
    "    instructions: Classify the document.",
    "    output: { type: object, required: [category], properties: { category: { type: string } } }",
    "start: fetch-0",
    "steps:",
  ];
  for (let g = 0; g < groups; g++) {
    const next = g + 1 < groups ? `fetch-${g + 1}` : "pay";
    lines.push(
      `  fetch-${g}:`,
      "    kind: action",
      "    owner: team:operations",
      "    handler: documents.fetch",
      "    timeout: 30s",
      "    retry: { max_attempts: 3, backoff: exponential, initial: 1s }",
      "    on_error: { NOT_FOUND: stopped, default: exception }",
      `    next: classify-${g}`,
      `  classify-${g}:`,
      "    kind: ai",
      "    owner: team:operations",
      "    model_task: classify",
      '    accept: { when: "confidence >= 0.9" }',
      `    review: review-${g}`,
      `    next: route-${g}`,
      `  review-${g}:`,
      "    kind: task",
      "    owner: role:clerk",
      "    assignee: role:clerk",
      "    due: 1d",
      "    expire: { after: 3d, goto: stopped }",
      `    next: route-${g}`,
      `  route-${g}:`,
      "    kind: decision",
      "    owner: team:operations",
      "    rules:",
      `      - when: "steps.\`classify-${g}\`.output.category = 'simple' and input.amount < 100"`,
      `        goto: ${next}`,
      `    default: approve-${g}`,
      `  approve-${g}:`,
      "    kind: approval",
      "    owner: role:manager",
      "    assignee: role:manager",
      "    not_by: [initiator]",
      "    require_reason: true",
      "    due: 1d",
      "    expire: { after: 3d, goto: stopped }",
      `    outcomes: { approved: ${next}, rejected: stopped }`,
    );
  }
  lines.push(
    "  pay:",
    "    kind: action",
    "    owner: team:treasury",
    "    handler: bank.pay",
    "    irreversible: true",
    "    idempotency: run.id",
    "    timeout: 1m",
    "    on_error: { default: exception }",
    "    next: done",
    "  done: { kind: end, outcome: done }",
    "  stopped: { kind: end, outcome: stopped, success: false }",
  );
  return lines.join("\n") + "\n";
}
