import { Agent, request } from 'node:http';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/app.js';
import { type Account, harness, listenOnLoopback, register } from './harness.js';

/** One keep-alive connection for every request, as a browser would reuse it: an unread body must not poison it. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** A raw Node request, so we see what the socket does: an answer, or a reset. */
function post(port: number, path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // Written in pieces, as a real client streams a large upload.
    for (let offset = 0; offset < body.length; offset += 16 * 1024) req.write(body.subarray(offset, offset + 16 * 1024));
    req.end();
  });
}

describe('body limit over a real socket', () => {
  let server: ServerType;
  let port: number;
  let alice: Account;

  beforeAll(async () => {
    const h = await harness();
    alice = await register(h.app, 'alice');
    await register(h.app, 'bob');
    ({ server, port } = await listenOnLoopback(h.app));
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const bigBody = (bytes: number) => Buffer.from(JSON.stringify({ recipient: 'bob', body: 'x'.repeat(bytes) }));

  for (const [label, bytes] of [
    ['64 KiB + 1', MAX_BODY_BYTES + 1 - bigBody(0).length],
    ['1 MiB', 1024 * 1024],
  ] as const) {
    it(`answers 413 problem+json to a ${label} body with Content-Length, without resetting the connection`, async () => {
      const body = bigBody(bytes);
      const res = await post(port, '/api/v1/messages', body, {
        'Content-Type': 'application/json',
        'Content-Length': String(body.length),
        Authorization: `Bearer ${alice.token}`,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text)).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    });

    it(`answers 413 to a ${label} chunked body`, async () => {
      const res = await post(port, '/api/v1/messages', bigBody(bytes), {
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
        Authorization: `Bearer ${alice.token}`,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text)).toMatchObject({ type: '/problems/payload-too-large' });
    });
  }

  it('still serves a normal request on the same server afterwards', async () => {
    const body = Buffer.from(JSON.stringify({ recipient: 'bob', body: 'hi' }));
    const res = await post(port, '/api/v1/messages', body, {
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
      Authorization: `Bearer ${alice.token}`,
    });
    expect(res.status).toBe(201);
  });

  it('reads a body sent in pieces exactly as a Request would: a UTF-8 BOM dropped, a character split across chunks kept whole', async () => {
    // 19.6 KB of 4-byte characters: the 16 KiB write boundary falls inside one.
    const text = '👋'.repeat(4900);
    const json = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ recipient: 'bob', body: text }))]);
    // 16 KiB writes cut the multi-byte characters wherever they fall.
    const res = await post(port, '/api/v1/messages', json, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      Authorization: `Bearer ${alice.token}`,
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toMatchObject({ body: text.trim() });
  });

  it('uses the socket address for the login throttle, not X-Forwarded-For', async () => {
    const body = Buffer.from(JSON.stringify({ username: 'alice', password: 'wrong password' }));
    const headers = { 'Content-Type': 'application/json', 'Content-Length': String(body.length) };
    for (let i = 0; i < 10; i++) {
      expect((await post(port, '/api/v1/auth/login', body, { ...headers, 'X-Forwarded-For': `203.0.113.${i}` })).status).toBe(401);
    }
    const res = await post(port, '/api/v1/auth/login', body, { ...headers, 'X-Forwarded-For': '198.51.100.7' });
    expect(res.status).toBe(429);
  });
});
