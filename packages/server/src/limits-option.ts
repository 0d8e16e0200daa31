import { availableParallelism } from 'node:os';
import { RedisRateLimiters } from '@message-center/adapters-redis';
import {
  BoundedPasswordHasher,
  createLimits,
  DEFAULT_LIMITS,
  DEFAULT_MAX_WAITING_HASHES,
  type HashingCapacity,
  type LimitSettings,
  type Limits,
  noLimits,
  type PasswordHasher,
  type RateLimiters,
} from '@message-center/core';
import { InMemoryRateLimiters } from '@message-center/core/memory';

export type LimitsOption = (Partial<LimitSettings> & { readonly store?: RateLimiters }) | false | undefined;

export interface OpenedLimits {
  readonly limits: Limits;
  close(): Promise<void>;
}

/**
 * The limits, counted where every process that serves the same users sees the
 * same counts: in Redis when the notifier is a Redis URL (keys under the
 * deployment's prefix, so deployments sharing a Redis do not share counts).
 */
export async function openLimits(
  option: LimitsOption,
  shared: { readonly redisUrl: string | undefined; readonly keyPrefix: string | undefined; readonly onError: (error: unknown) => void },
): Promise<OpenedLimits> {
  if (option === false) return { limits: noLimits, close: async () => {} };
  const { store, ...settings } = option ?? {};
  const limitSettings: LimitSettings = { ...DEFAULT_LIMITS, ...settings };
  if (store) return { limits: createLimits(store, limitSettings), close: async () => {} };
  if (!shared.redisUrl || !/^rediss?:/.test(shared.redisUrl)) {
    return { limits: createLimits(new InMemoryRateLimiters(), limitSettings), close: async () => {} };
  }
  const redis = await RedisRateLimiters.connect({
    url: shared.redisUrl,
    keyPrefix: `${shared.keyPrefix ?? 'message-center'}:limits`,
    onError: shared.onError,
  });
  return { limits: createLimits(redis, limitSettings), close: () => redis.close() };
}

/** At most `concurrency` hashes at once and `maxWaiting` waiting (the core's meanings), unless `false`. */
export function boundedHasher(hasher: PasswordHasher, option: Partial<HashingCapacity> | false | undefined): PasswordHasher {
  if (option === false) return hasher;
  return new BoundedPasswordHasher(hasher, {
    concurrency: availableParallelism(),
    maxWaiting: DEFAULT_MAX_WAITING_HASHES,
    ...option,
  });
}
