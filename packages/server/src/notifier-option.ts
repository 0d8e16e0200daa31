import { RedisNotifier } from '@message-center/adapters-redis';
import type { LocalDelivery, Notifier } from '@message-center/core';
import { LocalNotifier } from '@message-center/core/memory';

/**
 * How notifications reach every process's sockets: in-process by default
 * (one process), `'redis://host:6379'` (several processes), or your own
 * notifier, ready-made or built from this process's local delivery.
 */
export type NotifierOption = `redis://${string}` | `rediss://${string}` | Notifier | ((delivery: LocalDelivery) => Notifier);

export interface OpenedNotifier {
  readonly notifier: Notifier;
  close(): Promise<void>;
}

export interface OpenNotifierOptions {
  readonly channelPrefix?: string | undefined;
  readonly onError: (error: unknown) => void;
  /** Events published while the subscription was down never arrived: recheck what they would have said. */
  readonly onResubscribed: () => void;
}

export async function openNotifier(
  option: NotifierOption | undefined,
  delivery: LocalDelivery,
  options: OpenNotifierOptions,
): Promise<OpenedNotifier> {
  if (option === undefined) return { notifier: new LocalNotifier(delivery), close: async () => {} };
  if (typeof option === 'function') return { notifier: option(delivery), close: async () => {} };
  if (typeof option !== 'string') return { notifier: option, close: async () => {} };
  const redis = await RedisNotifier.connect({
    url: option,
    delivery,
    ...(options.channelPrefix ? { channelPrefix: options.channelPrefix } : {}),
    onError: options.onError,
    onResubscribed: options.onResubscribed,
  });
  return { notifier: redis, close: () => redis.close() };
}
