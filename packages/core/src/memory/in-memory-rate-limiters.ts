import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { type RateDecision, type RateLimit, type RateLimiter, type RateLimiters, retryAfterSeconds } from '../limits/rate-limiter.js';

/** Counts in this process only: one server, or the insurance of a shared store while it is down. */
export class InMemoryRateLimiters implements RateLimiters {
  create(name: string, limit: RateLimit): RateLimiter {
    return new FlexibleRateLimiter(new RateLimiterMemory({ keyPrefix: name, points: limit.points, duration: limit.durationSeconds }));
  }
}

/** The slice of rate-limiter-flexible's limiters that the port is built on; every store of it has these. */
export interface FlexibleLimiter {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  reward(key: string, points?: number): Promise<RateLimiterRes>;
  delete(key: string): Promise<boolean>;
}

/** The port over any rate-limiter-flexible store: it rejects with a `RateLimiterRes` when refused, with an `Error` when broken. */
export class FlexibleRateLimiter implements RateLimiter {
  constructor(private readonly limiter: FlexibleLimiter) {}

  async consume(key: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(key);
      return { allowed: true };
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: retryAfterSeconds(refusal.msBeforeNext) };
      throw refusal;
    }
  }

  async refund(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}
