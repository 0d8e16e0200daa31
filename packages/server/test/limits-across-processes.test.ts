import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServe } from './cli-process.js';
import { PASSWORD, tempDir } from './support.js';

const redisUrl = process.env.REDIS_URL_FOR_TESTS ?? process.env.REDIS_URL;
const NO_REDIS = '\n*** server limits-across-processes test NOT RUN: no REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379). ***\n';
if (!redisUrl) {
  if (process.env.CI === 'true') throw new Error(`REDIS_URL is required under CI=true: ${NO_REDIS}`);
  console.warn(NO_REDIS);
}

async function post(
  base: string,
  path: string,
  json: unknown,
  token?: string,
): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : null };
}

describe.runIf(redisUrl)('limits shared by two server processes on one Redis (REDIS_URL)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('counts sends per user and failed logins per address once for both processes, not once each', async () => {
    const dir = tempDir();
    cleanups.push(async () => dir.remove());
    const env = {
      DATABASE_URL: `sqlite:${join(dir.path, 'shared.sqlite')}`,
      REDIS_URL: `${redisUrl}`,
      // Its own keys on the shared Redis: nobody else's counts, and no one else's test reads ours.
      REDIS_CHANNEL_PREFIX: `test-limits-${Date.now()}-${process.pid}`,
      MESSAGE_RATE: '2',
      LOGIN_FAILURES_PER_ADDRESS: '6',
    };
    const stop = (p: ServeProcess) => async () => {
      p.signal('SIGTERM');
      await p.exited;
    };
    // One after the other: both would migrate the empty database at once otherwise.
    const east = await startServe(env, dir.path, { timeoutMs: 60_000 });
    cleanups.push(stop(east));
    const west = await startServe(env, dir.path, { timeoutMs: 60_000 });
    cleanups.push(stop(west));

    const alice = (await post(east.url, '/auth/register', { username: 'alice', password: PASSWORD })).body as { token: string };
    expect((await post(east.url, '/auth/register', { username: 'bob', password: PASSWORD })).status).toBe(201);
    const aliceWest = (await post(west.url, '/auth/login', { username: 'alice', password: PASSWORD })).body as { token: string };

    // MESSAGE_RATE 2: bursts of 6 per 3 s. Alternating processes, each would allow 6 on its own count.
    const sends: { where: string; status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < 12; i++) {
      const [where, base, token] = i % 2 === 0 ? ['east', east.url, alice.token] : ['west', west.url, aliceWest.token];
      const answer = await post(base, '/messages', { recipient: 'bob', body: `send ${i}` }, token);
      sends.push({ where, status: answer.status, retryAfter: answer.retryAfter });
    }
    console.log(`[attack] sends alternating over two processes, MESSAGE_RATE 2: ${sends.map((s) => `${s.where} ${s.status}`).join(', ')}`);
    expect(sends.map((s) => s.status)).toEqual([...Array(6).fill(201), ...Array(6).fill(429)]);
    expect(new Set(sends.filter((s) => s.status === 429).map((s) => s.where))).toEqual(new Set(['east', 'west']));
    for (const s of sends.filter((x) => x.status === 429)) expect(Number(s.retryAfter)).toBeGreaterThanOrEqual(1);

    // LOGIN_FAILURES_PER_ADDRESS 6, from the one loopback address, a new username each time.
    const logins: { where: string; status: number }[] = [];
    for (let i = 0; i < 8; i++) {
      const [where, base] = i % 2 === 0 ? ['east', east.url] : ['west', west.url];
      logins.push({ where, status: (await post(base, '/auth/login', { username: `guess${i}`, password: 'wrong password' })).status });
    }
    console.log(
      `[attack] failed logins alternating over two processes, LOGIN_FAILURES_PER_ADDRESS 6: ${logins.map((l) => `${l.where} ${l.status}`).join(', ')}`,
    );
    expect(logins.map((l) => l.status)).toEqual([...Array(6).fill(401), 429, 429]);
  }, 120_000);
});
