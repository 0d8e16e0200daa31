import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { mysqlUrl, NO_MYSQL, onCi, scratchDatabase } from './mysql-server.js';
import { type Account, api, type Running, registerUser, startCenter } from './support.js';

if (!mysqlUrl) {
  if (onCi) throw new Error(`MYSQL_URL is required under CI=true: ${NO_MYSQL}`);
  console.warn(NO_MYSQL);
}

/** API.md: "A send whose store does not answer fails with 503 unavailable within 2 s; it never hangs." */
const CONTRACT_MS = 2_000;

describe.runIf(mysqlUrl)('a MariaDB that hangs (partitioned: connections neither answer nor fail)', () => {
  let proxy: TcpProxy;
  let running: Running;
  let drop: () => Promise<void>;
  let alice: Account;
  beforeAll(async () => {
    const database = await scratchDatabase(`${mysqlUrl}`);
    drop = database.drop;
    const proxied = await TcpProxy.inFrontOf(database.url);
    proxy = proxied.proxy;
    // A pool of 4, so the sends below outnumber the connections: none may queue for one.
    running = await startCenter({ databaseUrl: `${proxied.url}?connectionLimit=4` });
    alice = await registerUser(running.base, 'alice');
    await registerUser(running.base, 'bob');
  });
  afterAll(async () => {
    proxy.resume();
    await running.stop();
    await proxy.cut();
    await drop();
  });

  it('answers every send with 503 unavailable within 2 s, 12 at once on a pool of 4 (none queues behind the others), and heals', async () => {
    proxy.hang();
    const timed = async (body: string) => {
      const started = Date.now();
      const response = await api(running.base, 'POST', '/messages', alice.token, { recipient: 'bob', body, clientId: body });
      return { status: response.status, problem: (await response.json()) as { type: string }, ms: Date.now() - started };
    };
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => timed(`during the partition ${i}`)));
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 503, problem: { type: '/problems/unavailable' } });
      expect(outcome.ms).toBeLessThan(CONTRACT_MS);
    }
    const started = Date.now();
    expect((await fetch(`${running.base}/healthz`)).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(CONTRACT_MS);

    proxy.resume();
    const after = await api(running.base, 'POST', '/messages', alice.token, { recipient: 'bob', body: 'healed' });
    expect(after.status).toBe(201);
    // Nothing from the partition was half-stored: the only message is the one sent after it.
    const history = await api(running.base, 'GET', '/messages?with=bob', alice.token);
    expect(((await history.json()) as { items: { body: string }[] }).items.map((m) => m.body)).toEqual(['healed']);
  });
});
