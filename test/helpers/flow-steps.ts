/**
 * One-line (flow-style) step builders for lint tests, as YAML lines under `steps:`: compact charters
 * for the path rules (ai-authority, oversight), where the shape of the graph is what matters.
 */

export const action = (id: string, next: string, more = "") =>
  `  ${id}: { kind: action, owner: team:operations, handler: ops.run, timeout: 30s, on_error: { default: exception }, next: ${next}${more} }`;
export const pay = (id = "pay", next = "done") =>
  action(id, next, ", irreversible: true, idempotency: input.requestId");
export const decision = (id: string, yes: string, no: string) =>
  `  ${id}: { kind: decision, owner: team:operations, rules: [{ when: "input.amount < 100", goto: ${yes} }], default: ${no} }`;

/** The ends the charters share: done and refused succeed (refused is a proper outcome), stalled fails. */
const ENDS = [
  "  done: { kind: end, outcome: done }",
  "  refused: { kind: end, outcome: refused }",
  "  stalled: { kind: end, outcome: stalled, success: false }",
];

/** A charter's top-level fields from its steps, with the ends done/refused/stalled added. */
export function charter(start: string, ...steps: string[]): string {
  return [`start: ${start}`, "success: { outcomes: [done, refused] }", "steps:", ...steps, ...ENDS].join(
    "\n",
  );
}
