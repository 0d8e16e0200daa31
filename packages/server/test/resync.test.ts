import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { Client, type Running, registerUser, sendMessage, startCenter, tempDir } from './support.js';
import { startWebClient, type WebClient } from './web-client.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl && process.env.CI === 'true') throw new Error('REDIS_URL is required under CI=true for the resync tests');

describe.runIf(redisUrl)('resync: connected clients get what the broker dropped, without reconnecting', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Two processes on one store; only `west` reaches Redis through the proxy, so only it can be cut off. */
  async function twoProcesses() {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const databaseUrl = `sqlite:${join(dir.path, 'shared.sqlite')}`;
    const redisChannelPrefix = `resync-test-${Date.now()}-${Math.random()}`;
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(`${redisUrl}`);
    cleanups.push(() => proxy.cut());
    const east = await startCenter({ databaseUrl, redisUrl: `${redisUrl}`, redisChannelPrefix });
    cleanups.push(east.stop);
    const west: Running = await startCenter({ databaseUrl, redisUrl: proxied, redisChannelPrefix });
    cleanups.push(west.stop);
    const alice = await registerUser(east.base, 'alice');
    const bob = await registerUser(east.base, 'bob');
    return { east, west, proxy, alice, bob };
  }

  const client = async (base: string, token: string): Promise<WebClient> => {
    const started = await startWebClient(base, token);
    cleanups.push(started.stop);
    return started;
  };

  it('the subscription comes back: every connection of that process gets resync, and the web client catches up on it', async () => {
    const { east, west, proxy, alice, bob } = await twoProcesses();
    const bobOnWest = await client(west.base, bob.token);
    const raw = await Client.open(west.wsBase, alice.token);
    cleanups.push(() => raw.close());

    await proxy.cut();
    const sent: { id: string }[] = [];
    for (let i = 0; i < 5; i++) sent.push(await sendMessage(east.base, alice, 'bob', `while the broker is away ${i}`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobOnWest.messages.size).toBe(0);

    await proxy.start();
    expect(await raw.next((frame) => frame.type === 'resync', 10_000)).toEqual({ type: 'resync' });
    await vi.waitFor(() => expect([...bobOnWest.messages.keys()]).toEqual(sent.map((m) => m.id)), { timeout: 10_000, interval: 50 });
    // Caught up on the open socket: no reconnect was needed, and each message came once.
    expect(bobOnWest.readies()).toBe(1);
    expect([...bobOnWest.emitted.values()].every((count) => count === 1)).toBe(true);
    expect(bobOnWest.realtime.cursor).toBe(sent.at(-1)?.id);
  });

  it("a publish failed: once the publisher is back, the other process's clients resync though their own link never broke", async () => {
    const { east, west, proxy, alice, bob } = await twoProcesses();
    // Bob listens on east, whose link to Redis stays up; alice sends through west, whose link is cut.
    const bobOnEast = await client(east.base, bob.token);

    await proxy.cut();
    const sent = await sendMessage(west.base, alice, 'bob', 'published into the void');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobOnEast.messages.size).toBe(0);

    await proxy.start();
    await vi.waitFor(() => expect([...bobOnEast.messages.keys()]).toEqual([sent.id]), { timeout: 10_000, interval: 50 });
    expect(bobOnEast.readies()).toBe(1);
  });
});
