import { afterEach, beforeEach, describe } from 'vitest';
import { type OpenDatabase, openDatabase, type StorageDatabase } from '../../src/database.js';
import { migrate } from '../../src/migrate.js';
import { clearTables } from './clear-tables.js';
import { describeMysql, useMysqlDatabase } from './mysql-suite.js';

/** Runs the same tests on a fresh SQLite in memory per test and on MySQL (emptied after each test). */
export function onEveryEngine(behaviour: (engine: string, database: () => StorageDatabase) => void): void {
  describe('SQLite', () => {
    let database: OpenDatabase;
    beforeEach(async () => {
      database = openDatabase('sqlite::memory:');
      await migrate(database.db);
    });
    afterEach(() => database.close());
    behaviour('SQLite', () => database);
  });

  describeMysql('MySQL', () => {
    const mysql = useMysqlDatabase();
    afterEach(() => clearTables(mysql().database.db));
    behaviour('MySQL', () => mysql().database);
  });
}
