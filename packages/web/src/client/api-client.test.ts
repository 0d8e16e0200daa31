import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.js';
import { ApiError } from './api-error.js';

const UNAVAILABLE = JSON.stringify({ type: 'https://message-center.dev/problems/unavailable', title: 'Unavailable', status: 503 });

/** A real server on loopback that refuses the first `refusals` requests with 503 + Retry-After: 1, then answers. */
async function shedding(refusals: number) {
  const seen: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    seen.push(`${request.method} ${request.url}`);
    if (seen.length <= refusals) {
      response.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' }).end(UNAVAILABLE);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ user: { id: '1', username: 'alice' }, email: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, client: new ApiClient({ baseUrl, auth: 'bearer', token: 't' }), close: () => server.close() };
}

describe('ApiClient against a server shedding load', () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  it('asks a read again after Retry-After, so a page booting during a short overload still signs in', async () => {
    const server = await shedding(1);
    closers.push(server.close);
    const started = Date.now();
    expect(await server.client.me()).toMatchObject({ username: 'alice' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.seen).toEqual(['GET /api/v1/auth/me', 'GET /api/v1/auth/me']);
  });

  it('gives up on a read after two more tries, and never repeats a write', async () => {
    const reads = await shedding(10);
    closers.push(reads.close);
    await expect(reads.client.me()).rejects.toMatchObject({ status: 503, retryAfter: 1 });
    expect(reads.seen).toHaveLength(3);

    const writes = await shedding(10);
    closers.push(writes.close);
    const refused = await writes.client.markRead('bob', '7').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(writes.seen).toEqual(['POST /api/v1/conversations/bob/read']);
  });
});
