import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { Client, type Running, registerUser, sendMessage, startCenter, tempDir } from './support.js';

const redisUrl = process.env.REDIS_URL_FOR_TESTS ?? process.env.REDIS_URL;
const NO_REDIS = '\n*** server Redis fan-out test NOT RUN: no REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379). ***\n';
if (!redisUrl) {
  if (process.env.CI === 'true') throw new Error(`REDIS_URL is required under CI=true: ${NO_REDIS}`);
  console.warn(NO_REDIS);
}

describe.runIf(redisUrl)('two server processes behind one Redis (REDIS_URL)', () => {
  const stops: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it("delivers a message sent on one server to the other server's connections, and ends sessions there", async () => {
    const dir = tempDir();
    stops.push(dir.remove);
    // One store shared by both, as two processes behind a load balancer share MySQL.
    const databaseUrl = `sqlite:${join(dir.path, 'shared.sqlite')}`;
    const channel = `test-${Date.now()}`;
    const servers: Running[] = [];
    for (let i = 0; i < 2; i++) {
      const running = await startCenter({ databaseUrl, redisUrl: `${redisUrl}`, redisChannelPrefix: channel });
      stops.push(running.stop);
      servers.push(running);
    }
    const [east, west] = servers as [Running, Running];
    const alice = await registerUser(east.base, 'alice');
    const bob = await registerUser(east.base, 'bob');
    const bobOnWest = await Client.open(west.wsBase, bob.token);
    const aliceOnWest = await Client.open(west.wsBase, alice.token);

    const message = await sendMessage(east.base, alice, 'bob', 'across processes');
    for (const client of [bobOnWest, aliceOnWest]) {
      expect(await client.next((f) => f.type === 'message.created')).toEqual({
        type: 'message.created',
        id: message.id,
        sender: 'alice',
        recipient: 'bob',
      });
    }
    const loggedOut = await fetch(`${east.base}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${bob.token}` } });
    expect(loggedOut.status).toBe(204);
    expect((await bobOnWest.closed).code).toBe(4401);
    await aliceOnWest.close();
  });

  it('closes the sockets of a session ended while Redis was away once the subscription is back, and keeps the others', async () => {
    const dir = tempDir();
    stops.push(dir.remove);
    const databaseUrl = `sqlite:${join(dir.path, 'shared.sqlite')}`;
    const channel = `test-${Date.now()}-outage`;
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(`${redisUrl}`);
    stops.push(() => proxy.cut());
    const east = await startCenter({ databaseUrl, redisUrl: `${redisUrl}`, redisChannelPrefix: channel });
    stops.push(east.stop);
    // Only the west server reaches Redis through the proxy, so only it misses what is published during the cut.
    const west = await startCenter({ databaseUrl, redisUrl: proxied, redisChannelPrefix: channel });
    stops.push(west.stop);
    const alice = await registerUser(east.base, 'alice');
    const bob = await registerUser(east.base, 'bob');
    const bobOnWest = await Client.open(west.wsBase, bob.token);
    const aliceOnWest = await Client.open(west.wsBase, alice.token);

    await proxy.cut();
    const loggedOut = await fetch(`${east.base}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${bob.token}` } });
    expect(loggedOut.status).toBe(204);
    const early = await Promise.race([bobOnWest.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 300))]);
    expect(early).toBe('still open');

    await proxy.start();
    // ioredis retries within 2 s; well before bob's session would expire on its own.
    const afterOutage = await Promise.race([bobOnWest.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 8_000))]);
    expect(afterOutage).toMatchObject({ code: 4401 });
    // Alice's session stands: her socket stays, and fan-out reaches it again.
    const message = await sendMessage(east.base, alice, 'bob', 'after the outage');
    expect(await aliceOnWest.next((f) => f.type === 'message.created' && f.id === message.id)).toMatchObject({ sender: 'alice' });
    await aliceOnWest.close();
  });
});
