import { StoreUnavailable } from '@message-center/core';
import { InMemoryUserRepository } from '@message-center/core/memory';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/app.js';
import { call, harness, PASSWORD, problemOf, register } from './harness.js';

describe('unknown routes and malformed requests', () => {
  it('answers 404 problem+json for an unknown route, inside and outside the API', async () => {
    const { app } = await harness();
    await problemOf(await call(app, 'GET', '/api/v1/nothing-here'), 404, 'not-found');
    await problemOf(await call(app, 'GET', '/api/v2/messages'), 404, 'not-found');
    await problemOf(await call(app, 'DELETE', '/api/v1/messages/1'), 404, 'not-found');
    await problemOf(await call(app, 'GET', '/no/such/page'), 404, 'not-found');
  });

  it('answers 400 malformed-json for a body that does not parse', async () => {
    const { app } = await harness();
    const alice = await register(app, 'alice');
    for (const body of ['{"username": "bob",', 'not json', '']) {
      const res = await call(app, 'POST', '/api/v1/auth/login', { body, headers: { 'Content-Type': 'application/json' } });
      await problemOf(res, 400, 'malformed-json');
    }
    const send = await call(app, 'POST', '/api/v1/messages', {
      token: alice.token,
      body: '{',
      headers: { 'Content-Type': 'application/json' },
    });
    await problemOf(send, 400, 'malformed-json');
  });

  it('answers 413 payload-too-large above 64 KiB before parsing, and accepts exactly 64 KiB', async () => {
    const { app } = await harness();
    const alice = await register(app, 'alice');
    await register(app, 'bob');
    const sized = (bytes: number) => {
      const envelope = JSON.stringify({ recipient: 'bob', body: '' });
      return envelope.replace('"body":""', `"body":"${'x'.repeat(bytes - envelope.length)}"`);
    };
    expect(sized(MAX_BODY_BYTES + 1)).toHaveLength(MAX_BODY_BYTES + 1);
    const post = (body: string) =>
      call(app, 'POST', '/api/v1/messages', { token: alice.token, body, headers: { 'Content-Type': 'application/json' } });
    await problemOf(await post(sized(MAX_BODY_BYTES + 1)), 413, 'payload-too-large');
    // Exactly at the limit it is parsed, and the core refuses the body as too long.
    const atLimit = await problemOf(await post(sized(MAX_BODY_BYTES)), 422, 'validation-failed');
    expect(atLimit.errors?.[0]?.path).toBe('body');
    // Not even valid JSON: still 413, because the size is checked first.
    await problemOf(await post(`{${'x'.repeat(MAX_BODY_BYTES)}`), 413, 'payload-too-large');
  });
});

describe('security headers', () => {
  it('sends a CSP the web UI can live with, and the usual hardening headers', async () => {
    const { app } = await harness();
    const res = await call(app, 'GET', '/healthz');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    // Only the page's own host over WebSocket, not any ws:/wss: host.
    expect(csp).toMatch(/connect-src 'self' ws:\/\/localhost wss:\/\/localhost(;|$)/);
    const forged = await call(app, 'GET', '/healthz', { headers: { host: 'evil.example; script-src *' } });
    expect(forged.headers.get('content-security-policy')).toMatch(/connect-src 'self'\s*(;|$)/);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('store outages and bugs', () => {
  it('answers 503 unavailable when the store throws StoreUnavailable, telling nothing of the cause', async () => {
    const users = new InMemoryUserRepository();
    const h = await harness({ overrides: { users } });
    const alice = await register(h.app, 'alice');
    users.findById = async () => {
      throw new StoreUnavailable('connect ECONNREFUSED 10.1.2.3:3306', { cause: new Error('secret detail') });
    };
    const res = await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token });
    const text = await res.clone().text();
    await problemOf(res, 503, 'unavailable');
    expect(text).not.toMatch(/ECONNREFUSED|secret|3306/);
  });

  it('answers 500 internal with no stack or SQL, and logs the error with the request id', async () => {
    const users = new InMemoryUserRepository();
    const h = await harness({ overrides: { users } });
    const alice = await register(h.app, 'alice');
    users.findById = async () => {
      throw new Error("ER_PARSE_ERROR: You have an error in your SQL syntax near 'SELECT * FROM users'");
    };
    const res = await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token, headers: { 'X-Request-Id': 'req-42' } });
    const text = await res.clone().text();
    const problem = await problemOf(res, 500, 'internal');
    expect(text).not.toMatch(/SQL|SELECT|at |\.ts/);
    expect(problem.detail).toContain('req-42');
    expect(h.logs).toContainEqual(
      expect.objectContaining({ level: 'error', requestId: 'req-42', error: expect.stringContaining('ER_PARSE_ERROR') }),
    );
  });

  it('answers /healthz 503 unavailable when the store does not answer', async () => {
    const { app } = await harness({ healthCheck: async () => false });
    await problemOf(await call(app, 'GET', '/healthz'), 503, 'unavailable');
    const throwing = await harness({
      healthCheck: async () => {
        throw new Error('down');
      },
    });
    await problemOf(await call(throwing.app, 'GET', '/healthz'), 503, 'unavailable');
  });
});

describe('request logs', () => {
  it('logs method, path, status, duration and request id, and no secret', async () => {
    const h = await harness();
    const alice = await register(h.app, 'alice');
    await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: PASSWORD } });
    await call(h.app, 'GET', '/api/v1/users?q=secretquery', { cookie: alice.token });
    const lines = h.logs.filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({
      msg: 'request',
      requestId: expect.any(String),
      method: 'GET',
      path: '/api/v1/users',
      status: 200,
      durationMs: expect.any(Number),
    });
    const everything = JSON.stringify(h.logs);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(alice.token);
    expect(everything).not.toContain('secretquery');
  });
});

describe('OpenAPI document', () => {
  const CONTRACT: [string, string][] = [
    ['post', '/api/v1/auth/register'],
    ['post', '/api/v1/auth/login'],
    ['post', '/api/v1/auth/logout'],
    ['get', '/api/v1/auth/me'],
    ['post', '/api/v1/auth/password'],
    ['put', '/api/v1/auth/email'],
    ['post', '/api/v1/auth/password-reset'],
    ['post', '/api/v1/auth/password-reset/confirm'],
    ['post', '/api/v1/auth/ws-ticket'],
    ['get', '/api/v1/users'],
    ['post', '/api/v1/messages'],
    ['get', '/api/v1/messages'],
    ['get', '/api/v1/messages/{id}'],
    ['get', '/api/v1/conversations'],
    ['post', '/api/v1/conversations/{username}/read'],
    ['get', '/healthz'],
    // Served by the WebSocket adapter, described here so one document covers the API.
    ['get', '/api/v1/ws'],
  ];

  it('is served at /api/v1/openapi.json as OpenAPI 3.1 and names every REST route of API.md', async () => {
    const { app } = await harness();
    const res = await call(app, 'GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const [method, path] of CONTRACT) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(documented.sort()).toEqual(CONTRACT.map(([m, p]) => `${m} ${p}`).sort());
  });

  it('documents the status codes of API.md', async () => {
    const { app } = await harness();
    const doc = (await (await call(app, 'GET', '/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const statuses = (method: string, path: string) => Object.keys(doc.paths[path]?.[method]?.responses ?? {}).sort();
    expect(statuses('post', '/api/v1/auth/register')).toEqual(expect.arrayContaining(['201', '403', '409', '422']));
    expect(statuses('post', '/api/v1/auth/login')).toEqual(expect.arrayContaining(['200', '401', '429']));
    expect(statuses('post', '/api/v1/messages')).toEqual(expect.arrayContaining(['200', '201', '404', '409', '422']));
    expect(statuses('get', '/healthz')).toEqual(['200', '500', '503']);
    expect(statuses('put', '/api/v1/auth/email')).toEqual(expect.arrayContaining(['204', '401', '409', '422', '429']));
    expect(statuses('post', '/api/v1/auth/password-reset')).toEqual(expect.arrayContaining(['202', '422', '429']));
    expect(statuses('post', '/api/v1/auth/password-reset/confirm')).toEqual(expect.arrayContaining(['204', '422']));
  });
});
