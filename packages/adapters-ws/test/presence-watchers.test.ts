import type { PresenceChange } from '@message-center/core';
import { describe, expect, it } from 'vitest';
import { type Connection, ConnectionRegistry, type LiveSocket } from '../src/connection-registry.js';
import { PRESENCE_FRAMES_PER_TURN, PresenceWatchers } from '../src/presence-watchers.js';

/** A socket that keeps what it is sent, in order: what a client would read. */
class RecordingSocket implements LiveSocket {
  readonly readyState = 1;
  readonly bufferedAmount = 0;
  readonly frames: unknown[] = [];
  send(data: string): void {
    this.frames.push(JSON.parse(data));
  }
  close(): void {}
}

const watchersOf = (count: number) => {
  const watchers = new PresenceWatchers(new ConnectionRegistry());
  const connections = Array.from({ length: count }, (_, i): Connection & { socket: RecordingSocket } => ({
    userId: `u${i}`,
    sessionId: `s${i}`,
    socket: new RecordingSocket(),
  }));
  return { watchers, connections };
};

/** A watch whose snapshot was answered: changes flow to it from now on. */
const watching = (watchers: PresenceWatchers, connection: Connection, usernames: string[]) => {
  const watch = watchers.replace(connection, usernames);
  watchers.answer(connection, watch, []);
  return connection;
};

const change = (online: boolean, at: number): PresenceChange => ({
  userId: 'b',
  username: 'bob',
  online,
  lastSeenAt: online ? null : new Date(at),
});
const frameOf = ({ username, online, lastSeenAt }: PresenceChange) => ({
  type: 'presence',
  users: [{ username, online, lastSeenAt: lastSeenAt?.toISOString() ?? null }],
});
const turn = () => new Promise((resolve) => setImmediate(resolve));
const afterSnapshot = (frames: unknown[]) => frames.slice(1);

describe('PresenceWatchers fan-out', () => {
  it('writes a change to many watchers a slice per turn of the event loop, and every watcher gets every change in order', async () => {
    const count = PRESENCE_FRAMES_PER_TURN * 3 + 5;
    const { watchers, connections } = watchersOf(count);
    for (const connection of connections) watching(watchers, connection, ['bob']);
    const [online, offline] = [change(true, 0), change(false, 1_000)];

    watchers.changed(online);
    watchers.changed(offline);
    const written = () => connections.reduce((sum, c) => sum + afterSnapshot(c.socket.frames).length, 0);
    expect(written()).toBe(PRESENCE_FRAMES_PER_TURN);

    for (let i = 0; i < 10 && written() < count * 2; i++) await turn();
    for (const { socket } of connections) expect(afterSnapshot(socket.frames)).toEqual([frameOf(online), frameOf(offline)]);
  });

  it('writes a small fan-out at once when nothing is queued', () => {
    const { watchers, connections } = watchersOf(3);
    for (const connection of connections) watching(watchers, connection, ['bob']);
    watchers.changed(change(true, 0));
    for (const { socket } of connections) expect(afterSnapshot(socket.frames)).toEqual([frameOf(change(true, 0))]);
  });

  it('reads each watcher when its slice is written: one that stopped watching meanwhile gets nothing, one reading a new snapshot gets the change after it', async () => {
    const count = PRESENCE_FRAMES_PER_TURN * 2;
    const { watchers, connections } = watchersOf(count);
    for (const connection of connections) watching(watchers, connection, ['bob']);
    const online = change(true, 0);
    watchers.changed(online);

    const [leaver, rewatcher] = connections.slice(-2) as [(typeof connections)[number], (typeof connections)[number]];
    watchers.replace(leaver, ['carol']);
    const watch = watchers.replace(rewatcher, ['bob']);
    await turn();
    await turn();
    expect(afterSnapshot(leaver.socket.frames)).toEqual([]);
    expect(afterSnapshot(rewatcher.socket.frames)).toEqual([]);

    const snapshot = { username: 'bob', online: true, lastSeenAt: null };
    watchers.answer(rewatcher, watch, [snapshot]);
    expect(afterSnapshot(rewatcher.socket.frames)).toEqual([{ type: 'presence', users: [snapshot] }, frameOf(online)]);
  });

  it('drops what is not yet written when stopped', async () => {
    const count = PRESENCE_FRAMES_PER_TURN * 2;
    const { watchers, connections } = watchersOf(count);
    for (const connection of connections) watching(watchers, connection, ['bob']);
    watchers.changed(change(true, 0));
    watchers.stop();
    await turn();
    await turn();
    const written = connections.filter((c) => afterSnapshot(c.socket.frames).length > 0).length;
    expect(written).toBe(PRESENCE_FRAMES_PER_TURN);
  });
});
