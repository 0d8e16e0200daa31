import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, listenOnLoopback } from './harness.js';

/** Node's client, which (unlike fetch) may send TRACE. */
function raw(
  port: number,
  method: string,
  path: string,
): Promise<{ status: number; allow: string | undefined; type: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'Content-Length': '0' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          allow: res.headers.allow,
          type: res.headers['content-type'],
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the web UI files can only be read', () => {
  let server: ServerType;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mc-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Message Center</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log("app");');
    writeFileSync(join(dir, 'bundle.js'), 'console.log("bundle");');
    mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
    writeFileSync(join(dir, 'api', 'v1', 'ws'), 'not the endpoint');
    const h = await harness({ staticAssets: { root: dir }, embeddableScript: join(dir, 'bundle.js') });
    ({ server, port } = await listenOnLoopback(h.app));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const files = ['/', '/index.html', '/app.js', '/bundle/message-center.js', '/no-such-file.js'];

  for (const method of ['PUT', 'DELETE', 'TRACE', 'POST', 'PATCH', 'OPTIONS']) {
    it(`answers ${method} on / and on static files with 405 and Allow: GET, HEAD`, async () => {
      for (const path of files) {
        const res = await raw(port, method, path);
        if (path === '/') console.log(`${method} ${path}: ${res.status} Allow: ${res.allow}`);
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.allow).toBe('GET, HEAD');
        expect(res.type).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(res.text)).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
        expect(res.text).not.toContain('<title>');
      }
    });
  }

  it('still serves GET and HEAD', async () => {
    for (const method of ['GET', 'HEAD']) {
      expect((await raw(port, method, '/')).status).toBe(200);
      expect((await raw(port, method, '/app.js')).status).toBe(200);
      expect((await raw(port, method, '/bundle/message-center.js')).status).toBe(200);
    }
    expect((await raw(port, 'GET', '/')).text).toContain('<title>Message Center</title>');
  });

  it('leaves the API and /healthz their own answers', async () => {
    // API.md: an unknown method on a known path is a 404, as is an unknown route.
    expect((await raw(port, 'DELETE', '/api/v1/messages/1')).status).toBe(404);
    expect((await raw(port, 'PUT', '/api/v1')).status).toBe(404);
    expect((await raw(port, 'POST', '/healthz')).status).toBe(404);
    // A known route with its own method answers as usual (here: no session).
    expect((await raw(port, 'PUT', '/api/v1/auth/email')).status).toBe(401);
  });

  it('never looks for a file on an API path: routes mounted later (the WebSocket endpoint) and unknown ones keep theirs', async () => {
    const res = await raw(port, 'GET', '/api/v1/ws');
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.text).not.toContain('not the endpoint');
  });
});
