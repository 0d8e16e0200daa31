import { checkHealth, kyselyStorage, migrate, openDatabase } from '@message-center/adapters-mysql';
// The HTTP adapter's row-by-row suite of API.md, run here because only the
// server may know two adapters at once (the HTTP adapter cannot import SQL storage).
import { describeApi } from '../../adapters-http/test/api-suite.js';

describeApi('SQLite storage', async () => {
  const database = openDatabase('sqlite::memory:');
  await migrate(database.db);
  return {
    storage: kyselyStorage(database),
    healthCheck: async () => {
      await checkHealth(database.db);
      return true;
    },
    close: () => database.close(),
  };
});
