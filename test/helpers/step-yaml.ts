/**
 * Builders for lint tests: charters as YAML fragments (steps under `steps:`) on the example base,
 * and the findings of one rule.
 */
import type { Diagnostic } from "../../src/definition/diagnostic.js";
import type { LintOptions } from "../../src/definition/lint/rule.js";
import { lintText, withFields } from "./charters.js";

/** Lint the example base charter with some top-level fields replaced; keep one rule's findings. */
export function findings(ruleId: string, fields: string, options: LintOptions = {}): Diagnostic[] {
  return lintText(withFields(fields), "test.yaml", options).filter((d) => d.ruleId === ruleId);
}

export function messages(ruleId: string, fields: string, options: LintOptions = {}): string[] {
  return findings(ruleId, fields, options).map((d) => d.message);
}

export function paths(ruleId: string, fields: string, options: LintOptions = {}): Diagnostic["path"][] {
  return findings(ruleId, fields, options).map((d) => d.path);
}

/** A production-ready action step (as YAML lines under `steps:`), with optional extra lines. */
export const action = (id: string, next?: string, extra = "") =>
  `
  ${id}:
    kind: action
    owner: team:operations
    handler: requests.run
    timeout: 30s
    on_error: { default: exception }${next === undefined ? "" : `\n    next: ${next}`}${extra}`;

export const end = (id: string, outcome = id, extra = "") => `
  ${id}: { kind: end, outcome: ${outcome}${extra} }`;

export const approval = (id: string, outcomes: string, extra = "") => `
  ${id}:
    kind: approval
    owner: team:operations
    assignee: role:reviewer
    not_by: [initiator]
    require_reason: true
    due: 1d
    expire: { after: 3d, goto: exception }
    outcomes: ${outcomes}${extra}`;

export const steps = (start: string, ...defs: string[]) => `start: ${start}\nsteps:${defs.join("")}\n`;
