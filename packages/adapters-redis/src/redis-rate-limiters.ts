import type { RateLimit, RateLimiter, RateLimiters } from '@message-center/core';
import { FlexibleRateLimiter } from '@message-center/core/memory';
import { Redis, type RedisOptions } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

export interface RedisRateLimitersOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  readonly url: string;
  /** Processes that share a prefix share their counts; keys are `<prefix>:<limit name>:<key>`. */
  readonly keyPrefix?: string;
  /** A count Redis has not answered by then is taken from this process's own counters instead. */
  readonly commandTimeoutMs?: number;
  readonly onError?: (error: unknown) => void;
  readonly redisOptions?: RedisOptions;
}

export const DEFAULT_KEY_PREFIX = 'message-center:limits';

/**
 * Limits counted in Redis, so every server process enforces one count per
 * key. While Redis is away each process falls back to counting on its own (the
 * limit then holds per process, as without Redis) rather than refusing
 * everyone or letting everything through.
 */
export class RedisRateLimiters implements RateLimiters {
  private constructor(
    private readonly client: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** Connects; rejects when Redis cannot be reached at start. */
  static async connect(options: RedisRateLimitersOptions): Promise<RedisRateLimiters> {
    const client = new Redis(options.url, {
      lazyConnect: true,
      // Fail at once while disconnected, so the fallback answers instead of a queue.
      enableOfflineQueue: false,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      // Every send spends a point: under load the counts of concurrent sends go out in one write
      // (one syscall and one Redis read instead of one each), counted exactly as one by one.
      enableAutoPipelining: true,
      ...options.redisOptions,
    });
    // Without a listener ioredis prints every reconnect failure itself.
    client.on('error', (error) => options.onError?.(error));
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw error;
    }
    return new RedisRateLimiters(client, options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  }

  create(name: string, limit: RateLimit): RateLimiter {
    const common = { keyPrefix: `${this.keyPrefix}:${name}`, points: limit.points, duration: limit.durationSeconds };
    return new FlexibleRateLimiter(
      new RateLimiterRedis({ ...common, storeClient: this.client, insuranceLimiter: new RateLimiterMemory(common) }),
    );
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
