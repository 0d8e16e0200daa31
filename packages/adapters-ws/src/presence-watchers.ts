import { MAX_WATCHED_USERS, type PresenceChange, usernameKey, type WatchedUser } from '@message-center/core';
import type { Connection, ConnectionRegistry } from './connection-registry.js';
import { type PresenceRow, serializeFrame } from './server-frames.js';

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
    const watchers = this.byKey.get(usernameKey(change.username));
    if (!watchers) return;
    const frame = serializeFrame({ type: 'presence', users: [rowOf(change)] });
    for (const connection of [...watchers]) {
      const watch = this.byConnection.get(connection);
      if (watch?.pending) watch.pending.push(change);
      else this.registry.send(connection, frame);
    }
  }

  /** Connections watching at least one user, for tests and metrics. */
  get size(): number {
    return this.byConnection.size;
  }
}

function rowOf(user: Pick<WatchedUser, 'username' | 'online' | 'lastSeenAt'>): PresenceRow {
  return { username: user.username, online: user.online, lastSeenAt: user.lastSeenAt?.toISOString() ?? null };
}
