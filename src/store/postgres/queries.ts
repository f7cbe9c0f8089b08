/** Every concern's queries for one schema (the SQL text is built once, when the store opens). */
import { auditQueries } from "./audit.js";
import { charterQueries } from "./charters.js";
import { exceptionQueries } from "./exceptions.js";
import { historyQueries } from "./history.js";
import { jobQueries } from "./jobs.js";
import { runQueries } from "./runs.js";
import { subscriptionQueries } from "./subscriptions.js";
import type { Tables } from "./tables.js";
import { taskQueries } from "./tasks.js";
import { timerQueries } from "./timers.js";

export type Queries = ReturnType<typeof prepareQueries>;

export function prepareQueries(t: Tables) {
  return {
    audit: auditQueries(t),
    charters: charterQueries(t),
    exceptions: exceptionQueries(t),
    history: historyQueries(t),
    jobs: jobQueries(t),
    runs: runQueries(t),
    subscriptions: subscriptionQueries(t),
    tasks: taskQueries(t),
    timers: timerQueries(t),
  };
}
