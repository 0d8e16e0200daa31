import { promiseModel } from '@message-center/core/testing';
import { describe } from 'vitest';
import { openDatabase } from '../src/database.js';
import { migrate } from '../src/migrate.js';
import { kyselyStorage } from '../src/storage.js';
import { clearTables } from './support/clear-tables.js';
import { describeMysql, useMysqlDatabase } from './support/mysql-suite.js';

describe('the promise, modelled on SQLite', () => {
  promiseModel(
    'Kysely on SQLite in memory',
    async () => {
      const database = openDatabase('sqlite::memory:');
      await migrate(database.db);
      return { ...kyselyStorage(database), close: () => database.close() };
    },
    { numRuns: 30 },
  );
});

describeMysql('the promise, modelled on MySQL', () => {
  const mysql = useMysqlDatabase();
  promiseModel(
    'Kysely on MySQL',
    async () => {
      const { database } = mysql();
      await clearTables(database.db);
      return { ...kyselyStorage(database), close: async () => {} };
    },
    { numRuns: 15, timeoutMs: 180_000 },
  );
});
