import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { withEarlyOverloadRefusal } from '../src/app.js';
import { READ_HEADROOM } from '../src/middleware/overload-guard.js';
import { call, harness, heldSessions, register } from './harness.js';

/** One request over its own keep-alive agent-less connection; the raw status, headers and body. */
function get(port: number, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the overload refusal made before Hono (a server that serves the app as it is)', () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  /** The app served with the early refusal, its bound of one request in flight filled by held reads as far as reads may go, so the next ones are refused. */
  async function overloaded(allowedOrigins: readonly string[] = []) {
    const slow = heldSessions();
    const h = await harness({
      overload: { maxEventLoopDelayMs: 10_000, maxInFlight: 1 },
      overrides: { sessions: slow.store },
      allowedOrigins,
    });
    const alice = await register(h.app, 'alice');
    let reached = 0;
    const listener = getRequestListener((req, env) => {
      reached++;
      return h.app.fetch(req, env);
    });
    const server = createServer(withEarlyOverloadRefusal(h.app, listener));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const bearer = { authorization: `Bearer ${alice.token}` };
    slow.hold();
    const held = Promise.all(Array.from({ length: READ_HEADROOM }, () => get(port, '/api/v1/auth/me', bearer)));
    await expect.poll(() => slow.waiting).toBe(READ_HEADROOM);
    return { h, slow, port, bearer, held, reachedApp: () => reached };
  }

  it('answers what the app would, 503 problem+json with Retry-After, without the app seeing the request; /healthz still answers', async () => {
    const { h, slow, port, bearer, held, reachedApp } = await overloaded();
    expect(reachedApp()).toBe(READ_HEADROOM);

    const early = await get(port, '/api/v1/messages?with=bob', bearer);
    const posted = await get(
      port,
      '/api/v1/messages',
      { ...bearer, 'content-type': 'application/json' },
      JSON.stringify({ recipient: 'bob', body: 'x' }),
    );
    // The app's own refusal, for comparison: the same status, headers and body.
    const throughHono = await call(h.app, 'GET', '/api/v1/auth/me', { headers: bearer });
    for (const refused of [early, posted]) {
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(refused.body)).toEqual(await throughHono.clone().json());
    }
    // Neither reached the app.
    expect(reachedApp()).toBe(READ_HEADROOM);
    expect(slow.waiting).toBe(READ_HEADROOM);
    expect((await get(port, '/healthz')).status).toBe(200);
    expect(reachedApp()).toBe(READ_HEADROOM + 1);

    slow.release();
    for (const answer of await held) expect(answer.status).toBe(200);
    expect((await get(port, '/api/v1/auth/me', bearer)).status).toBe(200);
  });

  it('leaves a request from a page (Origin) to the app, which adds the CORS headers to its refusal', async () => {
    const page = 'https://host.example';
    const { slow, port, bearer, held } = await overloaded([page]);
    const refused = await get(port, '/api/v1/auth/me', { ...bearer, origin: page });
    expect(refused.status).toBe(503);
    expect(refused.headers['access-control-allow-origin']).toBe(page);
    slow.release();
    for (const answer of await held) expect(answer.status).toBe(200);
  });
});
