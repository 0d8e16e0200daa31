import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { dialectOf } from './dialects/index.js';
import { migrations } from './migrations/list.js';
import { guardedLongRunning } from './store-errors.js';

/** Brings the schema up to date; running it again does nothing. Throws `StoreUnavailable` when the database is down. */
export async function migrate<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  const dialect = dialectOf(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(dialect) } });
  return guardedLongRunning(dialect, async () => {
    const outcome = await migrator.migrateToLatest();
    if (outcome.error !== undefined) throw outcome.error;
    return outcome;
  });
}
