import { describe, expect, it } from 'vitest';
import { call, type Harness, harness, PASSWORD, problemOf, register } from './harness.js';

const FOREIGN = 'https://evil.example';
const PARTNER = 'https://partner.example';

async function withAliceAndBob(): Promise<{ h: Harness; token: string }> {
  const h = await harness({ allowedOrigins: [PARTNER] });
  const alice = await register(h.app, 'alice');
  await register(h.app, 'bob');
  return { h, token: alice.token };
}

const sendWithCookie = (
  h: Harness,
  token: string,
  headers: Record<string, string>,
  body = JSON.stringify({ recipient: 'bob', body: 'hi' }),
) =>
  h.app.request('/api/v1/messages', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: `mc_session=${token}`, ...headers },
    body,
  });

describe('CSRF: cookie-authenticated unsafe requests', () => {
  it('refuses a JSON POST with a foreign Origin (403 forbidden) and stores nothing', async () => {
    const { h, token } = await withAliceAndBob();
    await problemOf(await sendWithCookie(h, token, { Origin: FOREIGN }), 403, 'forbidden');
    const after = await call(h.app, 'GET', '/api/v1/messages?after=0', { token });
    expect(((await after.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('refuses every content type, not only forms', async () => {
    const { h, token } = await withAliceAndBob();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json']) {
      await problemOf(await sendWithCookie(h, token, { Origin: FOREIGN, 'Content-Type': type }), 403, 'forbidden');
    }
  });

  it('accepts the same origin and the configured extra origins', async () => {
    const { h, token } = await withAliceAndBob();
    expect((await sendWithCookie(h, token, { Origin: 'http://localhost' })).status).toBe(201);
    expect((await sendWithCookie(h, token, { Origin: 'http://LOCALHOST:80' })).status).toBe(201);
    expect((await sendWithCookie(h, token, { Origin: PARTNER })).status).toBe(201);
    expect((await sendWithCookie(h, token, { Origin: 'https://localhost' })).status).toBe(201);
  });

  it('without Origin, accepts only Sec-Fetch-Site: same-origin', async () => {
    const { h, token } = await withAliceAndBob();
    expect((await sendWithCookie(h, token, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(201);
    await problemOf(await sendWithCookie(h, token, { 'Sec-Fetch-Site': 'same-site' }), 403, 'forbidden');
    await problemOf(await sendWithCookie(h, token, { 'Sec-Fetch-Site': 'cross-site' }), 403, 'forbidden');
    await problemOf(await sendWithCookie(h, token, {}), 403, 'forbidden');
  });

  it('refuses an opaque Origin ("null") and a malformed one', async () => {
    const { h, token } = await withAliceAndBob();
    await problemOf(await sendWithCookie(h, token, { Origin: 'null' }), 403, 'forbidden');
    await problemOf(await sendWithCookie(h, token, { Origin: 'localhost' }), 403, 'forbidden');
  });

  it('protects logout, password change, tickets and read markers too', async () => {
    const { h, token } = await withAliceAndBob();
    for (const path of ['/api/v1/auth/logout', '/api/v1/auth/ws-ticket', '/api/v1/auth/password', '/api/v1/conversations/bob/read']) {
      const res = await h.app.request(path, { method: 'POST', headers: { Cookie: `mc_session=${token}`, Origin: FOREIGN } });
      await problemOf(res, 403, 'forbidden');
    }
    expect((await call(h.app, 'GET', '/api/v1/auth/me', { token })).status).toBe(200);
  });

  it('exempts bearer requests, whatever their Origin', async () => {
    const { h, token } = await withAliceAndBob();
    const res = await call(h.app, 'POST', '/api/v1/messages', {
      token,
      json: { recipient: 'bob', body: 'hi' },
      headers: { Origin: FOREIGN },
    });
    expect(res.status).toBe(201);
  });

  it('lets safe methods through from anywhere (they change nothing)', async () => {
    const { h, token } = await withAliceAndBob();
    const res = await h.app.request('/api/v1/auth/me', { headers: { Cookie: `mc_session=${token}`, Origin: FOREIGN } });
    expect(res.status).toBe(200);
  });
});

describe('login CSRF: login and registration from a foreign page', () => {
  it('refuses a foreign Origin, accepts the same origin and clients that send none', async () => {
    const h = await harness();
    await register(h.app, 'alice');
    const login = (headers: Record<string, string>) =>
      call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: PASSWORD }, headers });
    await problemOf(await login({ Origin: FOREIGN }), 403, 'forbidden');
    expect((await login({ Origin: 'http://localhost' })).status).toBe(200);
    expect((await login({})).status).toBe(200);
    const signup = await call(h.app, 'POST', '/api/v1/auth/register', {
      json: { username: 'mallory', password: PASSWORD },
      headers: { Origin: FOREIGN },
    });
    await problemOf(signup, 403, 'forbidden');
  });
});

describe('CORS for ALLOWED_ORIGINS', () => {
  it('lets a configured origin read answers with credentials, and no one else', async () => {
    const { h } = await withAliceAndBob();
    const preflight = (origin: string) =>
      h.app.request('/api/v1/messages', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
    const allowed = await preflight(PARTNER);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const refused = await preflight(FOREIGN);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
