import type { LocalDelivery, Notification } from '@message-center/core';
import { StoreUnavailable } from '@message-center/core';
import { notifierContract } from '@message-center/core/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { RedisNotifier } from '../src/redis-notifier.js';
import { aChannelPrefix, findRedis, noRedis } from './redis-server.js';

const redis = await findRedis();
if (!redis) noRedis();
afterAll(async () => redis?.stop());

const WAIT = { timeout: 5_000, interval: 10 } as const;

class Recorder implements LocalDelivery {
  readonly received: Notification[] = [];
  deliver(notification: Notification): void {
    this.received.push(notification);
  }
}

const created = (id: string): Notification => ({
  kind: 'event',
  userIds: ['1', '2'],
  event: { type: 'message.created', id, sender: 'alice', recipient: 'bob' },
});

describe.runIf(redis)('RedisNotifier', () => {
  const url = redis?.url ?? '';
  const opened: RedisNotifier[] = [];
  const open = async (delivery: LocalDelivery, channelPrefix: string, onError?: (error: unknown) => void) => {
    const notifier = await RedisNotifier.connect({ url, delivery, channelPrefix, ...(onError ? { onError } : {}) });
    opened.push(notifier);
    return notifier;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((notifier) => notifier.close()));
  });

  notifierContract('RedisNotifier', async (delivery) => {
    const notifier = await RedisNotifier.connect({ url, delivery, channelPrefix: aChannelPrefix() });
    return { notifier, close: () => notifier.close() };
  });

  it('fans out between processes: a publish on one reaches the connections of both, once each', async () => {
    const prefix = aChannelPrefix();
    const [first, second] = [new Recorder(), new Recorder()];
    const one = await open(first, prefix);
    await open(second, prefix);

    await one.publish(created('1'));
    await one.publish({ kind: 'end-sessions', sessionIds: ['9'] });

    const expected = [created('1'), { kind: 'end-sessions', sessionIds: ['9'] }];
    await vi.waitFor(() => expect(second.received).toEqual(expected), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(first.received).toEqual(expected);
    expect(second.received).toEqual(expected);
  });

  it('does not cross channel prefixes', async () => {
    const [mine, theirs] = [new Recorder(), new Recorder()];
    const notifier = await open(mine, aChannelPrefix());
    const other = await open(theirs, aChannelPrefix());
    await notifier.publish(created('1'));
    await other.publish(created('2'));
    await vi.waitFor(() => expect(mine.received).toEqual([created('1')]), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(theirs.received).toEqual([created('2')]);
  });

  it('ignores malformed payloads and strips what a stray publisher adds', async () => {
    const prefix = aChannelPrefix();
    const received = new Recorder();
    await open(received, prefix);
    const stray = new Redis(url);
    try {
      const channel = `${prefix}:notifications`;
      for (const payload of [
        'not json',
        '[]',
        '{"v":2,"origin":"x","notification":{"kind":"end-sessions","sessionIds":["1"]}}',
        '{"v":1,"origin":"x","notification":{"kind":"event","userIds":[1],"event":{"type":"message.created","id":"1","sender":"a","recipient":"b"}}}',
        '{"v":1,"origin":"x","notification":{"kind":"event","userIds":["1"],"event":{"type":"unknown"}}}',
        '{"v":1,"origin":"x","notification":{"kind":"nuke"}}',
      ]) {
        await stray.publish(channel, payload);
      }
      await stray.publish(
        channel,
        JSON.stringify({
          v: 1,
          origin: 'another-process',
          notification: { ...created('7'), extra: 1, event: { ...(created('7') as { event: object }).event, html: '<script>' } },
        }),
      );
      await vi.waitFor(() => expect(received.received).toHaveLength(1), WAIT);
      expect(received.received).toEqual([created('7')]);
    } finally {
      stray.disconnect();
    }
  });

  it('refuses to start when Redis cannot be reached, naming no address or password', async () => {
    const connecting = RedisNotifier.connect({
      url: 'redis://user:s3cret@127.0.0.1:1',
      delivery: new Recorder(),
      redisOptions: { retryStrategy: () => null },
    });
    await expect(connecting).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(connecting).rejects.not.toThrow(/s3cret|127\.0\.0\.1/);
  });

  it('survives a broker outage: publish neither rejects nor waits, local delivery goes on, and fan-out resumes after reconnecting', async () => {
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(url);
    try {
      const prefix = aChannelPrefix();
      const errors: unknown[] = [];
      const [local, remote] = [new Recorder(), new Recorder()];
      const cutOff = await RedisNotifier.connect({
        url: proxied,
        delivery: local,
        channelPrefix: prefix,
        onError: (error) => errors.push(error),
        redisOptions: { retryStrategy: () => 50 },
      });
      opened.push(cutOff);
      const other = await open(remote, prefix);

      await proxy.cut();
      const started = Date.now();
      await expect(cutOff.publish(created('1'))).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(local.received).toEqual([created('1')]);
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), WAIT);
      expect(remote.received).toEqual([]);

      await proxy.start();
      // Both directions come back once ioredis has reconnected and resubscribed.
      await vi.waitFor(async () => {
        await other.publish(created('from-other'));
        expect(local.received).toContainEqual(created('from-other'));
      }, WAIT);
      await vi.waitFor(async () => {
        await cutOff.publish(created('from-cut-off'));
        expect(remote.received).toContainEqual(created('from-cut-off'));
      }, WAIT);
    } finally {
      await proxy.cut();
    }
  });

  it('says when the subscription is back after an outage, not on the first subscribe, and only once it is active', async () => {
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(url);
    try {
      const prefix = aChannelPrefix();
      const local = new Recorder();
      const other = await open(new Recorder(), prefix);
      let resubscribed = 0;
      const cutOff = await RedisNotifier.connect({
        url: proxied,
        delivery: local,
        channelPrefix: prefix,
        onError: () => {},
        onResubscribed: () => {
          resubscribed += 1;
          void other.publish(created(`after-${resubscribed}`));
        },
        redisOptions: { retryStrategy: () => 50 },
      });
      opened.push(cutOff);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(resubscribed).toBe(0);

      for (const round of [1, 2]) {
        await proxy.cut();
        await other.publish(created(`lost-${round}`));
        await new Promise((resolve) => setTimeout(resolve, 150));
        await proxy.start();
        await vi.waitFor(() => expect(resubscribed).toBe(round), WAIT);
        // Published from inside the callback, so it arrives only if the subscription was live by then.
        await vi.waitFor(() => expect(local.received).toContainEqual(created(`after-${round}`)), WAIT);
      }
      expect(local.received).not.toContainEqual(created('lost-1'));
      // Each time, before the caller heard of it, its own connections were told to catch up.
      expect(local.received.filter((n) => n.kind === 'resync')).toHaveLength(2);
      expect(local.received).not.toContainEqual(created('lost-2'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(resubscribed).toBe(2);
    } finally {
      await proxy.cut();
    }
  });

  it('tells its own connections to resync when the subscription is back, before anything published afterwards', async () => {
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(url);
    try {
      const prefix = aChannelPrefix();
      const local = new Recorder();
      const other = await open(new Recorder(), prefix);
      const cutOff = await RedisNotifier.connect({
        url: proxied,
        delivery: local,
        channelPrefix: prefix,
        onError: () => {},
        redisOptions: { retryStrategy: () => 50 },
      });
      opened.push(cutOff);
      await proxy.cut();
      await other.publish(created('lost'));
      await proxy.start();
      await vi.waitFor(() => expect(local.received).toEqual([{ kind: 'resync' }]), WAIT);
      await other.publish(created('after'));
      await vi.waitFor(() => expect(local.received).toEqual([{ kind: 'resync' }, created('after')]), WAIT);
    } finally {
      await proxy.cut();
    }
  });

  it('after a publish that failed, tells the other processes to resync once it can publish again, even if their link never broke', async () => {
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(url);
    try {
      const prefix = aChannelPrefix();
      const remote = new Recorder();
      await open(remote, prefix);
      const cutOff = await RedisNotifier.connect({
        url: proxied,
        delivery: new Recorder(),
        channelPrefix: prefix,
        onError: () => {},
        redisOptions: { retryStrategy: () => 50 },
      });
      opened.push(cutOff);

      await proxy.cut();
      await cutOff.publish(created('never-arrives'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(remote.received).toEqual([]);
      await proxy.start();
      await vi.waitFor(() => expect(remote.received).toEqual([{ kind: 'resync' }]), WAIT);
      // Owed once: later publishes carry no further resync.
      await cutOff.publish(created('next'));
      await vi.waitFor(() => expect(remote.received).toEqual([{ kind: 'resync' }, created('next')]), WAIT);
    } finally {
      await proxy.cut();
    }
  });

  it('owes no resync when nothing was lost', async () => {
    const prefix = aChannelPrefix();
    const remote = new Recorder();
    await open(remote, prefix);
    const notifier = await open(new Recorder(), prefix);
    await notifier.publish(created('1'));
    await notifier.publish(created('2'));
    await vi.waitFor(() => expect(remote.received).toHaveLength(2), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(remote.received).toEqual([created('1'), created('2')]);
  });
});
