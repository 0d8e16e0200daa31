import { createHash, randomBytes } from 'node:crypto';
import { kyselyStorage, openDatabase } from '@message-center/adapters-mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type HostileServer, startHostileServer } from './hostile-support.js';
import { fillPath, type Operation, routeTable } from './route-table.js';
import { type Account, api, Client, registerUser } from './support.js';

/**
 * Values for every field and parameter the API names, in two versions: one
 * naming alice and bob's objects, one naming nothing at all. An outsider
 * must get the same answer for both. A new field without an entry here fails
 * the test, so a new route cannot go unchecked.
 */
const SAMPLES: Record<string, (ctx: Context) => { theirs: string | number | string[]; nothing: string | number | string[] }> = {
  id: (c) => ({ theirs: c.secret.id, nothing: '987654321' }),
  lastReadId: (c) => ({ theirs: c.secret.id, nothing: '987654321' }),
  after: (c) => ({ theirs: String(BigInt(c.secret.id) - 1n), nothing: '987654320' }),
  username: () => ({ theirs: 'alice', nothing: 'alice' }),
  with: () => ({ theirs: 'alice', nothing: 'alice' }),
  recipient: () => ({ theirs: 'alice', nothing: 'alice' }),
  body: () => ({ theirs: 'hello', nothing: 'hello' }),
  clientId: () => ({ theirs: 'c-1', nothing: 'c-1' }),
  before: () => ({ theirs: 'YzE6OTk5', nothing: 'YzE6OTk5' }),
  cursor: () => ({ theirs: 'YzE6OTk5', nothing: 'YzE6OTk5' }),
  limit: () => ({ theirs: 10, nothing: 10 }),
  q: () => ({ theirs: 'a', nothing: 'a' }),
  password: () => ({ theirs: 'wrong password 1', nothing: 'wrong password 1' }),
  currentPassword: () => ({ theirs: 'wrong password 1', nothing: 'wrong password 1' }),
  newPassword: () => ({ theirs: 'another password 2', nothing: 'another password 2' }),
  email: () => ({ theirs: 'alice@example.com', nothing: 'nobody@example.com' }),
  token: () => ({ theirs: 'x'.repeat(43), nothing: 'y'.repeat(43) }),
  users: () => ({ theirs: ['alice'], nothing: ['alice'] }),
};

interface Context {
  readonly server: HostileServer;
  readonly secret: { id: string; body: string };
}

type Version = 'theirs' | 'nothing';

/** The request an operation's fields make, with every value taken from `SAMPLES` in one version. */
function requestOf(op: Operation, ctx: Context, version: Version) {
  const value = (name: string) => {
    const sample = SAMPLES[name];
    if (!sample) throw new Error(`${op.method} ${op.path} names "${name}": add it to SAMPLES so the matrix covers it`);
    return sample(ctx)[version];
  };
  // `with` and `after` exclude each other: the matrix asks each of them on its own request.
  const query = op.queryParams.filter((n) => n !== 'before' || op.queryParams.includes('with'));
  const variants =
    query.includes('with') && query.includes('after')
      ? [query.filter((n) => n !== 'after'), query.filter((n) => n !== 'with' && n !== 'before')]
      : [query];
  const path = fillPath(op.path, Object.fromEntries(op.pathParams.map((n) => [n, encodeURIComponent(String(value(n)))])));
  return variants.map((names) => ({
    url: path + (names.length ? `?${names.map((n) => `${n}=${encodeURIComponent(String(value(n)))}`).join('&')}` : ''),
    body: op.bodyFields.length ? JSON.stringify(Object.fromEntries(op.bodyFields.map((n) => [n, value(n)]))) : undefined,
  }));
}

async function answer(base: string, method: string, url: string, body: string | undefined, headers: Record<string, string>) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('the authorization matrix, generated from the OpenAPI document', () => {
  let server: HostileServer;
  let operations: Operation[];
  let ctx: Context;
  let carol: Account;
  let loggedOut: string;
  let expired: string;
  beforeAll(async () => {
    server = await startHostileServer();
    operations = await routeTable(server.base);
    const body = `secret ${randomBytes(8).toString('hex')}`;
    const sent = await api(server.base, 'POST', '/messages', server.alice.token, { recipient: 'bob', body });
    ctx = { server, secret: { id: ((await sent.json()) as { id: string }).id, body } };
    carol = await registerUser(server.base, 'carol');
    loggedOut = (await registerUser(server.base, 'dave')).token;
    expect((await api(server.base, 'POST', '/auth/logout', loggedOut)).status).toBe(204);
    // A session of alice's that has run out: written into the store as the server would, with its end in the past.
    expired = randomBytes(32).toString('base64url');
    const database = openDatabase(server.databaseUrl);
    try {
      await kyselyStorage(database).sessions.create({
        tokenHash: createHash('sha256').update(expired).digest('hex'),
        userId: server.alice.user.id,
        expiresAt: new Date(Date.now() - 1000),
      });
    } finally {
      await database.close();
    }
  });
  afterAll(() => server.close());

  const guarded = () => operations.filter((o) => o.needsSession);

  it('finds the guarded routes in the document', () => {
    expect(guarded().map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining([
        'GET /api/v1/messages/{id}',
        'POST /api/v1/messages',
        'POST /api/v1/conversations/{username}/read',
        'POST /api/v1/auth/ws-ticket',
      ]),
    );
  });

  const refusedCredentials: [string, (ctx: Context) => Record<string, string>][] = [
    ['no credential', () => ({})],
    ['a logged-out session', () => ({ Authorization: `Bearer ${loggedOut}` })],
    ['an expired session', () => ({ Authorization: `Bearer ${expired}` })],
    ['a forged token', () => ({ Authorization: `Bearer ${randomBytes(32).toString('base64url')}` })],
    ['a valid token with one character changed', (c) => ({ Authorization: `Bearer ${flipLast(c.server.alice.token)}` })],
    ['a forged cookie', (c) => ({ Cookie: `mc_session=${randomBytes(32).toString('base64url')}`, Origin: c.server.base })],
    ['a logged-out cookie', (c) => ({ Cookie: `mc_session=${loggedOut}`, Origin: c.server.base })],
  ];

  for (const [who, headers] of refusedCredentials) {
    it(`refuses ${who} on every guarded route with 401, the same whether the object exists or not`, async () => {
      for (const op of guarded()) {
        const theirs = requestOf(op, ctx, 'theirs');
        const nothing = requestOf(op, ctx, 'nothing');
        for (const [i, request] of theirs.entries()) {
          const a = await answer(server.base, op.method, request.url, request.body, headers(ctx));
          const b = await answer(server.base, op.method, nothing[i]?.url ?? '', nothing[i]?.body, headers(ctx));
          expect({ route: `${op.method} ${request.url}`, status: a.status, type: a.type }).toEqual({
            route: `${op.method} ${request.url}`,
            status: 401,
            type: 'application/problem+json',
          });
          expect(JSON.parse(a.text)).toMatchObject({ type: '/problems/unauthenticated', status: 401 });
          expect(a.text).toBe(b.text);
        }
      }
    });
  }

  it('refuses a valid cookie sent from a foreign page on every unsafe guarded route with 403 (CSRF), whatever it names', async () => {
    for (const op of guarded().filter((o) => o.method !== 'GET')) {
      for (const request of requestOf(op, ctx, 'theirs')) {
        const a = await answer(server.base, op.method, request.url, request.body, {
          Cookie: `mc_session=${server.alice.token}`,
          Origin: 'https://evil.example',
        });
        expect({ route: `${op.method} ${request.url}`, status: a.status }).toEqual({ route: `${op.method} ${request.url}`, status: 403 });
        expect(JSON.parse(a.text)).toMatchObject({ type: '/problems/forbidden' });
      }
    }
  });

  it('gives a user outside the conversation nothing of it on any route: the same answer as for objects that do not exist', async () => {
    const before = await (await api(server.base, 'GET', '/conversations', server.bob.token)).json();
    const headers = { Authorization: `Bearer ${carol.token}` };
    // Reads and marks first: carol's own sends below would otherwise show up in her later reads.
    const readsFirst = [...guarded()].sort((x, y) => Number(isUnsafe(x)) - Number(isUnsafe(y)));
    for (const op of readsFirst) {
      // Logging out or changing the password would end carol's session for the routes after it.
      if (/\/auth\/(logout|password)$/.test(op.path)) continue;
      const theirs = requestOf(op, ctx, 'theirs');
      const nothing = requestOf(op, ctx, 'nothing');
      for (const [i, request] of theirs.entries()) {
        const a = await answer(server.base, op.method, request.url, request.body, headers);
        expect(a.status, `${op.method} ${request.url}`).not.toBe(500);
        expect(a.text, `${op.method} ${request.url} shows the secret`).not.toContain(ctx.secret.body);
        // Unsafe routes change carol's own state (a send, a ticket): compare answers only for reads and for marks.
        if (!isUnsafe(op)) {
          const b = await answer(server.base, op.method, nothing[i]?.url ?? '', nothing[i]?.body, headers);
          expect({ route: `${op.method} ${request.url}`, status: a.status, body: a.text }).toEqual({
            route: `${op.method} ${request.url}`,
            status: b.status,
            body: b.text,
          });
        }
      }
    }
    // Nothing carol did moved bob's read marker or his unread count.
    expect(await (await api(server.base, 'GET', '/conversations', server.bob.token)).json()).toEqual(before);
    // And alice and bob still see it: the secret was there to find.
    const own = await api(server.base, 'GET', `/messages/${ctx.secret.id}`, server.bob.token);
    expect(((await own.json()) as { body: string }).body).toBe(ctx.secret.body);
  });

  describe('the WebSocket', () => {
    const handshake = (query: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${server.wsBase}/api/v1/ws${query}`, { headers });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          reject(new Error('upgraded'));
        });
        socket.on('error', () => {});
      });

    it('refuses every bad credential at the handshake with a plain 401, and a replayed ticket too', async () => {
      for (const [who, headers] of refusedCredentials) {
        const sent = headers(ctx);
        // A cookie handshake is judged by its credential first: a bad one is 401 whatever the Origin.
        expect({ who, status: await handshake('', sent) }).toEqual({ who, status: 401 });
      }
      expect(await handshake(`?ticket=${randomBytes(32).toString('base64url')}`, {})).toBe(401);
      const issued = await api(server.base, 'POST', '/auth/ws-ticket', carol.token);
      const { ticket } = (await issued.json()) as { ticket: string };
      const first = new WebSocket(`${server.wsBase}/api/v1/ws?ticket=${ticket}`);
      await new Promise((resolve, reject) => {
        first.once('open', resolve);
        first.once('unexpected-response', (_req, res) => reject(new Error(`first use refused: ${res.statusCode}`)));
      });
      first.close();
      expect(await handshake(`?ticket=${ticket}`, {})).toBe(401);
      // A ticket is carol's alone: it does not work as a bearer token either.
      expect(await handshake('', { Authorization: `Bearer ${ticket}` })).toBe(401);
    });

    it('closes an open socket with 4401 when its session logs out', async () => {
      const erin = await registerUser(server.base, 'erin');
      const socket = await Client.open(server.wsBase, erin.token);
      expect((await api(server.base, 'POST', '/auth/logout', erin.token)).status).toBe(204);
      expect((await socket.closed).code).toBe(4401);
    });

    it("sends an outsider none of the conversation's events (messages, reads, typing), while its two people get each one", async () => {
      const outsider = await Client.open(server.wsBase, carol.token);
      const bobSocket = await Client.open(server.wsBase, server.bob.token);
      const aliceSocket = await Client.open(server.wsBase, server.alice.token);
      const sent = await api(server.base, 'POST', '/messages', server.alice.token, { recipient: 'bob', body: 'for bob only' });
      const { id } = (await sent.json()) as { id: string };
      await api(server.base, 'POST', '/conversations/alice/read', server.bob.token, { lastReadId: id });
      aliceSocket.socket.send(JSON.stringify({ type: 'typing', to: 'bob' }));
      await bobSocket.next((f) => f.type === 'message.created' && f.id === id);
      await bobSocket.next((f) => f.type === 'conversation.read' && f.lastReadId === id);
      await bobSocket.next((f) => f.type === 'typing' && f.from === 'alice');
      // A ping after the events: its pong arrives after anything the server had queued for carol.
      outsider.socket.send('{"type":"ping"}');
      await outsider.next((f) => f.type === 'pong');
      expect(outsider.frames.map((f) => f.type).filter((t) => t !== 'ready' && t !== 'pong' && t !== 'presence')).toEqual([]);
      await outsider.close();
      await bobSocket.close();
      await aliceSocket.close();
    });
  });
});

/** Routes whose effect is on the caller's own state (a send, a ticket), not a read of anyone's. */
const isUnsafe = (op: Operation) => op.method !== 'GET' && !op.path.endsWith('/read');

function flipLast(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}
