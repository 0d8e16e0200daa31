import { afterEach, describe, expect, it } from 'vitest';
import { type Account, bearer, connect, startServer, type TestClient, type TestServer } from './harness.js';

const GRACE_MS = 300;
let server: TestServer;
const clients: TestClient[] = [];
const open = async (account: Account) => {
  const client = await connect(server, bearer(account));
  clients.push(client);
  expect(await client.next()).toMatchObject({ type: 'ready' });
  return client;
};
const send = (client: TestClient, frame: unknown) => client.socket.send(JSON.stringify(frame));

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

describe('typing', () => {
  it("goes to every connection of the named user, and to no one else's", async () => {
    server = await startServer();
    const [alice, bob, carol] = [await server.register('alice'), await server.register('bob'), await server.register('carol')];
    const [aliceHere, aliceThere, bobOne, bobTwo, carolOnly] = [
      await open(alice),
      await open(alice),
      await open(bob),
      await open(bob),
      await open(carol),
    ];

    send(aliceHere, { type: 'typing', to: 'BOB' });
    for (const client of [bobOne, bobTwo]) expect(await client.next()).toEqual({ type: 'typing', from: 'alice' });
    for (const client of [aliceHere, aliceThere, carolOnly, bobOne, bobTwo]) await client.expectOnlyPong();
  });

  it('ignores an unknown recipient, oneself, and a frame without a name, and keeps the connection', async () => {
    server = await startServer();
    const [alice, bob] = [await server.register('alice'), await server.register('bob')];
    const [aliceHere, aliceThere, bobOnly] = [await open(alice), await open(alice), await open(bob)];
    for (const frame of [
      { type: 'typing', to: 'nobody' },
      { type: 'typing', to: 'alice' },
      { type: 'typing' },
      { type: 'typing', to: 7 },
    ]) {
      send(aliceHere, frame);
    }
    for (const client of [aliceHere, aliceThere, bobOnly]) await client.expectOnlyPong();
  });
});

describe('presence', () => {
  it('answers a watch with the whole list at once: online, offline, unknown, in the stored spelling', async () => {
    server = await startServer({ presenceGraceMs: GRACE_MS });
    const [alice, , carol] = [await server.register('Alice'), await server.register('bob'), await server.register('carol')];
    await open(alice);
    const watcher = await open(carol);
    send(watcher, { type: 'presence.watch', users: ['alice', 'bob', 'ghost'] });
    expect(await watcher.next()).toEqual({
      type: 'presence',
      users: [
        { username: 'Alice', online: true, lastSeenAt: null },
        { username: 'bob', online: false, lastSeenAt: null },
        { username: 'ghost', online: false, lastSeenAt: null },
      ],
    });
  });

  it('then sends only the changes of watched users: online at the first connection, offline after the grace, with lastSeenAt', async () => {
    server = await startServer({ presenceGraceMs: GRACE_MS });
    const [bob, carol, dave] = [await server.register('bob'), await server.register('carol'), await server.register('dave')];
    const watcher = await open(carol);
    const bystander = await open(dave);
    send(watcher, { type: 'presence.watch', users: ['bob'] });
    expect(await watcher.next()).toEqual({ type: 'presence', users: [{ username: 'bob', online: false, lastSeenAt: null }] });

    const bobOne = await open(bob);
    expect(await watcher.next()).toEqual({ type: 'presence', users: [{ username: 'bob', online: true, lastSeenAt: null }] });
    const bobTwo = await open(bob);
    bobOne.close();
    const left = Date.now();
    bobTwo.close();
    const frame = (await watcher.next(GRACE_MS + 3_000)) as { users: { lastSeenAt: string }[] };
    expect(Date.now() - left).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(frame).toEqual({ type: 'presence', users: [{ username: 'bob', online: false, lastSeenAt: expect.any(String) }] });
    expect(new Date(frame.users[0]?.lastSeenAt ?? '').toISOString()).toBe(frame.users[0]?.lastSeenAt);
    // No broadcast: dave watches nobody and heard nothing.
    await bystander.expectOnlyPong();
    await watcher.expectOnlyPong();
  });

  it('does not flicker on a reload within the grace', async () => {
    server = await startServer({ presenceGraceMs: GRACE_MS });
    const [bob, carol] = [await server.register('bob'), await server.register('carol')];
    const bobBefore = await open(bob);
    const watcher = await open(carol);
    send(watcher, { type: 'presence.watch', users: ['bob'] });
    expect(await watcher.next()).toMatchObject({ users: [{ online: true }] });
    bobBefore.close();
    await open(bob);
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2));
    await watcher.expectOnlyPong();
  });

  it('replaces the list with each watch frame', async () => {
    server = await startServer({ presenceGraceMs: GRACE_MS });
    const [bob, carol, dave] = [await server.register('bob'), await server.register('carol'), await server.register('dave')];
    const watcher = await open(carol);
    send(watcher, { type: 'presence.watch', users: ['bob'] });
    await watcher.next();
    send(watcher, { type: 'presence.watch', users: ['dave'] });
    expect(await watcher.next()).toEqual({ type: 'presence', users: [{ username: 'dave', online: false, lastSeenAt: null }] });
    await open(bob);
    await open(dave);
    expect(await watcher.next()).toEqual({ type: 'presence', users: [{ username: 'dave', online: true, lastSeenAt: null }] });
    await watcher.expectOnlyPong();
  });

  it('answers at most 200 users, and ignores a malformed watch without closing', async () => {
    server = await startServer();
    const carol = await server.register('carol');
    const watcher = await open(carol);
    send(watcher, { type: 'presence.watch', users: 'bob' });
    send(watcher, { type: 'presence.watch', users: [1, 2] });
    await watcher.expectOnlyPong();
    send(watcher, { type: 'presence.watch', users: Array.from({ length: 250 }, (_, i) => `user${i}`) });
    expect(((await watcher.next()) as { users: unknown[] }).users).toHaveLength(200);
  });

  it('costs no store or presence lookup per watching socket when a watched user comes online', async () => {
    server = await startServer();
    const bob = await server.register('bob');
    const watchers: TestClient[] = [];
    for (let i = 0; i < 20; i++) {
      const client = await open(await server.register(`watcher${i}`));
      send(client, { type: 'presence.watch', users: ['bob'] });
      expect(await client.next()).toMatchObject({ type: 'presence' });
      watchers.push(client);
    }
    const lookups = countLookups(server);
    await open(bob);
    for (const client of watchers)
      expect(await client.next()).toEqual({ type: 'presence', users: [{ username: 'bob', online: true, lastSeenAt: null }] });
    expect(lookups()).toBe(0);
  });
});

/** Counts the reads a presence change could cost, by wrapping the real ports. */
function countLookups(server: TestServer): () => number {
  let count = 0;
  const { users, presence } = server.ports;
  const findMany = users.findManyByUsername.bind(users);
  const findOne = users.findByUsername.bind(users);
  const statusOf = presence.statusOf.bind(presence);
  users.findManyByUsername = (names) => {
    count++;
    return findMany(names);
  };
  users.findByUsername = (name) => {
    count++;
    return findOne(name);
  };
  presence.statusOf = (ids) => {
    count++;
    return statusOf(ids);
  };
  return () => count;
}
