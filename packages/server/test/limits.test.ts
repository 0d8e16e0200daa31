import { ScryptPasswordHasher } from '@message-center/core/crypto';
import { InMemoryMailbox } from '@message-center/core/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, PASSWORD, type Running, startCenter } from './support.js';

/**
 * The attacks of issue 8 and 12 on the costly paths, each against a real
 * server on a real socket, with the contract's default limits. The server
 * trusts the loopback as a proxy, so that each attack comes from its own
 * client address (`X-Forwarded-For`) and none spends another's allowance.
 */

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly type: string | undefined;
}

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; from?: string } = {},
): Promise<Answer> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...(options.from ? { 'X-Forwarded-For': options.from } : {}),
      ...(options.json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
  });
  const text = await res.text();
  const type = res.headers.get('content-type')?.includes('json') && text ? (JSON.parse(text) as { type?: string }).type : undefined;
  return { status: res.status, retryAfter: res.headers.get('retry-after'), type };
}

/** `{ 201: 20, 429: 10 }`, in the order first seen. */
function tally(answers: readonly Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

/** Every 429 is the contract's: problem type `rate-limited`, `Retry-After` in whole seconds within `[1, max]`. */
function expectRateLimited(answers: readonly Answer[], maxSeconds: number): void {
  const refused = answers.filter((a) => a.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  for (const a of refused) {
    expect(a.type).toBe('/problems/rate-limited');
    expect(a.retryAfter).toMatch(/^[0-9]+$/);
    expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(a.retryAfter)).toBeLessThanOrEqual(maxSeconds);
  }
}

const report = (row: string, counts: Record<number, number>, extra = '') =>
  console.log(`[attack] ${row}: ${JSON.stringify(counts)}${extra ? `; ${extra}` : ''}`);

async function register(base: string, username: string, from: string, email?: string): Promise<Account> {
  const res = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': from },
    body: JSON.stringify({ username, password: PASSWORD, ...(email ? { email } : {}) }),
  });
  if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Account;
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
};

describe('limits against a real server (the default limits of API.md)', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startCenter({ storage: 'memory', trustProxy: ['127.0.0.1'], mail: { mailer: new InMemoryMailbox() } });
  });
  afterAll(() => running.stop());

  it('one user sending as fast as 16 sessions allow: 429 + Retry-After past MESSAGE_RATE (10/s, bursts of 30), across sessions; others stay fast', async () => {
    const { base } = running;
    const from = '198.51.100.10';
    await register(base, 'flooder', from);
    await register(base, 'target', from);
    const bystander = await register(base, 'bystander', from);
    const sessions: string[] = [];
    for (let i = 0; i < 16; i++) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': from },
        body: JSON.stringify({ username: 'flooder', password: PASSWORD }),
      });
      sessions.push(((await res.json()) as Account).token);
    }

    const floodMs = 3_000;
    const started = Date.now();
    const answers: Answer[] = [];
    const flood = sessions.map(async (token) => {
      while (Date.now() - started < floodMs)
        answers.push(await call(base, 'POST', '/messages', { token, json: { recipient: 'target', body: 'x' } }));
    });
    // Another user's ordinary reads during the attack.
    const latencies: number[] = [];
    const reading = (async () => {
      while (Date.now() - started < floodMs) {
        const t0 = performance.now();
        expect((await call(base, 'GET', '/conversations', { token: bystander.token })).status).toBe(200);
        latencies.push(performance.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await Promise.all([...flood, reading]);
    const elapsedS = (Date.now() - started) / 1000;

    const counts = tally(answers);
    report(
      'send flood, 1 user × 16 sessions × 3 s',
      counts,
      `${Math.round((counts[201] ?? 0) / elapsedS)} sends/s accepted; bystander GET /conversations p99 ${percentile(latencies, 99).toFixed(1)} ms over ${latencies.length}`,
    );
    expect(Object.keys(counts).sort()).toEqual(['201', '429']);
    // A fixed window of 3 s holds 30; the attack spans at most two windows, or three if it straddles them.
    expect(counts[201]).toBeGreaterThanOrEqual(30);
    expect(counts[201]).toBeLessThanOrEqual(90);
    expectRateLimited(answers, 3);
    // Loose: this machine is shared. The flood is refused before any store work, so reads are not queued behind it.
    expect(percentile(latencies, 99)).toBeLessThan(500);
  });

  it('30 registrations from one address: 20×201, then 429 + Retry-After (REGISTRATION_RATE, per hour)', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 30; i++) {
      answers.push(
        await call(running.base, 'POST', '/auth/register', { from: '198.51.100.20', json: { username: `signup${i}`, password: PASSWORD } }),
      );
    }
    report('30 registrations from one address', tally(answers));
    expect(answers.map((a) => a.status)).toEqual([...Array(20).fill(201), ...Array(10).fill(429)]);
    expectRateLimited(answers, 3600);
    // Another address is not held back.
    expect(
      (
        await call(running.base, 'POST', '/auth/register', {
          from: '198.51.100.21',
          json: { username: 'signup-other', password: PASSWORD },
        })
      ).status,
    ).toBe(201);
  });

  it('104 failed logins from one address across usernames: 100×401, then 429 + Retry-After, even for a right password', async () => {
    const from = '198.51.100.30';
    await register(running.base, 'victim', '198.51.100.31');
    const answers: Answer[] = [];
    for (let i = 0; i < 104; i++) {
      answers.push(await call(running.base, 'POST', '/auth/login', { from, json: { username: `guess${i}`, password: 'wrong password' } }));
    }
    report('104 failed logins from one address, each a new username', tally(answers));
    expect(answers.map((a) => a.status)).toEqual([...Array(100).fill(401), ...Array(4).fill(429)]);
    expectRateLimited(answers, 15 * 60);
    expect((await call(running.base, 'POST', '/auth/login', { from, json: { username: 'victim', password: PASSWORD } })).status).toBe(429);
    // The account itself is not locked: from elsewhere it logs in.
    expect(
      (await call(running.base, 'POST', '/auth/login', { from: '198.51.100.31', json: { username: 'victim', password: PASSWORD } })).status,
    ).toBe(200);
  });

  for (const [method, path, body] of [
    ['POST', '/auth/password', { newPassword: 'a brand new password' }],
    ['PUT', '/auth/email', { email: 'someone@example.com' }],
  ] as const) {
    it(`12 wrong currentPassword on ${method} ${path} with a stolen session: 10×422, then 429 + Retry-After`, async () => {
      const thief = await register(running.base, `stolen${path.replace(/\W/g, '')}`, '198.51.100.40');
      const answers: Answer[] = [];
      for (let i = 0; i < 12; i++) {
        answers.push(
          await call(running.base, method, path, { token: thief.token, json: { ...body, currentPassword: `guess number ${i}` } }),
        );
      }
      report(`12 wrong currentPassword on ${method} ${path}`, tally(answers));
      expect(answers.map((a) => a.status)).toEqual([...Array(10).fill(422), 429, 429]);
      expectRateLimited(answers, 15 * 60);
      // Now even the right password waits for the window.
      expect((await call(running.base, method, path, { token: thief.token, json: { ...body, currentPassword: PASSWORD } })).status).toBe(
        429,
      );
    });
  }

  it('password-reset requests: 429 + Retry-After past 5 per email address and past 20 per client address; 202 below, known address or not', async () => {
    const { base } = running;
    await register(base, 'forgetful', '198.51.100.50', 'forgetful@example.com');
    const sameAddress: Answer[] = [];
    for (let i = 0; i < 7; i++) {
      // Letter case does not make another address; each request comes from elsewhere, so only the per-email count applies.
      const email = i % 2 ? 'FORGETFUL@example.com' : 'forgetful@example.com';
      sameAddress.push(await call(base, 'POST', '/auth/password-reset', { from: `198.51.100.${60 + i}`, json: { email } }));
    }
    report('7 reset requests for one email address', tally(sameAddress));
    expect(sameAddress.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 429, 429]);
    expectRateLimited(sameAddress, 3600);

    const oneClient: Answer[] = [];
    for (let i = 0; i < 25; i++) {
      oneClient.push(
        await call(base, 'POST', '/auth/password-reset', { from: '198.51.100.70', json: { email: `nobody${i}@example.com` } }),
      );
    }
    report('25 reset requests from one client address, each for another email', tally(oneClient));
    expect(oneClient.map((a) => a.status)).toEqual([...Array(20).fill(202), ...Array(5).fill(429)]);
    expectRateLimited(oneClient, 3600);
  });
});

describe('password hashing under a login flood (PASSWORD_HASH_CONCURRENCY 1, 4 waiting)', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startCenter({
      storage: 'memory',
      // The production cost: what makes a flood of logins expensive.
      passwordHasher: new ScryptPasswordHasher(),
      passwordHashing: { concurrency: 1, maxWaiting: 4 },
    });
  });
  afterAll(() => running.stop());

  it('40 concurrent logins with made-up usernames: those past the queue get 503 + Retry-After at once, the rest 401', async () => {
    // The first unknown username hashes the decoy that every later one is verified against: not part of the flood.
    expect((await call(running.base, 'POST', '/auth/login', { json: { username: 'warm-up', password: 'not the password' } })).status).toBe(
      401,
    );
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const answer = await call(running.base, 'POST', '/auth/login', {
          json: { username: `made-up-${i}`, password: 'not the password' },
        });
        return { ...answer, ms: performance.now() - started };
      }),
    );
    const counts = tally(answers);
    const slowest = (status: number) => Math.round(Math.max(...answers.filter((a) => a.status === status).map((a) => a.ms)));
    report(
      '40 concurrent logins, concurrency 1, 4 waiting',
      counts,
      `slowest 503 after ${slowest(503)} ms, slowest 401 after ${slowest(401)} ms`,
    );
    expect(Object.keys(counts).sort()).toEqual(['401', '503']);
    // At most 1 running and 4 waiting were ever accepted at once.
    expect(counts[503]).toBeGreaterThanOrEqual(30);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.type).toBe('/problems/unavailable');
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // Refused without waiting for any hash: sooner than the accepted ones, which queue behind each other.
    expect(slowest(503)).toBeLessThan(slowest(401));
    // Refused logins are not failed guesses: the address is not held back for them.
    const signUp = await call(running.base, 'POST', '/auth/register', { json: { username: 'latecomer', password: PASSWORD } });
    expect(signUp.status).toBe(201);
    expect((await call(running.base, 'POST', '/auth/login', { json: { username: 'latecomer', password: PASSWORD } })).status).toBe(200);
  });
});
