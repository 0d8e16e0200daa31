import { connect as connectTcp, type Socket } from 'node:net';
import { StoreUnavailable } from '@message-center/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  type Account,
  ALLOWED_ORIGIN,
  bearer,
  connect,
  cookie,
  FOREIGN_ORIGIN,
  rawHandshake,
  refusal,
  startServer,
  steppedHandshake,
  type TestClient,
  type TestServer,
  until,
  wholeRequestsBuiltDuring,
} from './harness.js';

let server: TestServer;
const clients: TestClient[] = [];
const track = (client: TestClient) => {
  clients.push(client);
  return client;
};
const open = async (...args: Parameters<typeof connect>) => track(await connect(...args));

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

describe('handshake', () => {
  beforeEach(async () => {
    server = await startServer();
  });

  it('sends a ready frame with the user first, to a bearer handshake', async () => {
    const alice = await server.register('alice');
    const client = await open(server, bearer(alice));
    expect(await client.next()).toEqual({ type: 'ready', user: { id: alice.user.id, username: 'alice' } });
  });

  it('accepts a session cookie from the same origin and from an allowed one', async () => {
    const alice = await server.register('alice');
    const same = await open(server, cookie(alice, `http://${server.host}`));
    const allowed = await open(server, cookie(alice, ALLOWED_ORIGIN));
    expect(await same.next()).toMatchObject({ type: 'ready', user: { username: 'alice' } });
    expect(await allowed.next()).toMatchObject({ type: 'ready', user: { username: 'alice' } });
  });

  it('refuses a handshake without a credential, or with a bad one, with a plain 401', async () => {
    const alice = await server.register('alice');
    expect(await refusal(server)).toBe(401);
    expect(await refusal(server, { headers: { authorization: 'Bearer not-a-token' } })).toBe(401);
    expect(await refusal(server, { headers: { authorization: `Basic ${alice.token}` } })).toBe(401);
    expect(await refusal(server, cookie({ ...alice, token: 'forged' }, ALLOWED_ORIGIN))).toBe(401);
    expect(await refusal(server, { query: '?ticket=unknown' })).toBe(401);
    expect(server.registry.size).toBe(0);
  });

  it('answers a refused upgrade on the wire with an HTTP status line and no 101', async () => {
    const answer = await rawHandshake(server);
    expect(answer).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(answer).not.toContain('101');
    expect(answer.toLowerCase()).not.toContain('sec-websocket-accept');
  });

  it('refuses a cookie handshake from a foreign origin with 403 (cross-site WebSocket hijacking)', async () => {
    const alice = await server.register('alice');
    expect(await refusal(server, cookie(alice, FOREIGN_ORIGIN))).toBe(403);
    expect(await refusal(server, cookie(alice, 'null'))).toBe(403);
    const answer = await rawHandshake(server, [`Origin: ${FOREIGN_ORIGIN}`, `Cookie: mc_session=${alice.token}`]);
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
  });

  it('answers 401, not 403, for a bad session cookie from any origin or none: the credential is checked first', async () => {
    const nobody = { ...(await server.register('alice')), token: 'forged' };
    expect(await refusal(server, cookie(nobody))).toBe(401);
    expect(await refusal(server, cookie(nobody, FOREIGN_ORIGIN))).toBe(401);
    expect(await refusal(server, cookie(nobody, ALLOWED_ORIGIN))).toBe(401);
  });

  it('answers a refused handshake with the problem shape of the REST edge: type, title, status, detail', async () => {
    const alice = await server.register('alice');
    for (const [headers, status, type] of [
      [{}, 401, 'unauthenticated'],
      [{ cookie: `mc_session=${alice.token}`, origin: FOREIGN_ORIGIN }, 403, 'forbidden'],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/ws`, { headers });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toEqual({
        type: `/problems/${type}`,
        title: expect.any(String),
        status,
        detail: expect.stringMatching(/\S/),
      });
    }
  });

  it('treats a cookie handshake without Origin like REST does: only with Sec-Fetch-Site: same-origin', async () => {
    const alice = await server.register('alice');
    expect(await refusal(server, cookie(alice))).toBe(403);
    const client = await open(server, { headers: { cookie: `mc_session=${alice.token}`, 'sec-fetch-site': 'same-origin' } });
    expect(await client.next()).toMatchObject({ type: 'ready' });
  });

  it('accepts the session cookie under its HTTPS name, __Host-mc_session', async () => {
    const alice = await server.register('alice');
    const client = await open(server, { headers: { cookie: `__Host-mc_session=${alice.token}`, 'sec-fetch-site': 'same-origin' } });
    expect(await client.next()).toMatchObject({ type: 'ready', user: { username: 'alice' } });
  });

  it('accepts a bearer token from any origin', async () => {
    const alice = await server.register('alice');
    const client = await open(server, { ...bearer(alice), origin: FOREIGN_ORIGIN });
    expect(await client.next()).toMatchObject({ type: 'ready', user: { username: 'alice' } });
  });

  it('accepts a ticket from any origin, once', async () => {
    const alice = await server.register('alice');
    const { ticket } = await server.useCases.issueWsTicket.execute({ user: alice.user, session: alice.session });
    const client = await open(server, { query: `?ticket=${ticket}`, origin: FOREIGN_ORIGIN });
    expect(await client.next()).toMatchObject({ type: 'ready', user: { username: 'alice' } });
    expect(await refusal(server, { query: `?ticket=${ticket}`, origin: FOREIGN_ORIGIN })).toBe(401);
  });

  it('refuses a ticket whose session has ended', async () => {
    const alice = await server.register('alice');
    const { ticket } = await server.useCases.issueWsTicket.execute({ user: alice.user, session: alice.session });
    await server.useCases.logOut.execute({ session: alice.session });
    expect(await refusal(server, { query: `?ticket=${ticket}` })).toBe(401);
  });

  it("leaves an open socket with the endpoint's own listeners only: none per connection, none for ws's client tracking", async () => {
    // Each would keep something per connection for its life: a closure its whole handshake state, ws's tracking a set entry.
    const registered = vi.spyOn(server.registry, 'add');
    const alice = await server.register('alice');
    const client = await open(server, bearer(alice));
    await client.next();
    const socket = registered.mock.calls[0]?.[0].socket as WebSocket;
    expect(['message', 'close', 'error'].map((event) => socket.listenerCount(event))).toEqual([1, 1, 1]);
    // The endpoint's own listener still answers.
    await client.expectOnlyPong();
  });

  it('routes the handshake through the app without building a whole Request', async () => {
    // A whole one costs an AbortController per handshake, which V8 frees only in a full collection.
    const alice = await server.register('alice');
    const built = await wholeRequestsBuiltDuring(async () => {
      const client = await open(server, bearer(alice));
      expect(await client.next()).toMatchObject({ type: 'ready' });
      expect(await refusal(server, { query: '?ticket=nope' })).toBe(401);
    });
    expect(built).toBe(0);
  });

  it('cuts the connection of an upgrade that fails on a bug, reports the bug, and goes on', async () => {
    await server.close();
    const errors: unknown[] = [];
    server = await startServer({ onError: (error) => errors.push(error) });
    const alice = await server.register('alice');
    vi.spyOn(server.registry, 'add').mockImplementationOnce(() => {
      throw new Error('a bug');
    });
    const cut = await open(server, bearer(alice));
    expect((await cut.closed).code).toBe(1006);
    expect(errors).toEqual([new Error('a bug')]);
    const client = await open(server, bearer(alice));
    expect(await client.next()).toMatchObject({ type: 'ready' });
    await client.expectOnlyPong();
  });

  it('answers a plain GET without an upgrade with 426', async () => {
    const alice = await server.register('alice');
    const response = await server.app.request('/api/v1/ws', { headers: { authorization: `Bearer ${alice.token}` } });
    expect(response.status).toBe(426);
  });
});

describe('delivery', () => {
  beforeEach(async () => {
    server = await startServer();
  });

  it('delivers message.created to every connection of both participants and to no one else', async () => {
    const [alice, bob, carol] = [await server.register('alice'), await server.register('bob'), await server.register('carol')];
    const aliceTabs = [await open(server, bearer(alice)), await open(server, cookie(alice, ALLOWED_ORIGIN))];
    const bobTabs = [await open(server, bearer(bob)), await open(server, bearer(bob))];
    const carolTab = await open(server, bearer(carol));
    for (const client of [...aliceTabs, ...bobTabs, carolTab]) expect(await client.next()).toMatchObject({ type: 'ready' });

    const sent = await server.useCases.sendMessage.execute({ sender: alice.user, recipient: 'bob', body: 'hi' });
    if (!sent.ok) throw new Error('send failed');

    const expected = { type: 'message.created', id: sent.value.message.id, sender: 'alice', recipient: 'bob' };
    for (const client of [...aliceTabs, ...bobTabs]) expect(await client.next()).toEqual(expected);
    await carolTab.expectOnlyPong();
  });

  it('delivers conversation.read to both participants', async () => {
    const [alice, bob] = [await server.register('alice'), await server.register('bob')];
    const sent = await server.useCases.sendMessage.execute({ sender: alice.user, recipient: 'bob', body: 'hi' });
    if (!sent.ok) throw new Error('send failed');
    const aliceTab = await open(server, bearer(alice));
    const bobTab = await open(server, bearer(bob));
    await aliceTab.next();
    await bobTab.next();

    const read = await server.useCases.markRead.execute({ reader: bob.user, peer: 'alice', lastReadId: sent.value.message.id });
    expect(read.ok).toBe(true);

    const expected = { type: 'conversation.read', reader: 'bob', peer: 'alice', lastReadId: sent.value.message.id };
    expect(await aliceTab.next()).toEqual(expected);
    expect(await bobTab.next()).toEqual(expected);
  });

  it('sends resync to every connection of every user when events may have been lost', async () => {
    const [alice, bob] = [await server.register('alice'), await server.register('bob')];
    const tabs = [await open(server, bearer(alice)), await open(server, bearer(alice)), await open(server, bearer(bob))];
    for (const client of tabs) expect(await client.next()).toMatchObject({ type: 'ready' });

    server.registry.deliver({ kind: 'resync' });

    for (const client of tabs) expect(await client.next()).toEqual({ type: 'resync' });
  });

  it('closes the sockets of an ended session with 4401 and keeps the others', async () => {
    const alice = await server.register('alice');
    const other = await server.useCases.logIn.execute({ username: 'alice', password: 'correct horse battery', clientAddress: '127.0.0.1' });
    if (!other.ok) throw new Error('login failed');
    const ending = [await open(server, bearer(alice)), await open(server, cookie(alice, ALLOWED_ORIGIN))];
    const staying = await open(server, { headers: { authorization: `Bearer ${other.value.token}` } });
    for (const client of [...ending, staying]) await client.next();

    await server.useCases.logOut.execute({ session: alice.session });

    for (const client of ending) expect((await client.closed).code).toBe(4401);
    await staying.expectOnlyPong();
    expect(server.registry.countForUser(alice.user.id)).toBe(1);
  });

  it('closes with 4401 a socket whose session ends between the handshake check and its registration', async () => {
    await server.close();
    server = await startServer({
      // Revoked after the check: the 4401 is published while the socket is not registered yet.
      handshake: steppedHandshake({ afterCheck: ({ session }, useCases) => useCases.logOut.execute({ session }) }),
    });
    const alice = await server.register('alice');
    const client = await open(server, bearer(alice));
    expect((await client.closed).code).toBe(4401);
    await until(() => server.registry.countForUser(alice.user.id) === 0);
  });

  it('closes with 1011 a socket whose session cannot be confirmed, after a session ended during its handshake, because the store is down', async () => {
    await server.close();
    let bystander: Account | undefined;
    server = await startServer({
      handshake: steppedHandshake({
        // Someone else's session ends meanwhile: it might have been this one's.
        afterCheck: async (_, useCases) => {
          if (bystander) await useCases.logOut.execute({ session: bystander.session });
        },
        sessionIsLive: async () => {
          throw new StoreUnavailable();
        },
      }),
    });
    bystander = await server.register('bob');
    const alice = await server.register('alice');
    const client = await open(server, bearer(alice));
    expect((await client.closed).code).toBe(1011);
  });

  it('does not read the session again when no session ended during the handshake', async () => {
    await server.close();
    let reads = 0;
    server = await startServer({
      handshake: steppedHandshake({
        sessionIsLive: (sessionId, store) => {
          reads++;
          return store(sessionId);
        },
      }),
    });
    const alice = await server.register('alice');
    const bob = await server.register('bob');
    const before = await open(server, bearer(bob));
    await before.next();
    // An ending heard before this handshake started is not a reason to ask.
    await server.useCases.logOut.execute({ session: bob.session });
    expect((await before.closed).code).toBe(4401);
    const clients = [await open(server, bearer(alice)), await open(server, bearer(alice))];
    for (const client of clients) {
      expect(await client.next()).toMatchObject({ type: 'ready' });
      await client.expectOnlyPong();
    }
    expect(reads).toBe(0);
  });

  it.each([
    ['a resync (notifications were lost)', (server: TestServer) => server.registry.deliver({ kind: 'resync' })],
    ['a recheck asked for', (server: TestServer) => void server.endpoint.recheckSessions()],
    ['another session ended through the registry', (server: TestServer) => server.registry.endSession('another session')],
  ])('reads the session again after %s during the handshake, and closes it with 4401 if it ended unannounced', async (_, lose) => {
    await server.close();
    server = await startServer({
      handshake: steppedHandshake({
        afterCheck: async ({ session }) => {
          // Ended in the store with no end-sessions heard here, as when Redis was down.
          await server.ports.sessions.revoke(session.id);
          lose(server);
        },
      }),
    });
    const alice = await server.register('alice');
    const client = await open(server, bearer(alice));
    expect((await client.closed).code).toBe(4401);
  });

  it('closes with 4401 the sockets of a session when it expires', async () => {
    await server.close();
    server = await startServer({ sessionTtlMs: 300 });
    const alice = await server.register('alice');
    const expiring = await open(server, bearer(alice));
    await expiring.next();
    const started = Date.now();
    expect((await expiring.closed).code).toBe(4401);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(server.registry.countForUser(alice.user.id)).toBe(0);
  });

  it('closes every connection with 1001 when the endpoint shuts down', async () => {
    const alice = await server.register('alice');
    const client = await open(server, bearer(alice));
    await client.next();
    server.endpoint.close();
    expect((await client.closed).code).toBe(1001);
    const late = await open(server, bearer(alice));
    expect((await late.closed).code).toBe(1001);
  });
});

describe('recheckSessions', () => {
  const logIn = async (username: string) => {
    const logged = await server.useCases.logIn.execute({ username, password: 'correct horse battery', clientAddress: '127.0.0.1' });
    if (!logged.ok) throw new Error('login failed');
    return logged.value;
  };

  it('closes with 4401 the sockets of sessions ended in the store without a notification, and keeps the live ones', async () => {
    server = await startServer();
    const alice = await server.register('alice');
    const other = await logIn('alice');
    const bob = await server.register('bob');
    const ended = [await open(server, bearer(alice)), await open(server, cookie(alice, ALLOWED_ORIGIN))];
    const staying = [await open(server, { headers: { authorization: `Bearer ${other.token}` } }), await open(server, bearer(bob))];
    for (const client of [...ended, ...staying]) expect(await client.next()).toMatchObject({ type: 'ready' });

    // Straight in the store: no end-sessions is published, as when Redis was down at logout.
    await server.ports.sessions.revoke(alice.session.id);
    for (const client of ended) await client.expectOnlyPong();

    await server.endpoint.recheckSessions();
    for (const client of ended) expect((await client.closed).code).toBe(4401);
    for (const client of staying) await client.expectOnlyPong();
    expect(server.registry.countForUser(alice.user.id)).toBe(1);
    expect(server.registry.countForUser(bob.user.id)).toBe(1);
  });

  it('leaves sockets open and reports when the store cannot answer, and closes them on a later recheck', async () => {
    let storeDown = false;
    const errors: unknown[] = [];
    server = await startServer({
      onError: (error) => errors.push(error),
      handshake: steppedHandshake({
        sessionIsLive: async (sessionId, store) => {
          if (storeDown) throw new StoreUnavailable();
          return store(sessionId);
        },
      }),
    });
    const alice = await server.register('alice');
    const client = await open(server, bearer(alice));
    expect(await client.next()).toMatchObject({ type: 'ready' });
    await client.expectOnlyPong();
    await server.ports.sessions.revoke(alice.session.id);

    storeDown = true;
    await server.endpoint.recheckSessions();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StoreUnavailable);
    await client.expectOnlyPong();

    storeDown = false;
    await server.endpoint.recheckSessions();
    expect((await client.closed).code).toBe(4401);
  });

  it('asks about each session once, at most 8 at a time, and runs once more when asked during a recheck', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const asked: string[] = [];
    server = await startServer({
      handshake: steppedHandshake({
        sessionIsLive: async (sessionId, store) => {
          asked.push(sessionId);
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inFlight -= 1;
          return store(sessionId);
        },
      }),
    });
    await server.register('alice');
    const tokens: string[] = [];
    // One after another: simultaneous attempts would meet the login throttle.
    for (let i = 0; i < 20; i++) tokens.push((await logIn('alice')).token);
    // Two sockets on one session: it is still asked about once.
    const clients = [...(await Promise.all(tokens.map((token) => open(server, { headers: { authorization: `Bearer ${token}` } }))))];
    clients.push(await open(server, { headers: { authorization: `Bearer ${tokens[0]}` } }));
    for (const client of clients) {
      expect(await client.next()).toMatchObject({ type: 'ready' });
      await client.expectOnlyPong();
    }
    // No session ended while they opened: none of them was asked about.
    expect(asked).toEqual([]);

    const first = server.endpoint.recheckSessions();
    const second = server.endpoint.recheckSessions();
    const third = server.endpoint.recheckSessions();
    await Promise.all([first, second, third]);
    expect(asked).toHaveLength(40);
    expect(new Set(asked.slice(0, 20)).size).toBe(20);
    expect(mostInFlight).toBe(8);
  });
});

describe('client frames', () => {
  beforeEach(async () => {
    server = await startServer({ maxConnectionsPerUser: 2 });
  });

  it('answers ping with pong', async () => {
    const client = await open(server, bearer(await server.register('alice')));
    await client.next();
    client.socket.send(JSON.stringify({ type: 'ping' }));
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  it('ignores frame types it does not know', async () => {
    const client = await open(server, bearer(await server.register('alice')));
    await client.next();
    client.socket.send(JSON.stringify({ type: 'from-the-future' }));
    await client.expectOnlyPong();
  });

  it('closes with 1009 on a frame over 64 KiB', async () => {
    const client = await open(server, bearer(await server.register('alice')));
    await client.next();
    client.socket.send('x'.repeat(64 * 1024 + 1));
    expect((await client.closed).code).toBe(1009);
    await until(() => server.registry.size === 0);
  });

  it('accepts a frame of exactly 64 KiB', async () => {
    const client = await open(server, bearer(await server.register('alice')));
    await client.next();
    const padding = 'x'.repeat(64 * 1024 - JSON.stringify({ type: 'ping', padding: '' }).length);
    client.socket.send(JSON.stringify({ type: 'ping', padding }));
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  it('closes with 1008 on binary and on malformed frames', async () => {
    const alice = await server.register('alice');
    const binary = await open(server, bearer(alice));
    const malformed = await open(server, bearer(alice));
    binary.socket.send(Buffer.from([1, 2, 3]));
    malformed.socket.send('{not json');
    expect((await binary.closed).code).toBe(1008);
    expect((await malformed.closed).code).toBe(1008);
  });

  it('refuses the handshake past the per-user limit with a plain 429, Retry-After and a problem body, and upgrades nothing', async () => {
    const alice = await server.register('alice');
    const first = await open(server, bearer(alice));
    await first.next();
    await open(server, bearer(alice));
    const answer = await rawHandshake(server, [`Authorization: Bearer ${alice.token}`]);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(head).toMatch(/\r\nretry-after: [1-9][0-9]*(\r\n|$)/i);
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(head.toLowerCase()).not.toContain('sec-websocket-accept');
    expect(JSON.parse(body)).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect(await refusal(server, bearer(alice))).toBe(429);
    expect(server.registry.countForUser(alice.user.id)).toBe(2);
    // Another user is not affected, and a closed connection frees its place.
    await open(server, bearer(await server.register('bob')));
    await first.expectOnlyPong();
    first.close();
    await until(() => server.registry.countForUser(alice.user.id) === 1);
    await vi.waitFor(async () => expect((await open(server, bearer(alice))).next()).resolves.toMatchObject({ type: 'ready' }));
  });

  it('gives back the place of an accepted handshake that is never upgraded', async () => {
    const alice = await server.register('alice');
    for (let i = 0; i < 3; i++) {
      // A key `ws` refuses: the credential passed, the upgrade does not happen.
      const answer = await rawHandshake(server, [`Authorization: Bearer ${alice.token}`], 'not-a-key');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    }
    await open(server, bearer(alice));
    await open(server, bearer(alice));
    expect(server.registry.countForUser(alice.user.id)).toBe(2);
  });
});

describe('frame rate', () => {
  beforeEach(async () => {
    server = await startServer({ maxFrameRate: 5 });
  });

  it('closes a connection with 1008 once it passes its burst (twice the rate), pings and other frames alike', async () => {
    const alice = await server.register('alice');
    const pinging = await open(server, bearer(alice));
    await pinging.next();
    for (let i = 0; i < 30; i++) pinging.socket.send('{"type":"ping"}');
    expect((await pinging.closed).code).toBe(1008);
    const pongs = await drain(pinging);
    // The burst of 10, and perhaps one more refilled while they were sent.
    expect(pongs).toBeGreaterThanOrEqual(10);
    expect(pongs).toBeLessThanOrEqual(11);

    const chatty = await open(server, bearer(alice));
    await chatty.next();
    for (let i = 0; i < 30; i++) chatty.socket.send('{"type":"not-a-frame-type"}');
    expect((await chatty.closed).code).toBe(1008);

    const protocolPings = await open(server, bearer(alice));
    await protocolPings.next();
    for (let i = 0; i < 30; i++) protocolPings.socket.ping();
    expect((await protocolPings.closed).code).toBe(1008);
    await until(() => server.registry.countForUser(alice.user.id) === 0);
  });

  it('keeps a connection that stays within its rate', async () => {
    const alice = await server.register('alice');
    const client = await open(server, bearer(alice));
    await client.next();
    for (let i = 0; i < 8; i++) client.socket.send('{"type":"ping"}');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Eight spent of ten, then a second's refill of five: room for the probe.
    for (let i = 0; i < 8; i++) await client.next();
    await client.expectOnlyPong();
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });
});

/** How many pongs a closed client had received. */
async function drain(client: TestClient): Promise<number> {
  let pongs = 0;
  for (;;) {
    try {
      const frame = await client.next(50);
      if (JSON.stringify(frame) === '{"type":"pong"}') pongs++;
    } catch {
      return pongs;
    }
  }
}

describe('liveness and backpressure', () => {
  it('drops a peer that stops answering pings and keeps one that answers', async () => {
    server = await startServer({ heartbeatMs: 100 });
    const alice = await server.register('alice');
    const dead = await open(server, { ...bearer(alice), autoPong: false });
    const alive = await open(server, bearer(alice));
    const started = Date.now();
    expect((await dead.closed).code).toBe(1006);
    // Two silent beats and a margin for a loaded machine; without the heartbeat it would never close.
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    expect(server.registry.countForUser(alice.user.id)).toBe(1);
  });

  it('disconnects a reader too slow to keep up with 1008 instead of buffering without bound', async () => {
    server = await startServer({ maxBufferedBytes: 64 * 1024 });
    const [alice, bob] = [await server.register('alice'), await server.register('bob')];
    let tcp: Socket | undefined;
    const slow = await open(server, {
      ...bearer(bob),
      createConnection: (options) => {
        // Our own TCP socket, so the test can stop reading from it.
        const { host, port } = options as { host: string; port: number };
        tcp = connectTcp({ host, port });
        return tcp;
      },
    });
    const fast = await open(server, bearer(alice));
    await slow.next();
    await fast.next();
    tcp?.pause();

    // Fill the kernel's buffers first; only then does the server's own send buffer grow.
    const event = { type: 'message.created', id: '1', sender: 'alice', recipient: 'bob' } as const;
    let sent = 0;
    while (server.registry.countForUser(bob.user.id) > 0 && sent < 2_000_000) {
      server.registry.deliver({ kind: 'event', userIds: [bob.user.id], event: { ...event, id: String(++sent) } });
      if (sent % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.registry.countForUser(bob.user.id)).toBe(0);

    tcp?.resume();
    expect((await slow.closed).code).toBe(1008);
    await fast.expectOnlyPong();
  });
});
