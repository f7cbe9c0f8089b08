/** Charter versions: immutable, content-addressed, stored once. */
import type pg from "pg";
import { toMs } from "../shared/time.js";
import type { CharterVersion } from "../store.js";
import type { CharterVersionRow } from "../shared/rows.js";
import type { Tables } from "./tables.js";
import { toCharterVersion } from "../shared/mappers.js";

export type CharterQueries = ReturnType<typeof charterQueries>;

const COLUMNS = "workflow, version, definition, source, deployed_at";

export function charterQueries(t: Tables) {
  const get = `SELECT ${COLUMNS} FROM ${t.charterVersions} WHERE workflow = $1 AND version = $2`;
  // deployed_order breaks a tie of deployed_at: the later insert is the later deployment.
  const latest = `SELECT ${COLUMNS} FROM ${t.charterVersions} WHERE workflow = $1
    ORDER BY deployed_at DESC, deployed_order DESC LIMIT 1`;
  const list = `SELECT ${COLUMNS} FROM ${t.charterVersions} ORDER BY workflow, deployed_at, deployed_order`;
  const insert = `INSERT INTO ${t.charterVersions} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`;
  return {
    /** False when the version was stored already. */
    async deploy(c: pg.ClientBase, version: CharterVersion): Promise<boolean> {
      const result = await c.query(insert, [
        version.workflow,
        version.version,
        JSON.stringify(version.definition),
        version.source,
        toMs(version.deployedAt, "deployedAt"),
      ]);
      return (result.rowCount ?? 0) > 0;
    },
    get: async (c: pg.ClientBase, workflow: string, version: string) =>
      mapOptional((await c.query<CharterVersionRow>(get, [workflow, version])).rows[0]),
    latest: async (c: pg.ClientBase, workflow: string) =>
      mapOptional((await c.query<CharterVersionRow>(latest, [workflow])).rows[0]),
    list: async (c: pg.ClientBase): Promise<CharterVersion[]> =>
      (await c.query<CharterVersionRow>(list)).rows.map(toCharterVersion),
  };
}

function mapOptional(row: CharterVersionRow | undefined): CharterVersion | undefined {
  return row === undefined ? undefined : toCharterVersion(row);
}
