import { randomUUID } from 'node:crypto';
import { rateLimiterContract } from '@message-center/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiters } from '../src/redis-rate-limiters.js';
import { findRedis, noRedis, type RedisServer } from './redis-server.js';

let server: RedisServer | undefined;
const opened: RedisRateLimiters[] = [];
let stores: RedisRateLimiters | undefined;
/** Unique per run: the Redis is shared with other test runs. */
const keyPrefix = `message-center-test-${randomUUID()}`;

const open = async (prefix = keyPrefix) => {
  if (!server) throw new Error('no Redis');
  const store = await RedisRateLimiters.connect({ url: server.url, keyPrefix: prefix });
  opened.push(store);
  return store;
};

beforeAll(async () => {
  server = await findRedis();
  if (!server) return noRedis();
  stores = await open();
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await server?.stop();
});

rateLimiterContract('Redis', () => {
  if (!stores) throw new Error('no Redis');
  return stores;
});

describe('RedisRateLimiters across processes', () => {
  it('shares one count between two connections with the same prefix, and none with another prefix', async () => {
    const [first, second, stranger] = [await open(), await open(), await open(`${keyPrefix}-other`)];
    const limit = { points: 4, durationSeconds: 60 };
    const a = first.create('shared', limit);
    const b = second.create('shared', limit);
    const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).consume('alice')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(4);
    expect(await stranger.create('shared', limit).consume('alice')).toEqual({ allowed: true });
  });
});
