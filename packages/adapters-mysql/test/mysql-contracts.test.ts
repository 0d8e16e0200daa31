import { storageContracts } from '@message-center/core/testing';
import { kyselyStorage } from '../src/storage.js';
import { clearTables } from './support/clear-tables.js';
import { describeMysql, useMysqlDatabase } from './support/mysql-suite.js';

describeMysql('MySQL', () => {
  const mysql = useMysqlDatabase();
  storageContracts('Kysely on MySQL', async () => {
    const { database } = mysql();
    // Tables are created once per file; emptying them is much faster than migrating again.
    await clearTables(database.db);
    return { ...kyselyStorage(database), close: async () => {} };
  });
});
