/** The store's tables, qualified with the quoted schema, so that no query depends on search_path. */
import { quoteIdentifier } from "./identifiers.js";

export interface Tables {
  readonly schema: string;
  readonly migrations: string;
  readonly charterVersions: string;
  readonly runs: string;
  readonly history: string;
  readonly audit: string;
  readonly jobs: string;
  readonly timers: string;
  readonly tasks: string;
  readonly taskAssignees: string;
  readonly subscriptions: string;
  readonly exceptions: string;
}

export function tablesOf(schema: string): Tables {
  const s = quoteIdentifier(schema);
  return {
    schema: s,
    migrations: `${s}.charter_migrations`,
    charterVersions: `${s}.charter_versions`,
    runs: `${s}.runs`,
    history: `${s}.history`,
    audit: `${s}.audit`,
    jobs: `${s}.jobs`,
    timers: `${s}.timers`,
    tasks: `${s}.tasks`,
    taskAssignees: `${s}.task_assignees`,
    subscriptions: `${s}.subscriptions`,
    exceptions: `${s}.exceptions`,
  };
}
