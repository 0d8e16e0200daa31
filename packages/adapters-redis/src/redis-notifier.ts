import { randomUUID } from 'node:crypto';
import type { LocalDelivery, Notification, Notifier } from '@message-center/core';
import { StoreUnavailable } from '@message-center/core';
import { Redis, type RedisOptions } from 'ioredis';
import { decodeEnvelope, encodeEnvelope } from './notification-codec.js';

export interface RedisNotifierOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  readonly url: string;
  /** The connections of this process: everything published by any process is handed to it. */
  readonly delivery: LocalDelivery;
  /** Processes that share a prefix hear each other; the channel is `<prefix>:notifications`. */
  readonly channelPrefix?: string;
  /** Told of transport failures and of a delivery that throws; never given credentials. */
  readonly onError?: (error: unknown) => void;
  /** A publish that Redis has not acknowledged by then is reported and given up. */
  readonly publishTimeoutMs?: number;
  /**
   * Called each time the subscription is back after the connection to Redis
   * was lost (not on the first subscribe), right after this process's
   * connections were sent a `resync`: whatever was published meanwhile never
   * arrived, so the caller re-reads what it must (the store is the truth).
   */
  readonly onResubscribed?: () => void;
  /** Passed to both ioredis connections (TLS, retry strategy, …). */
  readonly redisOptions?: RedisOptions;
}

export const DEFAULT_CHANNEL_PREFIX = 'message-center';

/**
 * Fans notifications out over Redis pub/sub, so the processes behind a load
 * balancer deliver to each other's connections. What a process publishes it
 * delivers to its own connections at once, without the round trip, so its own
 * users are told even while Redis is away; the copy that comes back over the
 * channel is recognised by its origin and skipped.
 *
 * Delivery is a hint and the store is the truth: `publish` never rejects, and
 * never waits on a broken connection (no offline queue), so a committed send
 * is never failed or held up by Redis. What is lost is made good by a
 * `resync`, which sends connections back to the store:
 * - ioredis reconnects on its own and the notifier resubscribes itself, so it
 *   knows when its subscription is back; what was published meanwhile never
 *   arrived, so it delivers a `resync` to its own connections (and says so, `onResubscribed`);
 * - a publish that failed never reached the other processes, whose
 *   subscriptions may never have broken: once a publish goes through again
 *   (or the connection is back), the notifier publishes a `resync` to them all.
 */
export class RedisNotifier implements Notifier {
  private readonly origin = randomUUID();
  /** Set once the subscriber's connection drops after the first subscribe; cleared by the next subscribe. */
  private subscriptionLost = false;
  /** A publish failed: the other processes owe their connections a `resync`. */
  private owesResync = false;
  private closing = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly options: RedisNotifierOptions,
  ) {}

  /** Connects and subscribes; rejects with `StoreUnavailable` when Redis cannot be reached at start. */
  static async connect(options: RedisNotifierOptions): Promise<RedisNotifier> {
    const channel = `${options.channelPrefix ?? DEFAULT_CHANNEL_PREFIX}:notifications`;
    const common: RedisOptions = { lazyConnect: true, ...options.redisOptions };
    const publisher = new Redis(options.url, {
      ...common,
      enableOfflineQueue: false,
      commandTimeout: options.publishTimeoutMs ?? 2_000,
      // Under load the publishes of sends that commit in the same turn of the event loop share one write.
      enableAutoPipelining: true,
    });
    // The notifier resubscribes itself: ioredis's own resubscribe is fired and
    // forgotten, so nobody could tell when the subscription is active again.
    const subscriber = new Redis(options.url, { ...common, autoResubscribe: false });
    const notifier = new RedisNotifier(publisher, subscriber, channel, options);
    // Without a listener ioredis prints every reconnect failure itself.
    publisher.on('error', (error) => notifier.report(error));
    subscriber.on('error', (error) => notifier.report(error));
    subscriber.on('message', (from: string, text: string) => notifier.receive(from, text));
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(channel);
      subscriber.on('close', () => notifier.subscriberLost());
      subscriber.on('ready', () => notifier.subscriberReady());
      publisher.on('ready', () => notifier.payResyncDebt());
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      // The cause stays attached for the log; the message names no host or password.
      throw new StoreUnavailable('Redis is unavailable', { cause: error });
    }
    return notifier;
  }

  async publish(notification: Notification): Promise<void> {
    this.deliver(notification);
    try {
      await this.publisher.publish(this.channel, encodeEnvelope({ origin: this.origin, notification }));
    } catch (error) {
      this.owesResync = true;
      this.report(error);
      return;
    }
    this.payResyncDebt();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([quit(this.publisher), quit(this.subscriber)]);
  }

  /** Tells every other process's connections to catch up, once, after publishes were lost. */
  private payResyncDebt(): void {
    if (!this.owesResync || this.closing) return;
    this.owesResync = false;
    this.publisher
      .publish(this.channel, encodeEnvelope({ origin: this.origin, notification: { kind: 'resync' } }))
      .catch((error: unknown) => {
        this.owesResync = true;
        this.report(error);
      });
  }

  private subscriberLost(): void {
    this.subscriptionLost = true;
  }

  /** The connection is back, unsubscribed: subscribe again, and only once Redis confirms it say so. */
  private subscriberReady(): void {
    if (!this.subscriptionLost || this.closing) return;
    this.subscriptionLost = false;
    this.subscriber.subscribe(this.channel).then(
      () => {
        if (this.closing) return;
        this.deliver({ kind: 'resync' });
        try {
          this.options.onResubscribed?.();
        } catch (error) {
          this.report(error);
        }
      },
      (error: unknown) => {
        // Dropped again before the reply: the next 'ready' tries again.
        this.subscriptionLost = true;
        this.report(error);
      },
    );
  }

  private receive(channel: string, text: string): void {
    if (channel !== this.channel) return;
    const envelope = decodeEnvelope(text);
    // Malformed payloads are ignored: they come from no process of ours.
    if (!envelope || envelope.origin === this.origin) return;
    this.deliver(envelope.notification);
  }

  private deliver(notification: Notification): void {
    try {
      this.options.delivery.deliver(notification);
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing reporter must not turn a committed send into a failure.
    }
  }
}

async function quit(connection: Redis): Promise<void> {
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
