import { RedisNotifier, RedisPresence } from '@message-center/adapters-redis';
import type { LocalDelivery, Notifier, Presence } from '@message-center/core';
import { InMemoryPresence, LocalNotifier } from '@message-center/core/memory';

/**
 * How notifications reach every process's sockets: in-process by default
 * (one process), `'redis://host:6379'` (several processes), or your own
 * notifier, ready-made or built from this process's local delivery.
 */
export type NotifierOption = `redis://${string}` | `rediss://${string}` | Notifier | ((delivery: LocalDelivery) => Notifier);

export interface OpenedNotifier {
  readonly notifier: Notifier;
  /** Presence goes where notifications go: shared over Redis, per process otherwise. */
  readonly presence: Presence;
  /** Closes the notifier; the presence is closed by its owner. */
  close(): Promise<void>;
}

export interface OpenNotifierOptions {
  readonly channelPrefix?: string | undefined;
  readonly presenceGraceMs?: number | undefined;
  /** With Redis: lease renewal and expiry of this process's presence. */
  readonly presenceLease?: { readonly heartbeatMs?: number; readonly leaseMs?: number } | undefined;
  readonly onError: (error: unknown) => void;
  readonly onPresenceError: (error: unknown) => void;
  /** Events published while the subscription was down never arrived: recheck what they would have said. */
  readonly onResubscribed: () => void;
}

export async function openNotifier(
  option: NotifierOption | undefined,
  delivery: LocalDelivery,
  options: OpenNotifierOptions,
): Promise<OpenedNotifier> {
  const grace = options.presenceGraceMs === undefined ? {} : { graceMs: options.presenceGraceMs };
  if (typeof option !== 'string') {
    const notifier = option === undefined ? new LocalNotifier(delivery) : typeof option === 'function' ? option(delivery) : option;
    const presence = new InMemoryPresence(grace);
    return { notifier, presence, close: async () => {} };
  }
  const redis = await RedisNotifier.connect({
    url: option,
    delivery,
    ...(options.channelPrefix ? { channelPrefix: options.channelPrefix } : {}),
    onError: options.onError,
    onResubscribed: options.onResubscribed,
  });
  try {
    const presence = await RedisPresence.connect({
      url: option,
      ...(options.channelPrefix ? { keyPrefix: options.channelPrefix } : {}),
      ...grace,
      ...options.presenceLease,
      onError: options.onPresenceError,
    });
    return {
      notifier: redis,
      presence,
      close: () => redis.close(),
    };
  } catch (error) {
    await redis.close();
    throw error;
  }
}
