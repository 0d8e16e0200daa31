import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { handshakeRequest, retarget } from '../src/handshake-request.js';
import { wholeRequestsBuiltDuring } from './harness.js';

/** What a real Node server received for one request: a GET with the given headers. */
async function incomingFor(path: string, headers: Record<string, string>): Promise<IncomingMessage> {
  const server = createServer();
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const received = once(server, 'request') as Promise<[IncomingMessage, unknown]>;
  const { port } = server.address() as AddressInfo;
  httpRequest({ host: '127.0.0.1', port, path, headers })
    .on('error', () => {})
    .end();
  const [incoming] = await received;
  return incoming;
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    // The requests are never answered: their connections go with the server.
    server.closeAllConnections();
    server.close();
  }
});

describe('handshakeRequest', () => {
  it('is a Request with the URL, method and headers Node received', async () => {
    const incoming = await incomingFor('/api/v1/ws?token=abc', { authorization: 'Bearer t', 'x-two': 'a' });
    const request = handshakeRequest(incoming);
    expect(request).toBeInstanceOf(Request);
    expect(request.url).toBe('http://localhost/api/v1/ws?token=abc');
    expect(request.method).toBe('GET');
    expect(request.headers.get('authorization')).toBe('Bearer t');
    expect(request.headers.get('x-two')).toBe('a');
    expect(handshakeRequest(incoming, 'http://localhost/elsewhere').url).toBe('http://localhost/elsewhere');
  });

  it('is routed by Hono as it is, not copied', async () => {
    const incoming = await incomingFor('/where?x=1', { cookie: 'a=b' });
    const request = handshakeRequest(incoming);
    let seen: Request | undefined;
    const app = new Hono().get('/where', (c) => {
      seen = c.req.raw;
      return c.text(`${c.req.query('x')} ${c.req.header('cookie')}`);
    });
    const response = await app.request(request);
    expect(await response.text()).toBe('1 a=b');
    expect(seen).toBe(request);
  });

  it('is an instance of the Request class of the moment, as @hono/node-server replaces it when it serves', async () => {
    const incoming = await incomingFor('/x', {});
    const standard = globalThis.Request;
    class ServersRequest extends standard {}
    globalThis.Request = ServersRequest;
    try {
      const request = handshakeRequest(incoming);
      expect(request).toBeInstanceOf(ServersRequest);
    } finally {
      globalThis.Request = standard;
    }
    expect(handshakeRequest(incoming)).not.toBeInstanceOf(ServersRequest);
  });

  it('goes to another URL as it is, headers and method kept, without building a whole Request', async () => {
    const request = handshakeRequest(await incomingFor('/chat/api/v1/ws?ticket=t', { authorization: 'Bearer t' }));
    let moved = request;
    expect(
      await wholeRequestsBuiltDuring(() => {
        moved = retarget(request, 'http://localhost/api/v1/ws?ticket=t');
      }),
    ).toBe(0);
    expect(moved.url).toBe('http://localhost/api/v1/ws?ticket=t');
    expect(moved.method).toBe('GET');
    expect(moved.headers.get('authorization')).toBe('Bearer t');
    const whole = retarget(new Request('http://localhost/a', { headers: { 'x-one': '1' } }), 'http://localhost/b');
    expect([whole.url, whole.headers.get('x-one')]).toEqual(['http://localhost/b', '1']);
  });

  it('answers everything else a Request has from a whole one, built once', async () => {
    const request = handshakeRequest(await incomingFor('/x', { 'x-one': '1' }));
    expect(request.signal).toBeInstanceOf(AbortSignal);
    expect(request.signal).toBe(request.signal);
    expect(request.bodyUsed).toBe(false);
    expect(await request.text()).toBe('');
    const copy = request.clone();
    expect(copy.url).toBe('http://localhost/x');
    expect(copy.headers.get('x-one')).toBe('1');
  });
});
