import type { PasswordResetMail } from '@message-center/core';
import { type BackgroundTasks, InMemoryMailbox } from '@message-center/core/memory';
import { describe, expect, it } from 'vitest';
import { type Account, call, type Harness, harness, PASSWORD, problemOf } from './harness.js';

/**
 * Passwords with a lone surrogate, written as JSON escapes as a client would
 * send them. Hashed as UTF-8, each of these would be `abcdefgh` + U+FFFD: one
 * password, whichever half of a pair was sent.
 */
const LONE_HIGH = 'abcdefgh\\ud800';
const LONE_LOW = 'abcdefgh\\udfff';
const REVERSED_PAIR = 'abcdefgh\\udc00\\ud800';

const json = (fields: Record<string, string>) =>
  `{${Object.entries(fields)
    .map(([k, v]) => `"${k}":"${v}"`)
    .join(',')}}`;
const post = (h: Harness, path: string, body: string, token?: string) =>
  call(h.app, 'POST', path, { body, headers: { 'Content-Type': 'application/json' }, ...(token ? { token } : {}) });

async function withAlice(): Promise<{ h: Harness; alice: Account }> {
  const h = await harness({ overrides: { mailer: new InMemoryMailbox() } });
  const res = await call(h.app, 'POST', '/api/v1/auth/register', {
    json: { username: 'alice', password: PASSWORD, email: 'alice@example.com' },
  });
  expect(res.status).toBe(201);
  return { h, alice: (await res.json()) as Account };
}

describe('a password with a lone surrogate', () => {
  it('is refused at registration with 422 on password, and no account is made', async () => {
    const { h } = await withAlice();
    for (const password of [LONE_HIGH, LONE_LOW, REVERSED_PAIR]) {
      const res = await post(h, '/api/v1/auth/register', json({ username: 'mallory', password }));
      console.log(`register ${password}: ${res.status}`);
      const problem = await problemOf(res, 422, 'validation-failed');
      expect(problem.errors?.map((e) => e.path)).toEqual(['password']);
    }
    // A well-formed pair is a character like any other.
    expect((await post(h, '/api/v1/auth/register', json({ username: 'mallory', password: 'abcdefgh\\ud83d\\udd11' }))).status).toBe(201);
  });

  // API.md lists 401 and 429 as login's only failures, one answer for every wrong credential:
  // no account can hold such a password, so it is a wrong one (counted by the throttle like any other).
  it('never logs in: 401, the same answer as any wrong password, even for an account made before this rule', async () => {
    const { h, alice } = await withAlice();
    // Such an account's hash is of `abcdefgh` + U+FFFD; every lone surrogate used to open it.
    await h.ports.users.setPasswordHash(alice.user.id, await h.ports.hasher.hash('abcdefgh\ud800'));
    for (const password of [LONE_HIGH, LONE_LOW]) {
      const res = await post(h, '/api/v1/auth/login', json({ username: 'alice', password }));
      console.log(`login to an account made with ${LONE_HIGH}, using ${password}: ${res.status}`);
      await problemOf(res, 401, 'unauthenticated');
    }
  });

  it('is refused as a new password (422 newPassword) and as a current one (422 currentPassword) by POST /auth/password', async () => {
    const { h, alice } = await withAlice();
    const asNew = await post(h, '/api/v1/auth/password', json({ currentPassword: PASSWORD, newPassword: LONE_HIGH }), alice.token);
    console.log(`password change to ${LONE_HIGH}: ${asNew.status}`);
    expect((await problemOf(asNew, 422, 'validation-failed')).errors?.map((e) => e.path)).toEqual(['newPassword']);
    const asCurrent = await post(
      h,
      '/api/v1/auth/password',
      json({ currentPassword: LONE_LOW, newPassword: 'another password' }),
      alice.token,
    );
    expect((await problemOf(asCurrent, 422, 'validation-failed')).errors?.map((e) => e.path)).toEqual(['currentPassword']);
    // Nothing changed: the old password still logs in.
    expect((await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: PASSWORD } })).status).toBe(200);
  });

  it('is refused by POST /auth/password-reset/confirm (422 newPassword), leaving the link usable', async () => {
    const { h } = await withAlice();
    expect((await call(h.app, 'POST', '/api/v1/auth/password-reset', { json: { email: 'alice@example.com' } })).status).toBe(202);
    await (h.ports.background as BackgroundTasks).settled();
    const token = ((h.ports.mailer as InMemoryMailbox).sent[0] as PasswordResetMail).token;
    const res = await post(h, '/api/v1/auth/password-reset/confirm', json({ token, newPassword: LONE_HIGH }));
    console.log(`reset confirm with ${LONE_HIGH}: ${res.status}`);
    expect((await problemOf(res, 422, 'validation-failed')).errors?.map((e) => e.path)).toEqual(['newPassword']);
    expect((await post(h, '/api/v1/auth/password-reset/confirm', json({ token, newPassword: 'a brand new password' }))).status).toBe(204);
  });
});
