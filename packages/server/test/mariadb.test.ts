import { afterAll, describe, expect, it } from 'vitest';
import { conversationFlow } from './flow.js';
import { mysqlUrl, NO_MYSQL, onCi, scratchDatabase } from './mysql-server.js';
import { api, registerUser, startCenter } from './support.js';

if (!mysqlUrl) {
  if (onCi) throw new Error(`MYSQL_URL is required under CI=true: ${NO_MYSQL}`);
  console.warn(NO_MYSQL);
}

describe.runIf(mysqlUrl)('the whole server on MariaDB (MYSQL_URL), over real sockets', () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it('migrates a fresh database, then delivers, catches up and ends sessions as API.md says', async () => {
    const database = await scratchDatabase(mysqlUrl as string);
    drops.push(database.drop);
    // Behaviour, not latency: a shared, loaded MariaDB may take over the production budget
    // (operationTimeout) for a statement; store-hang.test.ts holds the budget itself.
    const running = await startCenter({ databaseUrl: `${database.url}?operationTimeout=60000` });
    try {
      await conversationFlow(running);
      const users = await registerUser(running.base, 'carol');
      const list = await api(running.base, 'GET', '/users?q=A', users.token);
      expect(((await list.json()) as { items: { username: string }[] }).items.map((u) => u.username)).toEqual(['alice']);
    } finally {
      await running.stop();
    }
  });
});
