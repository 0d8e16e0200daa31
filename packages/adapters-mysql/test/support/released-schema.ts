import { type Kysely, type Migration, Migrator } from 'kysely';
import { afterEach, describe } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../src/database.js';
import { dialectNamed } from '../../src/dialects/index.js';
import { migrate } from '../../src/migrate.js';
import { migrations } from '../../src/migrations/list.js';
import { describeMysql, scratchOnMysqlServer } from './mysql-suite.js';

/** The schema as released before migration `step`: every migration whose name sorts before it. */
export async function migrateToReleaseBefore(database: OpenDatabase, step: string): Promise<void> {
  const released = Object.fromEntries(Object.entries(migrations(dialectNamed(database.dialect))).filter(([name]) => name < step));
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => released } });
  const outcome = await migrator.migrateToLatest();
  if (outcome.error !== undefined) throw outcome.error;
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

/**
 * The same tests of a migration on a fresh SQLite database and on a scratch
 * MySQL database per test; `open` gives the test its empty database.
 */
export function onEveryEngineEmpty(title: string, behaviour: (open: () => Promise<OpenDatabase>) => void): void {
  describe(`${title} on a populated SQLite file of the released schema`, () => {
    behaviour(async () => openDatabase('sqlite::memory:'));
  });
  describeMysql(`${title} on a populated MySQL database of the released schema`, () => {
    const drops: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const drop of drops.splice(0)) await drop();
    });
    behaviour(async () => {
      const scratch = await scratchOnMysqlServer();
      drops.push(scratch.drop);
      return openDatabase(scratch.url);
    });
  });
}
