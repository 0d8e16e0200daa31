import type { User } from '../users/user.js';

/** Where a user stands now. `onlineSince` is set only while online, `lastSeenAt` only once offline. */
export interface PresenceStatus {
  readonly userId: string;
  readonly online: boolean;
  readonly onlineSince: Date | null;
  readonly lastSeenAt: Date | null;
}

/** A user came online (first connection anywhere) or went offline (last one gone, after the grace). */
export interface PresenceChange {
  readonly userId: string;
  readonly username: string;
  readonly online: boolean;
  /** `null` when coming online; when the last connection went away, when going offline. */
  readonly lastSeenAt: Date | null;
}

export type PresenceListener = (change: PresenceChange) => void;

/**
 * Who is online, across every server process that shares the adapter. The
 * WebSocket edge reports each connection that opens and closes in its process;
 * every process hears every change, once, through `onChange`.
 *
 * A user goes offline only when the last connection anywhere has been gone for
 * the grace period (a reload must not flicker), and a process that dies without
 * closing must not keep its users online: adapters that span processes expire
 * the entries of a process that stopped renewing them.
 */
export interface Presence {
  /** A connection of `user` opened in this process. Never throws; transport failures go to the adapter's reporter. */
  connected(user: User): void;
  /**
   * A connection of `user` asks to open in this process: it is counted as
   * `connected` counts it, unless the user already holds `max` open
   * connections in every process that shares the adapter (`0`: no limit); then
   * nothing is counted and the answer is `false`. Connections a crashed process
   * held stop counting once its entries expire. Never rejects: when the shared
   * store cannot answer, the count of this process decides.
   */
  admit(user: User, max: number): Promise<boolean>;
  /** A connection of `user` in this process closed (one `connected` or admitted). */
  disconnected(user: User): void;
  /** The status of each user, in the order asked. Unknown ids are offline and never seen. */
  statusOf(userIds: readonly string[]): Promise<PresenceStatus[]>;
  /** Calls `listener` for every change from now on; the returned function stops that. */
  onChange(listener: PresenceListener): () => void;
  /** Stops renewing this process's entries; its users go offline elsewhere once the grace has passed. */
  close(): Promise<void>;
}

/** API.md: a reload within this long does not show the user offline. */
export const DEFAULT_PRESENCE_GRACE_MS = 10_000;

/** The most usernames one `presence.watch` frame may name (API.md). */
export const MAX_WATCHED_USERS = 200;
