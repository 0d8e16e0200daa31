import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { Overloaded, type SessionStore } from '@message-center/core';
import { InMemorySessionStore } from '@message-center/core/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OVERLOAD_BOUNDS, READ_HEADROOM } from '../src/middleware/overload-guard.js';
import { call, harness, heldSessions, listenOnLoopback, problemOf, register } from './harness.js';

/**
 * Another process sends the requests, so they reach the kernel while this
 * process's event loop is held busy; it writes `sentFlag` once they are all
 * on the wire, and prints each answer's status and Retry-After.
 */
const CLIENT = `
const http = require('node:http');
const fs = require('node:fs');
const [port, token, sentFlag] = process.argv.slice(1);
const paths = ['/api/v1/auth/me', '/api/v1/users', '/api/v1/conversations', '/healthz'];
let written = 0;
const answers = paths.map((path) => new Promise((resolve) => {
  const req = http.request({ host: '127.0.0.1', port, path, headers: { authorization: 'Bearer ' + token } }, (res) => {
    res.resume();
    res.on('end', () => resolve({ path, status: res.statusCode, retryAfter: res.headers['retry-after'] ?? null }));
  });
  req.on('error', (e) => resolve({ path, error: String(e) }));
  req.end(() => { if (++written === paths.length) fs.writeFileSync(sentFlag, 'sent'); });
}));
Promise.all(answers).then((all) => process.stdout.write(JSON.stringify(all)));
`;

describe('overload shedding (API.md "Limits and overload")', () => {
  const servers: ServerType[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('refuses API requests with 503 unavailable and Retry-After while the event loop is held busy, and /healthz still answers', async () => {
    // The defaults: a stall of a few hundred milliseconds is already past them.
    const h = await harness({ overload: DEFAULT_OVERLOAD_BOUNDS });
    const alice = await register(h.app, 'alice');
    const { server, port } = await listenOnLoopback(h.app);
    servers.push(server);
    // Not overloaded yet: the same request is answered.
    expect((await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token })).status).toBe(200);

    const dir = mkdtempSync(join(tmpdir(), 'overload-'));
    const sentFlag = join(dir, 'sent');
    try {
      const client = spawn(process.execPath, ['-e', CLIENT, String(port), alice.token, sentFlag], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      client.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise<void>((resolve) => client.once('exit', () => resolve()));
      // Held busy, as a CPU-bound burst would: until every request is on the wire, and a bit more.
      const giveUpAt = Date.now() + 20_000;
      while (!existsSync(sentFlag) && Date.now() < giveUpAt) {
        /* busy */
      }
      // Reads are refused past READ_HEADROOM times the bound: held longer, every request here is.
      const until = Date.now() + (READ_HEADROOM + 1) * DEFAULT_OVERLOAD_BOUNDS.maxEventLoopDelayMs;
      while (Date.now() < until) {
        /* busy */
      }
      expect(existsSync(sentFlag)).toBe(true);
      await exited;
      const answers = JSON.parse(output) as Array<{ path: string; status: number; retryAfter: string | null }>;
      for (const answer of answers.filter((a) => a.path.startsWith('/api/'))) {
        expect(answer).toEqual({ path: answer.path, status: 503, retryAfter: '1' });
      }
      expect(answers.find((a) => a.path === '/healthz')?.status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Once the loop has caught up (and the figure has faded), requests are answered again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token })).status).toBe(200);
  });

  it('refuses at once the sends beyond the bound on requests in flight, and reads only past READ_HEADROOM times it: a GET finishes work already accepted', async () => {
    const slow = heldSessions();
    const h = await harness({ overload: { maxEventLoopDelayMs: 10_000, maxInFlight: 2 }, overrides: { sessions: slow.store } });
    const [alice] = [await register(h.app, 'alice'), await register(h.app, 'bob')];
    const sendToBob = () => call(h.app, 'POST', '/api/v1/messages', { token: alice.token, json: { recipient: 'bob', body: 'hi' } });
    const me = () => call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token });
    slow.hold();
    const sends = [sendToBob(), sendToBob()];
    const refusedSend = await sendToBob();
    await problemOf(refusedSend, 503, 'unavailable');
    expect(refusedSend.headers.get('retry-after')).toBe('1');
    const reads = Array.from({ length: 2 * READ_HEADROOM - 2 }, me);
    const refusedRead = await me();
    await problemOf(refusedRead, 503, 'unavailable');
    expect(refusedRead.headers.get('retry-after')).toBe('1');
    expect(slow.waiting).toBe(2 * READ_HEADROOM);
    slow.release();
    for (const answer of sends) expect((await answer).status).toBe(201);
    for (const answer of reads) expect((await answer).status).toBe(200);
    expect((await sendToBob()).status).toBe(201);
  });

  it('answers 503 unavailable with Retry-After when the store refuses for want of a pooled connection', async () => {
    let refuse = false;
    const sessions = new InMemorySessionStore();
    const busyStore: SessionStore = Object.assign(Object.create(sessions) as SessionStore, {
      findByTokenHash: (hash: string, now: Date) => (refuse ? Promise.reject(new Overloaded(1)) : sessions.findByTokenHash(hash, now)),
    });
    const h = await harness({ overload: DEFAULT_OVERLOAD_BOUNDS, overrides: { sessions: busyStore } });
    const alice = await register(h.app, 'alice');
    refuse = true;
    const refused = await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token });
    await problemOf(refused, 503, 'unavailable');
    expect(refused.headers.get('retry-after')).toBe('1');
    refuse = false;
    expect((await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token })).status).toBe(200);
  });

  it('lets a page on an allowed origin read a refusal (CORS headers, Retry-After exposed), and answers its preflight', async () => {
    const page = 'https://host.example';
    const slow = heldSessions();
    const h = await harness({
      overload: { maxEventLoopDelayMs: 10_000, maxInFlight: 1 },
      overrides: { sessions: slow.store },
      allowedOrigins: [page],
    });
    const alice = await register(h.app, 'alice');
    slow.hold();
    const held = Array.from({ length: READ_HEADROOM }, () => call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token }));
    const refused = await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token, headers: { Origin: page } });
    await problemOf(refused, 503, 'unavailable');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('access-control-allow-origin')).toBe(page);
    expect(refused.headers.get('access-control-expose-headers')).toContain('Retry-After');
    const preflight = await call(h.app, 'OPTIONS', '/api/v1/messages', {
      headers: { Origin: page, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(page);
    slow.release();
    for (const answer of held) expect((await answer).status).toBe(200);
  });
});
