/**
 * How much of something a key may do: `points` at once, all of them back
 * `durationSeconds` after the first was spent (a fixed window, which is what
 * both the in-memory and the Redis store count atomically). A sustained rate
 * `r` per second with bursts of `b` is `{ points: b, durationSeconds: b / r }`.
 */
export interface RateLimit {
  readonly points: number;
  readonly durationSeconds: number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** One named limit (sends, sign-ups, failed logins, …) counted per key. */
export interface RateLimiter {
  /** Spends one point of `key`, or says in whole seconds (at least 1) when one is free again. */
  consume(key: string): Promise<RateDecision>;
  /** Gives one point back: the attempt spent up front turned out not to count (a login that succeeded). */
  refund(key: string): Promise<void>;
  /** Forgets everything `key` spent. */
  reset(key: string): Promise<void>;
}

/**
 * Makes the limiters of one store. Limiters of different names never share
 * counts; two factories on one shared store (Redis) with the same name do:
 * that is how every server process enforces one limit.
 */
export interface RateLimiters {
  create(name: string, limit: RateLimit): RateLimiter;
}

/** For a limit switched off (`0` in the configuration): everything is allowed. */
export const unlimited: RateLimiter = {
  consume: async () => ({ allowed: true }),
  refund: async () => {},
  reset: async () => {},
};

/** At least one second: a `Retry-After: 0` would invite an immediate retry that fails again. */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}
