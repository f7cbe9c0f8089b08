/**
 * The demo's handlers: simulated ERP, bank, HR, IT, support and compliance systems, one
 * `defineAction` for every `handler:` the example charters name. The project config
 * (charter.config.json) names the compiled module, so `charter worker` runs them too.
 *
 * They are deterministic: what they answer follows from their input and the master data in
 * systems/data.ts, which is how the sample runs reach their paths (an unknown PO, a blocked vendor,
 * a payee whose bank keeps failing).
 */
import type { ActionHandler } from "../index.js";
import { complianceHandlers } from "./systems/compliance.js";
import { financeHandlers } from "./systems/finance.js";
import { itHandlers } from "./systems/it.js";
import { peopleHandlers } from "./systems/people.js";
import { supportHandlers } from "./systems/support.js";

export const handlers: readonly ActionHandler[] = [
  ...financeHandlers,
  ...peopleHandlers,
  ...supportHandlers,
  ...itHandlers,
  ...complianceHandlers,
];
