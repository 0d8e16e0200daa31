import { afterEach, describe, expect, it } from 'vitest';
import { RedisProcess } from '../../../test-support/redis-process.js';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { type ServeProcess, startServe } from './cli-process.js';
import { mysqlUrl, NO_MYSQL, onCi, scratchDatabase } from './mysql-server.js';
import { api, Client, registerUser, tempDir } from './support.js';

if (!mysqlUrl) {
  if (onCi) throw new Error(`MYSQL_URL is required under CI=true: ${NO_MYSQL}`);
  console.warn(NO_MYSQL);
}

describe.runIf(mysqlUrl)('graceful shutdown (SIGTERM) of a process on MariaDB and Redis', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const kill = (server: ServeProcess) => () => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  };

  it('lets a send in flight at SIGTERM commit AND notify: Redis and the pool close only after the last request', async () => {
    const redis = await RedisProcess.start();
    cleanups.push(() => redis.stop());
    const database = await scratchDatabase(`${mysqlUrl}`);
    cleanups.push(() => database.drop());
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(database.url);
    cleanups.push(() => proxy.cut());
    const dir = tempDir();
    cleanups.push(dir.remove);

    // The stopping process reaches MariaDB through the proxy, so a send can be held in flight;
    // generous budget: only the shutdown is on trial here.
    const stopping = await startServe({ DATABASE_URL: `${proxied}?operationTimeout=5000`, REDIS_URL: redis.url }, dir.path);
    cleanups.push(kill(stopping));
    const staying = await startServe({ DATABASE_URL: database.url, REDIS_URL: redis.url }, dir.path);
    cleanups.push(kill(staying));
    const alice = await registerUser(staying.url, 'alice');
    const bob = await registerUser(staying.url, 'bob');
    const bobOnStaying = await Client.open(staying.url.replace('http', 'ws'), bob.token);
    cleanups.push(() => bobOnStaying.close());

    proxy.hang();
    const sending = api(stopping.url, 'POST', '/messages', alice.token, { recipient: 'bob', body: 'in flight at SIGTERM' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    stopping.signal('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.resume();

    const response = await sending;
    expect(response.status).toBe(201);
    const message = (await response.json()) as { id: string };
    expect(await bobOnStaying.next((frame) => frame.type === 'message.created', 5_000)).toEqual({
      type: 'message.created',
      id: message.id,
      sender: 'alice',
      recipient: 'bob',
    });
    expect((await stopping.exited).code).toBe(0);
    expect(stopping.output()).not.toMatch(/fan-out failed|Connection is closed/);
  }, 90_000); // two processes start on a machine shared with other test runs
});
