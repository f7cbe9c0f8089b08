/**
 * Audit entries: every decision and state change the engine makes is appended to the run's audit
 * trail in the same transaction (the store chains the records). `dataHash` fingerprints the data a
 * decision was made on, so an auditor can prove what a person or a rule saw.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../docs/hash.js";
import type { Draft } from "./draft.js";
import { emit } from "./draft.js";
import type { AuditEntry } from "./commands.js";
import type { ModelCall } from "./events.js";
import type { StepInstance } from "./state.js";

/** SHA-256 (hex) of the canonical JSON of `data`; `undefined` hashes as `null`. */
export function dataHash(data: unknown): string {
  return createHash("sha256")
    .update(canonicalJson(data === undefined ? null : data), "utf8")
    .digest("hex");
}

export interface AuditFields extends Omit<AuditEntry, "at" | "dataHash" | "step" | "instance"> {
  /** The data decided on; hashed into `dataHash`. */
  readonly data?: unknown;
  readonly dataHash?: string;
  readonly call?: ModelCall;
}

/** An append-audit command at the transition's time. */
export function auditEntry(draft: Draft, fields: AuditFields, instance?: StepInstance): AuditEntry {
  const { data, call: _call, dataHash: given, ...rest } = fields;
  const hash = given ?? (data === undefined ? undefined : dataHash(data));
  return {
    ...rest,
    ...(instance ? { step: instance.stepId, instance: instance.key } : {}),
    ...(hash === undefined ? {} : { dataHash: hash }),
    at: draft.at,
  };
}

export function audit(draft: Draft, fields: AuditFields, instance?: StepInstance): void {
  const entry = auditEntry(draft, fields, instance);
  emit(draft, "append-audit", fields.call ? { entry, call: fields.call } : { entry });
}
