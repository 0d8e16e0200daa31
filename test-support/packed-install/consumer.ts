// A host application, installed from the packed tarballs only: the center
// mounted under /chat, two users exchange a message, and a WebSocket hears it;
// then the same with the host's own users. Exits non-zero on any difference.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Message, User } from '@message-center/core';
import { createMessageCenter, type HostUser, type MessageCenter, type MessageCenterOptions } from '@message-center/server';
import { Hono } from 'hono';
import WebSocket from 'ws';

type Call = (method: string, path: string, headers?: Record<string, string>, body?: unknown) => Promise<Response>;

async function hostWith(
  options: MessageCenterOptions,
): Promise<{ center: MessageCenter; origin: string; call: Call; stop(): Promise<void> }> {
  const center = await createMessageCenter({ webRoot: false, logger: { info() {}, error: console.error }, ...options });
  const app = new Hono();
  app.get('/', (c) => c.text('the host app'));
  app.route('/chat', center.app);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  center.attach(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call: Call = (method, path, headers = {}, body) =>
    fetch(`${origin}/chat/api/v1${path}`, {
      method,
      headers: { origin, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    center,
    origin,
    call,
    async stop() {
      await center.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Opens a socket at the mount point and resolves with the first frame of `type`. */
function firstFrame(
  origin: string,
  headers: Record<string, string>,
  type: string,
): { opened: Promise<void>; frame: Promise<Record<string, unknown>> } {
  const socket = new WebSocket(`${origin.replace('http', 'ws')}/chat/api/v1/ws`, { headers, origin });
  let ready!: () => void;
  const opened = new Promise<void>((resolve) => (ready = resolve));
  const frame = new Promise<Record<string, unknown>>((resolve, reject) => {
    socket.on('unexpected-response', (_req, res) => reject(new Error(`handshake ${res.statusCode}`)));
    socket.on('message', (data) => {
      const parsed = JSON.parse(String(data)) as Record<string, unknown>;
      if (parsed.type === 'ready') ready();
      if (parsed.type === type) {
        resolve(parsed);
        socket.close();
      }
    });
  });
  return { opened, frame };
}

async function json<T>(response: Response, status: number): Promise<T> {
  assert.equal(response.status, status, await response.clone().text());
  return (await response.json()) as T;
}

async function urlForm(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-packed-'));
  const host = await hostWith({ storage: `sqlite:${join(dir, 'chat.sqlite')}` });
  try {
    const password = 'correct horse battery';
    const alice = await json<{ user: User; token: string }>(
      await host.call('POST', '/auth/register', {}, { username: 'alice', password }),
      201,
    );
    const bob = await json<{ user: User; token: string }>(
      await host.call('POST', '/auth/register', {}, { username: 'bob', password }),
      201,
    );
    const socket = firstFrame(host.origin, { authorization: `Bearer ${bob.token}` }, 'message.created');
    await socket.opened;
    const sent = await json<Message & { sender: string }>(
      await host.call(
        'POST',
        '/messages',
        { authorization: `Bearer ${alice.token}` },
        { recipient: 'bob', body: 'hello from a packed install' },
      ),
      201,
    );
    assert.deepEqual(await socket.frame, { type: 'message.created', id: sent.id, sender: 'alice', recipient: 'bob' });
    const read = await json<{ body: string }>(
      await host.call('GET', `/messages/${sent.id}`, { authorization: `Bearer ${bob.token}` }),
      200,
    );
    assert.equal(read.body, 'hello from a packed install');
    console.log('URL form (SQLite under /chat): alice → bob delivered, message.created heard');
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function hostIdentityForm(): Promise<void> {
  const signedIn = new Map<string, HostUser>([
    ['s-1', { id: 'u-1', username: 'carol' }],
    ['s-2', { id: 'u-2', username: 'dave' }],
  ]);
  const host = await hostWith({
    storage: 'memory',
    identity: { authenticate: (request) => signedIn.get(/sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? '') ?? null },
  });
  try {
    const carol = { cookie: 'sid=s-1' };
    const me = await json<{ user: User }>(await host.call('GET', '/auth/me', carol), 200);
    assert.equal(me.user.username, 'carol');
    assert.equal((await host.call('POST', '/auth/register', {}, { username: 'x', password: 'long enough' })).status, 404);
    const { token } = await host.center.issueToken({ id: 'u-2', username: 'dave' });
    const socket = firstFrame(host.origin, { authorization: `Bearer ${token}` }, 'message.created');
    await socket.opened;
    const sent = await json<{ id: string }>(await host.call('POST', '/messages', carol, { recipient: 'dave', body: 'hi dave' }), 201);
    assert.deepEqual(await socket.frame, { type: 'message.created', id: sent.id, sender: 'carol', recipient: 'dave' });
    console.log("host-identity form (memory under /chat): the host's users exchanged a message, message.created heard");
  } finally {
    await host.stop();
  }
}

await urlForm();
await hostIdentityForm();
