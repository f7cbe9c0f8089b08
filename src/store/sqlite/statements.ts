/** Prepared statements for queries built from a filter: prepared once per shape, then reused. */
import type { Database, Statement } from "better-sqlite3";

export type PrepareCached = <P extends unknown[], R>(sql: string) => Statement<P, R>;

export function statementCache(db: Database): PrepareCached {
  const cache = new Map<string, Statement<unknown[], unknown>>();
  return <P extends unknown[], R>(sql: string): Statement<P, R> => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare<unknown[], unknown>(sql);
      cache.set(sql, statement);
    }
    return statement as unknown as Statement<P, R>;
  };
}
