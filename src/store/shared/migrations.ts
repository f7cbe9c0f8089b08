/**
 * Migration bookkeeping, the same for both stores: numbered modules exporting SQL, each recorded in
 * `charter_migrations` once applied. Each store applies them in its own kind of transaction.
 */

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

/** A row of `charter_migrations`. */
export interface AppliedMigration {
  readonly id: number;
  readonly name: string;
}

/**
 * The migrations not applied yet, in order. Throws if the database has one this code does not know:
 * a newer Charter migrated it, and running older code on it could corrupt it.
 */
export function pendingMigrations(
  applied: readonly AppliedMigration[],
  migrations: readonly Migration[],
): Migration[] {
  const known = new Set(migrations.map((m) => m.id));
  const unknown = applied.filter((row) => !known.has(row.id));
  if (unknown.length > 0) {
    throw new Error(
      `the database has migrations this version of Charter does not know (${unknown.map((m) => `${m.id}-${m.name}`).join(", ")}): upgrade Charter`,
    );
  }
  const done = new Set(applied.map((row) => row.id));
  return migrations.filter((m) => !done.has(m.id));
}
