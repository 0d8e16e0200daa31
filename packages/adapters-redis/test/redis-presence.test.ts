import type { Presence } from '@message-center/core';
import { presenceContract } from '@message-center/core/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { RedisPresence } from '../src/redis-presence.js';
import { aChannelPrefix, findRedis, noRedis } from './redis-server.js';

const redis = await findRedis();
if (!redis) noRedis();
afterAll(async () => redis?.stop());

/** Fast beats so a crash is noticed within a test's patience; the defaults are 5 s and 15 s. */
const FAST = { heartbeatMs: 100, leaseMs: 500 } as const;

describe.runIf(redis)('RedisPresence', () => {
  const url = redis?.url ?? '';

  presenceContract('RedisPresence', async ({ graceMs }) => {
    const keyPrefix = aChannelPrefix();
    const opened: RedisPresence[] = [];
    const proxies = new Map<Presence, TcpProxy>();
    return {
      async open() {
        // Each process reaches Redis through its own proxy, so a test can cut one off as a crash would.
        const { proxy, url: proxied } = await TcpProxy.inFrontOf(url);
        const presence = await RedisPresence.connect({
          url: proxied,
          keyPrefix,
          graceMs,
          ...FAST,
          redisOptions: { retryStrategy: () => 50 },
        });
        opened.push(presence);
        proxies.set(presence, proxy);
        return presence;
      },
      // The process vanishes from Redis's point of view: no more beats, no clean-up.
      crash: async (presence) => proxies.get(presence)?.cut(),
      async close() {
        await Promise.all(opened.map((presence) => presence.close()));
        await Promise.all([...proxies.values()].map((proxy) => proxy.cut()));
        await removeKeys(url, keyPrefix);
      },
    };
  });

  it('keeps its keys under its prefix and tidies a dead process away', async () => {
    const keyPrefix = aChannelPrefix();
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(url);
    const doomed = await RedisPresence.connect({ url: proxied, keyPrefix, graceMs: 100, ...FAST });
    const survivor = await RedisPresence.connect({ url, keyPrefix, graceMs: 100, ...FAST });
    const admin = new Redis(url);
    try {
      doomed.connected({ id: '1', username: 'alice' });
      await vi.waitFor(async () => expect((await survivor.statusOf(['1']))[0]?.online).toBe(true), { timeout: 5_000 });
      const keys = await admin.keys(`${keyPrefix}*`);
      expect(keys.every((key) => key.startsWith(`${keyPrefix}:presence:`))).toBe(true);
      await proxy.cut();
      await vi.waitFor(async () => expect(await admin.zcard(`${keyPrefix}:presence:nodes`)).toBe(1), { timeout: 10_000 });
      expect(await admin.exists(`${keyPrefix}:presence:user:1`)).toBe(0);
      expect(await admin.hexists(`${keyPrefix}:presence:seen`, '1')).toBe(1);
    } finally {
      await Promise.all([doomed.close(), survivor.close()]);
      await removeKeys(url, keyPrefix);
      admin.disconnect();
    }
  });

  it('says who is here again when it was taken for dead while cut off from Redis', async () => {
    const keyPrefix = aChannelPrefix();
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(url);
    const partitioned = await RedisPresence.connect({
      url: proxied,
      keyPrefix,
      graceMs: 100,
      ...FAST,
      redisOptions: { retryStrategy: () => 50 },
    });
    const observer = await RedisPresence.connect({ url, keyPrefix, graceMs: 100, ...FAST });
    const heard: boolean[] = [];
    observer.onChange((change) => heard.push(change.online));
    try {
      partitioned.connected({ id: '7', username: 'bob' });
      await vi.waitFor(() => expect(heard).toEqual([true]), { timeout: 5_000 });
      await proxy.cut();
      await vi.waitFor(() => expect(heard).toEqual([true, false]), { timeout: 10_000 });
      await proxy.start();
      await vi.waitFor(() => expect(heard).toEqual([true, false, true]), { timeout: 10_000 });
      expect((await observer.statusOf(['7']))[0]?.online).toBe(true);
    } finally {
      await Promise.all([partitioned.close(), observer.close()]);
      await proxy.cut();
      await removeKeys(url, keyPrefix);
    }
  });

  it('stops counting the connections of a process that shuts down cleanly at once, though its users keep the grace', async () => {
    const keyPrefix = aChannelPrefix();
    const leaving = await RedisPresence.connect({ url, keyPrefix, graceMs: 5_000, ...FAST });
    const staying = await RedisPresence.connect({ url, keyPrefix, graceMs: 5_000, ...FAST });
    try {
      const pat = { id: `${Date.now()}1`, username: 'pat' };
      expect(await leaving.admit(pat, 1)).toBe(true);
      expect(await staying.admit(pat, 1)).toBe(false);
      await leaving.close();
      // A reconnect that lands here after a restart there is not refused for the sockets that just closed.
      expect((await staying.statusOf([pat.id]))[0]?.online).toBe(true);
      expect(await staying.admit(pat, 1)).toBe(true);
    } finally {
      await Promise.all([leaving.close(), staying.close()]);
      await removeKeys(url, keyPrefix);
    }
  });
});

/** Only this run's keys: the server is shared, so never FLUSHALL. */
async function removeKeys(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url);
  try {
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
  } finally {
    admin.disconnect();
  }
}
