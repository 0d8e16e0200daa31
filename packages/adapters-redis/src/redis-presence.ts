import { randomUUID } from 'node:crypto';
import {
  type Clock,
  DEFAULT_PRESENCE_GRACE_MS,
  type Presence,
  type PresenceChange,
  type PresenceListener,
  type PresenceStatus,
  StoreUnavailable,
  systemClock,
  type User,
} from '@message-center/core';
import { Redis, type RedisOptions } from 'ioredis';
import { ADMIT, CONNECT, DISCONNECT, REAP, RELEASE, RENEW, STATUS, SYNC, UNCOUNT } from './presence-scripts.js';

export interface RedisPresenceOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  readonly url: string;
  /** Processes that share a prefix share presence; keys and the channel start with `<prefix>:presence`. */
  readonly keyPrefix?: string;
  /** How long the last connection may be gone before the user is offline; API.md's 10 s by default. */
  readonly graceMs?: number;
  /** How often this process renews its lease and looks for processes whose lease ran out. */
  readonly heartbeatMs?: number;
  /** A process that has not renewed for this long is dead: its users go offline. */
  readonly leaseMs?: number;
  readonly clock?: Clock;
  /** Told of transport failures and of a listener that throws; never given credentials. */
  readonly onError?: (error: unknown) => void;
  /** Passed to both ioredis connections (TLS, retry strategy, …). */
  readonly redisOptions?: RedisOptions;
}

export const DEFAULT_PRESENCE_PREFIX = 'message-center';
const DEFAULT_HEARTBEAT_MS = 5_000;
const DEFAULT_LEASE_MS = 15_000;

interface Held {
  readonly user: User;
  /** Open here, and asked of Redis but not answered yet. */
  connections: number;
  /** Of `connections`, those whose admission Redis has not answered. */
  pending: number;
  graceTimer?: NodeJS.Timeout;
}

/** User and count pairs per SYNC call, so one call stays small whatever the process holds. */
const SYNC_BATCH = 500;

/**
 * Presence shared by every process on one Redis. Each process tells Redis of
 * each connection that opens and closes (the per-user limit counts them across
 * processes, and admits in the same script that counts), but a user goes
 * offline only when the last one has been gone for the grace, so a reload
 * shows nothing to watchers; it renews a lease on itself every
 * heartbeat, and on each beat removes any process whose lease ran out, taking
 * its users offline: a process killed without a shutdown cannot keep its users
 * online for longer than a lease and a beat. Changes are announced by the
 * script that makes them, over pub/sub, so each process hears each change once.
 */
export class RedisPresence implements Presence {
  private readonly node = randomUUID();
  private readonly held = new Map<string, Held>();
  private readonly listeners = new Set<PresenceListener>();
  private readonly prefix: string;
  private readonly graceMs: number;
  private readonly heartbeatMs: number;
  private readonly leaseMs: number;
  private readonly clock: Clock;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  /** Redis may have missed a count (a command failed): the next beat says again what this process holds. */
  private unsynced = false;

  private constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisPresenceOptions,
  ) {
    this.prefix = `${options.keyPrefix ?? DEFAULT_PRESENCE_PREFIX}:presence`;
    this.graceMs = options.graceMs ?? DEFAULT_PRESENCE_GRACE_MS;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.clock = options.clock ?? systemClock;
  }

  /** Connects, subscribes and takes a lease; rejects with `StoreUnavailable` when Redis cannot be reached at start. */
  static async connect(options: RedisPresenceOptions): Promise<RedisPresence> {
    const common: RedisOptions = { lazyConnect: true, ...options.redisOptions };
    // Presence is a hint: a command Redis cannot take now fails at once rather than queue behind an outage.
    const commands = new Redis(options.url, { ...common, enableOfflineQueue: false, commandTimeout: 2_000 });
    const subscriber = new Redis(options.url, common);
    const presence = new RedisPresence(commands, subscriber, options);
    commands.on('error', (error) => presence.report(error));
    subscriber.on('error', (error) => presence.report(error));
    subscriber.on('message', (channel: string, text: string) => presence.receive(channel, text));
    try {
      await Promise.all([commands.connect(), subscriber.connect()]);
      await subscriber.subscribe(presence.channel);
      await presence.beat();
    } catch (error) {
      commands.disconnect();
      subscriber.disconnect();
      throw new StoreUnavailable('Redis is unavailable', { cause: error });
    }
    presence.heartbeat = setInterval(() => void presence.beat(), presence.heartbeatMs);
    presence.heartbeat.unref();
    return presence;
  }

  connected(user: User): void {
    if (this.closed) return;
    this.hold(user, false);
    this.commands.eval(ADMIT, 0, this.prefix, this.node, user.id, user.username, this.now(), 0).catch((error: unknown) => {
      this.unsynced = true;
      this.report(error);
    });
  }

  async admit(user: User, max: number): Promise<boolean> {
    if (max <= 0) {
      this.connected(user);
      return true;
    }
    // Closing: the endpoint refuses the socket anyway, and the lease already speaks for this process.
    if (this.closed) return true;
    // Counted before the answer, so the grace cannot start under an admission in flight.
    const held = this.hold(user, true);
    let admitted: boolean;
    try {
      admitted = (await this.commands.eval(ADMIT, 0, this.prefix, this.node, user.id, user.username, this.now(), max)) === 1;
    } catch (error) {
      this.report(error);
      // Redis may or may not have counted it; the next beat says again how many are here.
      this.unsynced = true;
      // Without Redis the limit holds per process, counting admissions still in flight.
      admitted = held.connections - 1 < max;
    }
    held.pending -= 1;
    if (!admitted) this.leave(held);
    return admitted;
  }

  /** One more connection of `user` here (`pending`: until Redis answers whether it may stay). */
  private hold(user: User, pending: boolean): Held {
    let held = this.held.get(user.id);
    if (!held) {
      held = { user, connections: 0, pending: 0 };
      this.held.set(user.id, held);
    }
    held.connections += 1;
    if (pending) held.pending += 1;
    // Back within the grace: Redis never heard it left.
    clearTimeout(held.graceTimer);
    held.graceTimer = undefined;
    return held;
  }

  disconnected(user: User): void {
    // Closed: the lease already gives every user here the grace.
    if (this.closed) return;
    const held = this.held.get(user.id);
    if (!held || held.connections - held.pending <= 0) return;
    this.commands.eval(RELEASE, 0, this.prefix, this.node, user.id).catch((error: unknown) => {
      this.unsynced = true;
      this.report(error);
    });
    this.leave(held);
  }

  /** One connection of `held` fewer here; the last one gone starts the grace. */
  private leave(held: Held): void {
    held.connections -= 1;
    if (held.connections > 0) return;
    const { user } = held;
    const goneAt = this.now();
    held.graceTimer = setTimeout(() => {
      if (this.held.get(user.id) !== held || held.connections > 0 || this.closed) return;
      this.held.delete(user.id);
      this.run(DISCONNECT, user.id, user.username, this.now(), goneAt);
    }, this.graceMs);
    held.graceTimer.unref();
  }

  async statusOf(userIds: readonly string[]): Promise<PresenceStatus[]> {
    if (userIds.length === 0) return [];
    let rows: string[];
    try {
      rows = (await this.commands.eval(STATUS, 0, this.prefix, this.now(), ...userIds)) as string[];
    } catch (error) {
      throw new StoreUnavailable('Redis is unavailable', { cause: error });
    }
    return userIds.map((userId, i) => {
      const [flag, at] = (rows[i] ?? '0:').split(':');
      const time = at ? new Date(Number(at)) : null;
      return flag === '1'
        ? { userId, online: true, onlineSince: time, lastSeenAt: null }
        : { userId, online: false, onlineSince: null, lastSeenAt: time };
    });
  }

  onChange(listener: PresenceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Leaves as a reload would: this process's users keep their grace (its lease
   * is set to run out when the grace does), and a surviving process takes
   * them offline then, unless they came back elsewhere.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const held of this.held.values()) clearTimeout(held.graceTimer);
    try {
      const now = this.now();
      // The sockets here are closing: other processes must not refuse their reconnects for them.
      await this.commands.eval(UNCOUNT, 0, this.prefix, this.node);
      await this.commands.eval(RENEW, 0, this.prefix, this.node, now + this.graceMs, now);
    } catch (error) {
      this.report(error);
    }
    this.listeners.clear();
    await Promise.all([quit(this.commands), quit(this.subscriber)]);
  }

  private get channel(): string {
    return `${this.prefix}:changes`;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  /**
   * Renews the lease (re-registering every user should it have been taken for
   * dead, or should Redis have missed a count), then reaps the dead.
   */
  private async beat(): Promise<void> {
    if (this.closed) return;
    try {
      const now = this.now();
      const reaped = (await this.commands.eval(RENEW, 0, this.prefix, this.node, now + this.leaseMs, now)) === 1;
      // Taken for dead while cut off from Redis: say again who is here.
      if ((reaped && this.heartbeat) || this.unsynced) await this.restore(now);
      const dead = await this.commands.zrangebyscore(`${this.prefix}:nodes`, '-inf', now);
      for (const node of dead) if (node !== this.node) await this.commands.eval(REAP, 0, this.prefix, node, now);
    } catch (error) {
      // Redis is away: the next beat tries again, and re-registers if the lease ran out meanwhile.
      this.unsynced = true;
      this.report(error);
    }
  }

  /** Says again which users this process holds and how many connections of each are open here. */
  private async restore(now: number): Promise<void> {
    this.unsynced = false;
    const counts: (string | number)[] = [];
    for (const held of this.held.values()) {
      this.run(CONNECT, held.user.id, held.user.username, now);
      // An admission in flight may already be counted in Redis: that user waits for the next beat.
      if (held.pending > 0) this.unsynced = true;
      else counts.push(held.user.id, held.connections);
    }
    for (let i = 0; i < counts.length; i += SYNC_BATCH * 2) {
      await this.commands.eval(SYNC, 0, this.prefix, this.node, ...counts.slice(i, i + SYNC_BATCH * 2));
    }
  }

  private run(script: string, ...args: (string | number)[]): void {
    this.commands.eval(script, 0, this.prefix, this.node, ...args).catch((error: unknown) => this.report(error));
  }

  private receive(channel: string, text: string): void {
    if (channel !== this.channel) return;
    const change = decodeChange(text);
    if (!change) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.report(error);
      }
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing reporter must not stop presence.
    }
  }
}

/** Rebuilt field by field: nothing a stray publisher adds reaches a socket. */
function decodeChange(text: string): PresenceChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { userId, username, online, lastSeenAt } = value as Record<string, unknown>;
  if (typeof userId !== 'string' || typeof username !== 'string' || typeof online !== 'boolean') return undefined;
  if (online) return { userId, username, online, lastSeenAt: null };
  return typeof lastSeenAt === 'number' ? { userId, username, online, lastSeenAt: new Date(lastSeenAt) } : undefined;
}

async function quit(connection: Redis): Promise<void> {
  // A connection that is reconnecting would hold a QUIT until Redis is back.
  if (connection.status !== 'ready') return connection.disconnect();
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
