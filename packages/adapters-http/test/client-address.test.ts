import type { ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { behindProxies, type ClientAddressOf, normalizeAddress, socketAddress } from '../src/middleware/client-address.js';
import { listenOnLoopback } from './harness.js';

const servers: ServerType[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A server on a real socket that answers with the client address it reads. */
async function echoing(clientAddress: ClientAddressOf): Promise<(forwardedFor?: string) => Promise<string>> {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c)));
  const { server, port } = await listenOnLoopback(app);
  servers.push(server);
  return async (forwardedFor) =>
    (await fetch(`http://127.0.0.1:${port}/`, { headers: forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor } })).text();
}

describe('client address', () => {
  it('is the socket peer, whatever X-Forwarded-For claims, when no proxy is trusted', async () => {
    const ask = await echoing(socketAddress);
    expect(await ask()).toBe('127.0.0.1');
    expect(await ask('203.0.113.9')).toBe('127.0.0.1');
  });

  it('behind a trusted proxy, is the hop the proxy appended, never one the client wrote before it', async () => {
    const ask = await echoing(behindProxies(['127.0.0.1']));
    expect(await ask('203.0.113.9')).toBe('203.0.113.9');
    // The client forged the first entry; the proxy appended the real one.
    expect(await ask('198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(await ask()).toBe('127.0.0.1');
    expect(await ask('not an address')).toBe('127.0.0.1');
  });

  it('walks past a chain of trusted proxies, and no further', async () => {
    const ask = await echoing(behindProxies(['127.0.0.1', '10.0.0.2']));
    expect(await ask('198.51.100.1, 203.0.113.9, 10.0.0.2')).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const ask = await echoing(behindProxies(['10.0.0.2']));
    expect(await ask('203.0.113.9')).toBe('127.0.0.1');
  });

  it('spells each address one way', () => {
    expect(normalizeAddress('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(normalizeAddress('[2001:DB8::1]')).toBe('2001:db8::1');
  });
});
