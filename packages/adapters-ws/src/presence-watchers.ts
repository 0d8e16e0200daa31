import { MAX_WATCHED_USERS, type PresenceChange, usernameKey, type WatchedUser } from '@message-center/core';
import type { Connection, ConnectionRegistry } from './connection-registry.js';
import { type PresenceRow, serializeFrame } from './server-frames.js';

/**
 * Frames one turn of the event loop may write for presence. One user coming
 * online may be news to thousands of sockets here; written in one go, that
 * turn would hold up every request and message behind it for milliseconds.
 * In slices of this size, the rest of the server runs between them.
 */
export const PRESENCE_FRAMES_PER_TURN = 64;

interface Watch {
  readonly keys: ReadonlySet<string>;
  /** Changes heard while this watch's snapshot is being read; sent after it, so none is lost or overtaken. */
  pending: PresenceChange[] | undefined;
}

/**
 * Who watches whom, in this process. A change reaches only the connections
 * that watch that user: one map lookup per change in each process, however
 * many sockets watch, and nothing for a user nobody here watches.
 */
export class PresenceWatchers {
  private readonly byKey = new Map<string, Set<Connection>>();
  private readonly byConnection = new Map<Connection, Watch>();
  /** Changes not yet written to all their watchers, oldest first: one queue keeps each connection's frames in order. */
  private readonly fanOuts: FanOut[] = [];
  private nextSlice: NodeJS.Immediate | undefined;

  constructor(private readonly registry: ConnectionRegistry) {}

  /**
   * Replaces the connection's list at once, so no change is missed while the
   * snapshot is read; returns the watch to hand to `answer` with that snapshot.
   */
  replace(connection: Connection, usernames: readonly string[]): object {
    this.forget(connection);
    const keys = new Set(usernames.slice(0, MAX_WATCHED_USERS).map(usernameKey));
    const watch: Watch = { keys, pending: [] };
    this.byConnection.set(connection, watch);
    for (const key of keys) {
      const watchers = this.byKey.get(key);
      if (watchers) watchers.add(connection);
      else this.byKey.set(key, new Set([connection]));
    }
    return watch;
  }

  /** Sends the snapshot, then what changed while it was read; nothing when a newer list replaced this one. */
  answer(connection: Connection, watch: object, users: readonly WatchedUser[]): void {
    const current = this.byConnection.get(connection);
    if (current !== watch || !current.pending) return;
    const pending = current.pending;
    current.pending = undefined;
    this.registry.send(connection, serializeFrame({ type: 'presence', users: users.map(rowOf) }));
    for (const change of pending) this.registry.send(connection, serializeFrame({ type: 'presence', users: [rowOf(change)] }));
  }

  /** The snapshot could not be read: the list stands, and changes flow from now on. */
  abandon(connection: Connection, watch: object): void {
    const current = this.byConnection.get(connection);
    if (current === watch) current.pending = undefined;
  }

  forget(connection: Connection): void {
    const watch = this.byConnection.get(connection);
    if (!watch) return;
    this.byConnection.delete(connection);
    for (const key of watch.keys) {
      const watchers = this.byKey.get(key);
      watchers?.delete(connection);
      if (watchers?.size === 0) this.byKey.delete(key);
    }
  }

  changed(change: PresenceChange): void {
    const key = usernameKey(change.username);
    const watchers = this.byKey.get(key);
    if (!watchers) return;
    const frame = serializeFrame({ type: 'presence', users: [rowOf(change)] });
    this.fanOuts.push({ change, key, frame, connections: [...watchers], next: 0 });
    if (!this.nextSlice) this.writeSlice();
  }

  /** Drops the changes not yet written, for a shutdown. */
  stop(): void {
    if (this.nextSlice) clearImmediate(this.nextSlice);
    this.nextSlice = undefined;
    this.fanOuts.length = 0;
  }

  private writeSlice(): void {
    this.nextSlice = undefined;
    let budget = PRESENCE_FRAMES_PER_TURN;
    while (budget > 0 && this.fanOuts.length > 0) {
      const fanOut = this.fanOuts[0] as FanOut;
      while (budget > 0 && fanOut.next < fanOut.connections.length) {
        const connection = fanOut.connections[fanOut.next++] as Connection;
        // Read now, not when the change was heard: the list may have been replaced since.
        const watch = this.byConnection.get(connection);
        if (!watch?.keys.has(fanOut.key)) continue;
        budget--;
        if (watch.pending) watch.pending.push(fanOut.change);
        else this.registry.send(connection, fanOut.frame);
      }
      if (fanOut.next === fanOut.connections.length) this.fanOuts.shift();
    }
    if (this.fanOuts.length > 0) this.nextSlice = setImmediate(() => this.writeSlice());
  }

  /** Connections watching at least one user, for tests and metrics. */
  get size(): number {
    return this.byConnection.size;
  }
}

interface FanOut {
  readonly change: PresenceChange;
  readonly key: string;
  readonly frame: string;
  /** Who watched when the change was heard, and how many of them were written to. */
  readonly connections: readonly Connection[];
  next: number;
}

function rowOf(user: Pick<WatchedUser, 'username' | 'online' | 'lastSeenAt'>): PresenceRow {
  return { username: user.username, online: user.online, lastSeenAt: user.lastSeenAt?.toISOString() ?? null };
}
