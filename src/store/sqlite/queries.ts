/** Every concern's prepared queries on one connection (prepared once, after the migrations). */
import type { Database } from "better-sqlite3";
import { auditQueries } from "./audit.js";
import { charterQueries } from "./charters.js";
import { exceptionQueries } from "./exceptions.js";
import { historyQueries } from "./history.js";
import { jobQueries } from "./jobs.js";
import { runQueries } from "./runs.js";
import { subscriptionQueries } from "./subscriptions.js";
import { taskQueries } from "./tasks.js";
import { timerQueries } from "./timers.js";

export type Queries = ReturnType<typeof prepareQueries>;

export function prepareQueries(db: Database) {
  return {
    audit: auditQueries(db),
    charters: charterQueries(db),
    exceptions: exceptionQueries(db),
    history: historyQueries(db),
    jobs: jobQueries(db),
    runs: runQueries(db),
    subscriptions: subscriptionQueries(db),
    tasks: taskQueries(db),
    timers: timerQueries(db),
  };
}
