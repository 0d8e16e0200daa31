import { connect } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type Harness, harness, listenOnLoopback, register } from './harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes a request head and the start of its body on a raw socket, then closes it. */
async function abandon(port: number, path: string, head: string, partialBody: string): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${head}\r\n${partialBody}`);
  // Long enough for the server to start on the request and wait for the rest of its body.
  await sleep(100);
  socket.destroy();
}

describe('a client that closes its socket mid-body (a real server, a raw socket)', () => {
  let server: ServerType;
  let port: number;
  let h: Harness;
  let alice: Account;

  beforeAll(async () => {
    h = await harness();
    alice = await register(h.app, 'alice');
    await register(h.app, 'bob');
    ({ server, port } = await listenOnLoopback(h.app));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const cases = [
    [
      'Content-Length: 1000, 9 bytes sent, on a send',
      '/api/v1/messages',
      'Authorization: Bearer {token}\r\nContent-Length: 1000\r\n',
      '{"recipie',
    ],
    ['Content-Length: 1000, 9 bytes sent, without an account', '/api/v1/auth/register', 'Content-Length: 1000\r\n', '{"usernam'],
    ['a chunked body cut after its first chunk', '/api/v1/auth/register', 'Transfer-Encoding: chunked\r\n', '9\r\n{"usernam\r\n'],
    ['a declared 1 MiB body cut short', '/api/v1/auth/login', `Content-Length: ${1024 * 1024}\r\n`, '{"usernam'],
  ] as const;

  for (const [label, path, head, partialBody] of cases) {
    it(`logs ${label} as a client abort at info level, counted, never an error or a 500`, async () => {
      const before = h.logs.length;
      await abandon(port, path, head.replace('{token}', alice.token), partialBody);
      let lines: Record<string, unknown>[] = [];
      for (let waited = 0; waited < 3_000; waited += 50) {
        lines = h.logs.slice(before);
        if (lines.length > 0) break;
        await sleep(50);
      }
      console.log(`${label}: ${JSON.stringify(lines)}`);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: 'client aborted', method: 'POST', path });
      expect(lines[0]).not.toHaveProperty('level');
      expect(lines[0]).not.toHaveProperty('status');
      expect(JSON.stringify(lines)).not.toMatch(/stack|Error|"status":5/);
    });
  }

  it('counts every abort, and goes on serving', async () => {
    const counts = h.logs.filter((l) => l.msg === 'client aborted').map((l) => l.clientAborts);
    expect(counts).toEqual(cases.map((_, i) => i + 1));
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ recipient: 'bob', body: 'still here' }),
    });
    expect(res.status).toBe(201);
  });
});
