import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import { dialectOf } from '../dialects/index.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { guarded } from '../store-errors.js';
import { initialSchema } from './0001-initial.js';

/** In code rather than globbed from disk, so a bundled or installed package migrates the same way. */
export function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(dialect),
  };
}

/** Brings the schema up to date; running it again does nothing. */
export async function migrate<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  const dialect = dialectOf(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(dialect) } });
  return guarded(dialect, async () => {
    const outcome = await migrator.migrateToLatest();
    if (outcome.error !== undefined) throw outcome.error;
    return outcome;
  });
}
