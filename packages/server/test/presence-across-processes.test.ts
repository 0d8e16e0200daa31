import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { Client, registerUser, startCenter, tempDir } from './support.js';

const redisUrl = process.env.REDIS_URL_FOR_TESTS ?? process.env.REDIS_URL;
const NO_REDIS = '\n*** server presence-across-processes test NOT RUN: no REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379). ***\n';
if (!redisUrl) {
  if (process.env.CI === 'true') throw new Error(`REDIS_URL is required under CI=true: ${NO_REDIS}`);
  console.warn(NO_REDIS);
}

const GRACE_MS = 500;
/** A change frame (one user) about `username`; the watch's answer lists several and does not count. */
const isPresenceOf = (username: string, online: boolean) => (frame: Record<string, unknown>) =>
  frame.type === 'presence' &&
  Array.isArray(frame.users) &&
  frame.users.length === 1 &&
  frame.users.some((user: { username: string; online: boolean }) => user.username === username && user.online === online);

describe.runIf(redisUrl)('presence and typing across two server processes on one Redis (REDIS_URL)', () => {
  const stops: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it("reports a user connected to one process online to a watcher on the other, relays typing across, and takes a crashed process's users offline", async () => {
    const dir = tempDir();
    stops.push(dir.remove);
    const databaseUrl = `sqlite:${join(dir.path, 'shared.sqlite')}`;
    const redisChannelPrefix = `test-presence-${Date.now()}-${process.pid}`;
    // Short leases so a dead process is noticed within the test's patience (5 s beats and 15 s leases by default).
    const common = {
      databaseUrl,
      redisUrl: `${redisUrl}`,
      redisChannelPrefix,
      presenceGraceMs: GRACE_MS,
      presenceLease: { heartbeatMs: 200, leaseMs: 1_000 },
    };
    const east = await startCenter(common);
    stops.push(east.stop);
    const west = await startCenter(common);
    stops.push(west.stop);
    const [alice, bob, carol] = [
      await registerUser(east.base, 'alice'),
      await registerUser(east.base, 'bob'),
      await registerUser(east.base, 'carol'),
    ];

    const carolOnEast = await Client.open(east.wsBase, carol.token);
    carolOnEast.socket.send(JSON.stringify({ type: 'presence.watch', users: ['alice', 'bob', 'nobody'] }));
    expect(await carolOnEast.next((f) => f.type === 'presence')).toEqual({
      type: 'presence',
      users: [
        { username: 'alice', online: false, lastSeenAt: null },
        { username: 'bob', online: false, lastSeenAt: null },
        { username: 'nobody', online: false, lastSeenAt: null },
      ],
    });

    // Alice comes online on the west process; Carol watches from the east.
    const aliceOnWest = await Client.open(west.wsBase, alice.token);
    expect(await carolOnEast.next(isPresenceOf('alice', true))).toEqual({
      type: 'presence',
      users: [{ username: 'alice', online: true, lastSeenAt: null }],
    });
    // A watcher arriving later on the east reads her as online from the shared state.
    const bobOnEast = await Client.open(east.wsBase, bob.token);
    bobOnEast.socket.send(JSON.stringify({ type: 'presence.watch', users: ['ALICE'] }));
    expect(await bobOnEast.next((f) => f.type === 'presence')).toEqual({
      type: 'presence',
      users: [{ username: 'alice', online: true, lastSeenAt: null }],
    });

    // Typing crosses from west to east, to Carol only.
    aliceOnWest.socket.send(JSON.stringify({ type: 'typing', to: 'carol' }));
    expect(await carolOnEast.next((f) => f.type === 'typing')).toEqual({ type: 'typing', from: 'alice' });

    // Alice leaves: after the grace, offline with when she was last seen.
    const left = Date.now();
    await aliceOnWest.close();
    const offline = (await carolOnEast.next(isPresenceOf('alice', false), 10_000)) as { users: { lastSeenAt: string }[] };
    expect(Date.now() - left).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(Math.abs(new Date(offline.users[0]?.lastSeenAt ?? 0).getTime() - left)).toBeLessThan(2_000);
    expect(bobOnEast.frames.some((f) => f.type === 'typing')).toBe(false);

    // A third process dies without a shutdown (cut off from Redis): its user does not stay online.
    const { proxy, url: proxied } = await TcpProxy.inFrontOf(`${redisUrl}`);
    stops.push(() => proxy.cut());
    const doomed = await startCenter({ ...common, redisUrl: proxied });
    stops.push(doomed.stop);
    const bobOnDoomed = await Client.open(doomed.wsBase, bob.token);
    // Bob was already online on the east, so only his east connection's end would change anything.
    await bobOnEast.close();
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2));
    expect(carolOnEast.frames.filter(isPresenceOf('bob', false))).toEqual([]);
    await proxy.cut();
    expect(await carolOnEast.next(isPresenceOf('bob', false), 10_000)).toMatchObject({ users: [{ username: 'bob', online: false }] });
    await bobOnDoomed.close();
    await carolOnEast.close();
  });
});
