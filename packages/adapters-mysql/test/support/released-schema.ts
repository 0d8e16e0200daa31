import { type Kysely, type Migration, Migrator } from 'kysely';
import { afterEach, describe, expect } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../src/database.js';
import { dialectNamed } from '../../src/dialects/index.js';
import { migrate } from '../../src/migrate.js';
import { migrations } from '../../src/migrations/list.js';
import { describeMysql, scratchOnMysqlServer } from './mysql-suite.js';

/** The schema as released before migration `step`: every migration whose name sorts before it. */
async function migrateToReleaseBefore(database: OpenDatabase, step: string): Promise<void> {
  const released = Object.fromEntries(Object.entries(migrations(dialectNamed(database.dialect))).filter(([name]) => name < step));
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => released } });
  const outcome = await migrator.migrateToLatest();
  if (outcome.error !== undefined) throw outcome.error;
}

/** A database of the release before the migration under test, and what `populate` wrote into it. */
export interface Released<Rows> {
  readonly database: OpenDatabase;
  readonly before: Rows;
}

/**
 * The tests of migration `step`, on a fresh SQLite database and on a scratch
 * MySQL database per test. Each call of `released` opens one, brings it to
 * the schema released before `step` and populates it as the code of that
 * release did; the test's databases are closed (and dropped) after it.
 */
export function onReleasedSchema<Rows>(
  step: string,
  populate: (database: OpenDatabase) => Promise<Rows>,
  tests: (released: () => Promise<Released<Rows>>) => void,
): void {
  function onEngine(open: () => Promise<{ database: OpenDatabase; drop?: () => Promise<void> }>) {
    const opened: { database: OpenDatabase; drop?: () => Promise<void> }[] = [];
    afterEach(async () => {
      for (const { database, drop } of opened.splice(0)) {
        try {
          await database.close();
        } finally {
          await drop?.();
        }
      }
    });
    tests(async () => {
      const scratch = await open();
      opened.push(scratch);
      await migrateToReleaseBefore(scratch.database, step);
      return { database: scratch.database, before: await populate(scratch.database) };
    });
  }

  describe(`migration ${step} on a populated SQLite file of the released schema`, () => {
    onEngine(async () => ({ database: openDatabase('sqlite::memory:') }));
  });
  describeMysql(`migration ${step} on a populated MySQL database of the released schema`, () => {
    onEngine(async () => {
      const scratch = await scratchOnMysqlServer();
      return { database: openDatabase(scratch.url), drop: scratch.drop };
    });
  });
}

/**
 * Every migration left, as an upgrade runs them; what that run did, as
 * [name, status]. Checks that running them again finds nothing left to do.
 */
export async function migrateToLatest(database: OpenDatabase): Promise<[string, string][] | undefined> {
  const outcome = await migrate(database.db);
  expect((await migrate(database.db)).results).toEqual([]);
  return outcome.results?.map((r) => [r.migrationName, r.status]);
}

/**
 * A step's `up` twice, as if the process died before the migration was
 * recorded (MySQL commits DDL statement by statement), then every migration.
 */
export async function rerunHalfFinished(
  database: OpenDatabase,
  step: (dialect: ReturnType<typeof dialectNamed>) => Migration,
): Promise<void> {
  const migration = step(dialectNamed(database.dialect));
  await migration.up(database.db as Kysely<unknown>);
  await migration.up(database.db as Kysely<unknown>);
  await migrate(database.db);
}
