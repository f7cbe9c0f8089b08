/** Charter versions: immutable, content-addressed, stored once. */
import type { Database } from "better-sqlite3";
import type { CharterVersion } from "../store.js";
import type { CharterVersionRow } from "../shared/rows.js";
import { toMs } from "../shared/time.js";
import { toCharterVersion } from "../shared/mappers.js";

export type CharterQueries = ReturnType<typeof charterQueries>;

export function charterQueries(db: Database) {
  const insert = db.prepare<[CharterVersionRow]>(
    `INSERT INTO charter_versions (workflow, version, definition, source, deployed_at)
     VALUES (@workflow, @version, @definition, @source, @deployed_at) ON CONFLICT DO NOTHING`,
  );
  const get = db.prepare<[string, string], CharterVersionRow>(
    "SELECT * FROM charter_versions WHERE workflow = ? AND version = ?",
  );
  // rowid breaks a tie of deployed_at: the later insert is the later deployment.
  const latest = db.prepare<[string], CharterVersionRow>(
    "SELECT * FROM charter_versions WHERE workflow = ? ORDER BY deployed_at DESC, rowid DESC LIMIT 1",
  );
  const list = db.prepare<[], CharterVersionRow>(
    "SELECT * FROM charter_versions ORDER BY workflow, deployed_at, rowid",
  );
  return {
    /** False when the version was stored already. */
    deploy: (version: CharterVersion): boolean => insert.run(toRow(version)).changes > 0,
    get: (workflow: string, version: string) => mapOptional(get.get(workflow, version)),
    latest: (workflow: string) => mapOptional(latest.get(workflow)),
    list: (): CharterVersion[] => list.all().map(toCharterVersion),
  };
}

function toRow(version: CharterVersion): CharterVersionRow {
  return {
    workflow: version.workflow,
    version: version.version,
    definition: JSON.stringify(version.definition),
    source: version.source,
    deployed_at: toMs(version.deployedAt, "deployedAt"),
  };
}

function mapOptional(row: CharterVersionRow | undefined): CharterVersion | undefined {
  return row === undefined ? undefined : toCharterVersion(row);
}
