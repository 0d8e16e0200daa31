import {
  DEFAULT_PRESENCE_GRACE_MS,
  type Presence,
  type PresenceChange,
  type PresenceListener,
  type PresenceStatus,
} from '../presence/presence.js';
import { type Clock, systemClock } from '../shared/clock.js';
import type { User } from '../users/user.js';

export interface InMemoryPresenceOptions {
  /** How long the last connection may be gone before the user is offline; API.md's 10 s by default. */
  readonly graceMs?: number;
  /** Where `onlineSince` and `lastSeenAt` come from. */
  readonly clock?: Clock;
  /** Told when a listener throws; the other listeners are still called. */
  readonly onError?: (error: unknown) => void;
}

interface Online {
  readonly username: string;
  readonly since: Date;
  connections: number;
  /** While the last connection is gone and the grace runs: when it went. */
  goneAt?: Date;
  graceTimer?: ReturnType<typeof setTimeout>;
}

/** Presence of a single process: everything it needs to know is in this process. */
export class InMemoryPresence implements Presence {
  private readonly online = new Map<string, Online>();
  private readonly lastSeen = new Map<string, Date>();
  private readonly listeners = new Set<PresenceListener>();
  private readonly graceMs: number;
  private readonly clock: Clock;
  private closed = false;

  constructor(private readonly options: InMemoryPresenceOptions = {}) {
    this.graceMs = options.graceMs ?? DEFAULT_PRESENCE_GRACE_MS;
    this.clock = options.clock ?? systemClock;
  }

  connected(user: User): void {
    if (this.closed) return;
    const entry = this.online.get(user.id);
    if (entry) {
      entry.connections += 1;
      // Back within the grace: nobody was told it left, so nobody is told it is back.
      clearTimeout(entry.graceTimer);
      entry.graceTimer = undefined;
      delete entry.goneAt;
      return;
    }
    this.online.set(user.id, { username: user.username, since: this.clock.now(), connections: 1 });
    this.emit({ userId: user.id, username: user.username, online: true, lastSeenAt: null });
  }

  async admit(user: User, max: number): Promise<boolean> {
    // Checked and counted in one step, so handshakes that overlap cannot all pass.
    if (max > 0 && (this.online.get(user.id)?.connections ?? 0) >= max) return false;
    this.connected(user);
    return true;
  }

  disconnected(user: User): void {
    if (this.closed) return;
    const entry = this.online.get(user.id);
    if (!entry || entry.connections === 0) return;
    entry.connections -= 1;
    if (entry.connections > 0) return;
    const goneAt = this.clock.now();
    entry.goneAt = goneAt;
    entry.graceTimer = setTimeout(() => {
      if (this.online.get(user.id) !== entry || entry.connections > 0) return;
      this.online.delete(user.id);
      this.lastSeen.set(user.id, goneAt);
      this.emit({ userId: user.id, username: entry.username, online: false, lastSeenAt: goneAt });
    }, this.graceMs);
    // A pending grace alone must not keep a finished process alive.
    (entry.graceTimer as { unref?: () => void }).unref?.();
  }

  async statusOf(userIds: readonly string[]): Promise<PresenceStatus[]> {
    return userIds.map((userId) => {
      const entry = this.online.get(userId);
      if (entry) return { userId, online: true, onlineSince: entry.since, lastSeenAt: null };
      return { userId, online: false, onlineSince: null, lastSeenAt: this.lastSeen.get(userId) ?? null };
    });
  }

  onChange(listener: PresenceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.online.values()) clearTimeout(entry.graceTimer);
    this.listeners.clear();
  }

  private emit(change: PresenceChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        try {
          this.options.onError?.(error);
        } catch {
          // A failing reporter must not keep the other listeners from hearing.
        }
      }
    }
  }
}
