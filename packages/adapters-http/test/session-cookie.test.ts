import { describe, expect, it } from 'vitest';
import { call, harness, problemOf, register, SAME_ORIGIN } from './harness.js';

/**
 * A browser sends two `mc_session` cookies only when one was set with another
 * Path or Domain than ours: a sibling subdomain planting its own session
 * (cookie tossing). The server does not guess which one the user means.
 */
describe('a request with two session cookies', () => {
  const withCookies = (value: string, method = 'GET') => ({
    headers: { Cookie: value, ...(method === 'GET' ? {} : { Origin: SAME_ORIGIN }) },
  });

  it('is 401 when they differ, whichever comes first and even if only one is valid', async () => {
    const { app } = await harness();
    const alice = await register(app, 'alice');
    const mallory = await register(app, 'mallory');
    for (const header of [
      `mc_session=${mallory.token}; mc_session=${alice.token}`,
      `mc_session=${alice.token}; mc_session=${mallory.token}`,
      `mc_session=stale; mc_session=${alice.token}`,
    ]) {
      const res = await call(app, 'GET', '/api/v1/auth/me', withCookies(header));
      console.log(`GET /auth/me with Cookie: ${header.replace(/=[\w-]{20,}/g, '=<token>')}: ${res.status}`);
      await problemOf(res, 401, 'unauthenticated');
    }
    // An unsafe request is refused too, so nothing is ever done as the planted session's user.
    const send = await call(app, 'POST', '/api/v1/messages', {
      json: { recipient: 'alice', body: 'as whom?' },
      ...withCookies(`mc_session=${mallory.token}; mc_session=${alice.token}`, 'POST'),
    });
    await problemOf(send, 401, 'unauthenticated');
  });

  it('is the one session when both carry the same value', async () => {
    const { app } = await harness();
    const alice = await register(app, 'alice');
    const res = await call(app, 'GET', '/api/v1/auth/me', withCookies(`mc_session=${alice.token}; mc_session=${alice.token}`));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { username: 'alice' } });
  });

  it('still needs an allowed origin for unsafe methods: two cookies are cookies (CSRF)', async () => {
    const { app } = await harness();
    const alice = await register(app, 'alice');
    const res = await call(app, 'POST', '/api/v1/auth/logout', {
      headers: { Cookie: `mc_session=${alice.token}; mc_session=x`, Origin: 'https://evil.example' },
    });
    await problemOf(res, 403, 'forbidden');
  });
});
