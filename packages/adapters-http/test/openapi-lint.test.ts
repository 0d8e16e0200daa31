import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { call, harness, register } from './harness.js';

const DOCUMENT = '/openapi.json';

/**
 * The few findings of the recommended rules that would make the document say
 * something untrue if "fixed", each with why.
 */
const ACCEPTED = {
  // The project has not chosen a license; naming one is not the document's call.
  'info-license': new Set(['#/info']),
  // GET /healthz answers 200 or 503 and nothing else; a made-up 4xx would mislead.
  'operation-4xx-response': new Set(['#/paths/~1healthz/get/responses']),
  // A successful upgrade is 101 Switching Protocols; there is no 2xx answer.
  'operation-2xx-response': new Set(['#/paths/~1api~1v1~1ws/get/responses']),
};

describe('the OpenAPI document', () => {
  it("passes Redocly's recommended rules (what `redocly lint` applies) with no error and no other warning", async () => {
    const { app } = await harness();
    const document = await (await app.request('/api/v1/openapi.json')).text();
    const config = await createConfig({ extends: ['recommended'] }, { ignore: { [DOCUMENT]: ACCEPTED } });
    const problems = await lintFromString({ source: document, absoluteRef: DOCUMENT, config });
    const found = problems
      .filter((p) => !p.ignored)
      .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`);
    expect(found).toEqual([]);
  });

  it('names the mount point as its server, wherever the app is mounted', async () => {
    const { app } = await harness();
    const served = (await (await app.request('/api/v1/openapi.json')).json()) as { servers: { url: string }[] };
    expect(served.servers.map((s) => s.url)).toEqual(['/']);
    const { Hono } = await import('hono');
    const host = new Hono().route('/chat', app);
    const mounted = (await (await host.request('/chat/api/v1/openapi.json')).json()) as { servers: { url: string }[] };
    expect(mounted.servers.map((s) => s.url)).toEqual(['/chat']);
  });

  it('states the limits the server enforces: limit ≥ 1 with its default, clientId, username, password, digit ids', async () => {
    const { app } = await harness();
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { operationId?: string; parameters?: { name: string; schema: Record<string, unknown> }[] }>>;
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    };
    const limitOf = (path: string) => doc.paths[path]?.get?.parameters?.find((p) => p.name === 'limit')?.schema;
    expect(limitOf('/api/v1/users')).toMatchObject({ type: 'integer', minimum: 1, default: 50 });
    expect(limitOf('/api/v1/conversations')).toMatchObject({ type: 'integer', minimum: 1, default: 20 });
    expect(limitOf('/api/v1/messages')).toMatchObject({ type: 'integer', minimum: 1, default: 15 });
    const schemas = doc.components.schemas;
    expect(schemas.NewMessage?.properties.clientId).toMatchObject({ minLength: 1, maxLength: 64 });
    expect(schemas.Registration?.properties.username).toMatchObject({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$' });
    expect(schemas.Registration?.properties.password).toMatchObject({ minLength: 8, maxLength: 1024 });
    expect(schemas.User?.properties.id).toMatchObject({ pattern: '^[0-9]+$' });
    expect(schemas.Message?.properties.id).toMatchObject({ pattern: '^[0-9]+$' });
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(operations.every((o) => typeof o.operationId === 'string')).toBe(true);
  });

  it('refuses limit=0 (and any limit below 1) with 422 on every endpoint that pages, as the document says', async () => {
    const { app } = await harness();
    const alice = await register(app, 'alice');
    await register(app, 'bob');
    for (const path of ['/users', '/conversations', '/messages?with=bob&', '/messages?after=0&']) {
      for (const limit of ['0', '-1', 'ten', '1.5']) {
        const url = `${path.includes('?') ? path : `${path}?`}limit=${limit}`;
        const res = await call(app, 'GET', `/api/v1${url}`, { token: alice.token });
        expect([url, res.status]).toEqual([url, 422]);
      }
    }
  });
});
