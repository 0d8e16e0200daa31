import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '@message-center/core/crypto';
import { ServerFrame } from '@message-center/core/wire';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMessageCenter, type HostUser, type StorageOption } from '../src/index.js';
import { mysqlUrl, NO_MYSQL, onCi, scratchDatabase } from './mysql-server.js';
import { Client, quietLogger, tempDir } from './support.js';

if (!mysqlUrl) console.warn(NO_MYSQL);

/**
 * A host application with its own sign-in (a `host_sid` cookie naming one of
 * its users) that mounts the center under /chat and lets it ask who is calling.
 */
async function hostApp(storage: StorageOption) {
  const signedIn = new Map<string, HostUser>();
  const center = await createMessageCenter({
    storage,
    passwordHasher: new ScryptPasswordHasher(TEST_SCRYPT_COST),
    logger: quietLogger,
    webRoot: false,
    identity: {
      authenticate: (request) => {
        const sid = /(?:^|;\s*)host_sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
        return (sid && signedIn.get(sid)) || null;
      },
    },
  });
  const host = new Hono();
  host.get('/whoami', (c) => c.json(signedIn.get(getCookie(c, 'host_sid') ?? '') ?? null));
  host.route('/chat', center.app);
  const server = serve({ fetch: host.fetch, port: 0, hostname: '127.0.0.1' });
  center.attach(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = (method: string, path: string, headers: Record<string, string> = {}, json?: unknown) =>
    fetch(`${origin}/chat/api/v1${path}`, {
      method,
      headers: { origin, ...headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
  return {
    center,
    origin,
    /** The host signs someone in: their cookie. */
    signIn(sid: string, user: HostUser) {
      signedIn.set(sid, user);
      return { cookie: `host_sid=${sid}` };
    },
    call,
    socket(headers: Record<string, string>) {
      const socket = new WebSocket(`${origin.replace('http', 'ws')}/chat/api/v1/ws`, { headers, origin });
      return socket;
    },
    async stop() {
      await center.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const openClient = (host: Awaited<ReturnType<typeof hostApp>>, headers: Record<string, string>) => Client.ready(host.socket(headers));

const handshakeStatus = (socket: WebSocket) =>
  new Promise<number>((resolve) => {
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => resolve(101));
  });

function behaviour(storage: () => Promise<StorageOption>) {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  const start = async () => {
    const host = await hostApp(await storage());
    stops.push(host.stop);
    return host;
  };

  it("lets the host's users in by the host's own sign-in, on REST and the WebSocket alike", async () => {
    const host = await start();
    const alice = host.signIn('s-a', { id: 'host-1', username: 'alice' });
    const bob = host.signIn('s-b', { id: 'host-2', username: 'bob' });

    const me = await host.call('GET', '/auth/me', alice);
    expect(me.status).toBe(200);
    const aliceUser = ((await me.json()) as { user: { id: string; username: string } }).user;
    expect(aliceUser).toEqual({ id: expect.stringMatching(/^[0-9]+$/), username: 'alice' });
    expect(await (await host.call('GET', '/auth/me', bob)).json()).toMatchObject({ user: { username: 'bob' }, email: null });

    const socket = await openClient(host, bob);
    const sent = await host.call('POST', '/messages', alice, { recipient: 'bob', body: 'hello from the host' });
    expect(sent.status).toBe(201);
    const message = (await sent.json()) as { id: string };
    expect(await socket.next((f) => f.type === 'message.created')).toEqual({
      type: 'message.created',
      id: message.id,
      sender: 'alice',
      recipient: 'bob',
    });
    // Every frame in exactly a shape of the wire contract the web client's types come from.
    for (const frame of socket.frames) expect(ServerFrame.safeParse(frame).success, JSON.stringify(frame)).toBe(true);
    await socket.close();

    // Nobody signed in at the host: nobody here either.
    expect((await host.call('GET', '/auth/me')).status).toBe(401);
    expect(await handshakeStatus(host.socket({}))).toBe(401);
    expect(await handshakeStatus(host.socket({ cookie: 'host_sid=unknown' }))).toBe(401);
  });

  it("picks up a username changed in the host, keeping the user's id and messages", async () => {
    const host = await start();
    const alice = host.signIn('s-a', { id: 'host-1', username: 'alice' });
    const bob = host.signIn('s-b', { id: 'host-2', username: 'bob' });
    const first = (await (await host.call('GET', '/auth/me', alice)).json()) as { user: { id: string } };
    await host.call('POST', '/messages', bob, { recipient: 'alice', body: 'hi alice' });

    host.signIn('s-a', { id: 'host-1', username: 'alice.renamed' });
    expect(await (await host.call('GET', '/auth/me', alice)).json()).toMatchObject({
      user: { id: first.user.id, username: 'alice.renamed' },
    });
    const history = (await (await host.call('GET', '/messages?with=bob', alice)).json()) as { items: { recipient: string }[] };
    expect(history.items.map((m) => m.recipient)).toEqual(['alice.renamed']);
    const found = (await (await host.call('GET', '/users?q=alice', bob)).json()) as { items: { username: string }[] };
    expect(found.items.map((u) => u.username)).toEqual(['alice.renamed']);
  });

  it('turns sign-up, login, password and email routes off (404), and keeps the CSRF rule for host cookies', async () => {
    const host = await start();
    const alice = host.signIn('s-a', { id: 'host-1', username: 'alice' });
    for (const path of ['/auth/register', '/auth/login', '/auth/password', '/auth/password-reset', '/auth/password-reset/confirm']) {
      const res = await host.call('POST', path, alice, { username: 'x', password: 'long enough password', email: 'a@b.c' });
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 404, 'application/problem+json']);
    }
    expect((await host.call('PUT', '/auth/email', alice, { email: null, currentPassword: 'x' })).status).toBe(404);
    // Nor does the API's own description offer them.
    const document = (await (await host.call('GET', '/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/api/v1/messages');
    expect(Object.keys(document.paths).filter((path) => /\/auth\/(register|login|password|email)/.test(path))).toEqual([]);

    const foreign = await fetch(`${host.origin}/chat/api/v1/messages`, {
      method: 'POST',
      headers: { ...alice, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: 'alice', body: 'x' }),
    });
    expect(foreign.status).toBe(403);
    const noOrigin = await fetch(`${host.origin}/chat/api/v1/auth/ws-ticket`, { method: 'POST', headers: alice });
    expect(noOrigin.status).toBe(403);
    const foreignSocket = new WebSocket(`${host.origin.replace('http', 'ws')}/chat/api/v1/ws`, {
      headers: alice,
      origin: 'https://evil.example',
    });
    expect(await handshakeStatus(foreignSocket)).toBe(403);
  });

  it('issues short-lived bearer tokens for the web components, good on REST and the WebSocket from any origin', async () => {
    const host = await start();
    const alice = host.signIn('s-a', { id: 'host-1', username: 'alice' });
    const issued = await host.center.issueToken({ id: 'host-3', username: 'carol' });
    expect(issued.user).toEqual({ id: expect.any(String), username: 'carol' });
    expect(issued.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(issued.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const bearer = { authorization: `Bearer ${issued.token}` };
    expect(await (await host.call('GET', '/auth/me', bearer)).json()).toMatchObject({ user: { username: 'carol' } });
    const socket = new WebSocket(`${host.origin.replace('http', 'ws')}/chat/api/v1/ws`, {
      headers: bearer,
      origin: 'https://other.example',
    });
    const client = await Client.ready(socket);
    await host.call('POST', '/messages', alice, { recipient: 'carol', body: 'to the token holder' });
    expect(await client.next((f) => f.type === 'message.created')).toMatchObject({ sender: 'alice', recipient: 'carol' });
    await client.close();

    // The same person through the host's sign-in is the same user.
    const carol = host.signIn('s-c', { id: 'host-3', username: 'carol' });
    expect(await (await host.call('GET', '/auth/me', carol)).json()).toMatchObject({ user: issued.user });
    await expect(host.center.issueToken({ id: 'host-4', username: 'no spaces allowed' })).rejects.toThrow(/username/);
    expect((await host.call('GET', '/auth/me', { authorization: 'Bearer not-a-token' })).status).toBe(401);
  });

  it('signs a user out everywhere when the host does: tokens stop working and open sockets close with 4401', async () => {
    const host = await start();
    const alice = host.signIn('s-a', { id: 'host-1', username: 'alice' });
    const bob = host.signIn('s-b', { id: 'host-2', username: 'bob' });
    const issued = await host.center.issueToken({ id: 'host-1', username: 'alice' });
    const bearer = { authorization: `Bearer ${issued.token}` };
    const byCookie = await openClient(host, alice);
    const byToken = await openClient(host, bearer);
    const bobSocket = await openClient(host, bob);

    await host.center.signOut({ id: 'host-1' });
    expect((await byCookie.closed).code).toBe(4401);
    expect((await byToken.closed).code).toBe(4401);
    expect((await host.call('GET', '/auth/me', bearer)).status).toBe(401);
    // Someone else's socket stays, and the host's own sign-in still decides who is calling.
    await host.call('POST', '/messages', alice, { recipient: 'bob', body: 'after the sign-out, signed in again' });
    expect(await bobSocket.next((f) => f.type === 'message.created')).toMatchObject({ sender: 'alice' });
    await bobSocket.close();
    await expect(host.center.signOut({ id: 'never-seen' })).resolves.toBeUndefined();
  });
}

describe('host identity on storage: memory', () => {
  behaviour(async () => 'memory');
});

describe('host identity on SQLite', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });
  behaviour(async () => {
    const dir = tempDir();
    dirs.push(dir);
    return `sqlite:${dir.path}/center.sqlite`;
  });
});

describe.runIf(mysqlUrl !== undefined || onCi)('host identity on MariaDB', () => {
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const drop of drops.splice(0)) await drop();
  });
  behaviour(async () => {
    if (!mysqlUrl) throw new Error(`CI=true but no MYSQL_URL.${NO_MYSQL}`);
    const scratch = await scratchDatabase(mysqlUrl);
    drops.push(scratch.drop);
    return scratch.url as StorageOption;
  });
});
