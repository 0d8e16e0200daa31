import type { ErrorOf } from '../shared/errors.js';
import { type RateLimit, type RateLimiter, type RateLimiters, unlimited } from './rate-limiter.js';

/** The limits of API.md "Limits and overload"; each `0` turns its limit off. */
export interface LimitSettings {
  /** Sends per user per second, sustained; bursts up to three times that. */
  readonly messageRate: number;
  /** Registrations per client address per hour. */
  readonly registrationRate: number;
  /** Failed logins per client address, across usernames, per 15 minutes. */
  readonly loginFailuresPerAddress: number;
  /** Wrong current passwords per user per 15 minutes (password change, and any other check of the current password). */
  readonly wrongPasswordsPerUser: number;
  /** Password-reset requests per email address (compared regardless of case) per hour. */
  readonly passwordResetsPerEmail: number;
  /** Password-reset requests per client address per hour. */
  readonly passwordResetsPerAddress: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  messageRate: 10,
  registrationRate: 20,
  loginFailuresPerAddress: 100,
  wrongPasswordsPerUser: 10,
  passwordResetsPerEmail: 5,
  passwordResetsPerAddress: 20,
};

const FIFTEEN_MINUTES = 15 * 60;
const ONE_HOUR = 60 * 60;

/** A sustained `perSecond` with bursts of `burst` times that, as one fixed window. */
export function sustainedRate(perSecond: number, burst: number): RateLimit {
  return { points: perSecond * burst, durationSeconds: burst };
}

/** The limiters the use cases check before the costly work, keyed as their names say. */
export interface Limits {
  /** Keyed by user id. */
  readonly sends: RateLimiter;
  /** Keyed by client address. */
  readonly registrations: RateLimiter;
  /** Keyed by client address; a successful login refunds its attempt. */
  readonly loginFailuresByAddress: RateLimiter;
  /** Keyed by user id; a right password refunds its attempt. */
  readonly wrongPasswords: RateLimiter;
  /** Keyed by the lower-case email address asked about, known or not. */
  readonly resetsByEmail: RateLimiter;
  /** Keyed by client address. */
  readonly resetsByAddress: RateLimiter;
}

export function createLimits(store: RateLimiters, settings: LimitSettings = DEFAULT_LIMITS): Limits {
  // A limit of 0 points is off: `unlimited` costs no store round trip.
  const limiter = (name: string, limit: RateLimit) => (limit.points > 0 ? store.create(name, limit) : unlimited);
  const within = (points: number, durationSeconds: number): RateLimit => ({ points, durationSeconds });
  return {
    sends: limiter('sends', sustainedRate(settings.messageRate, 3)),
    registrations: limiter('registrations', within(settings.registrationRate, ONE_HOUR)),
    loginFailuresByAddress: limiter('login-failures', within(settings.loginFailuresPerAddress, FIFTEEN_MINUTES)),
    wrongPasswords: limiter('wrong-passwords', within(settings.wrongPasswordsPerUser, FIFTEEN_MINUTES)),
    resetsByEmail: limiter('resets-by-email', within(settings.passwordResetsPerEmail, ONE_HOUR)),
    resetsByAddress: limiter('resets-by-address', within(settings.passwordResetsPerAddress, ONE_HOUR)),
  };
}

/** Every limit off: for embedders who limit elsewhere, and for tests of other things. */
export const noLimits: Limits = {
  sends: unlimited,
  registrations: unlimited,
  loginFailuresByAddress: unlimited,
  wrongPasswords: unlimited,
  resetsByEmail: unlimited,
  resetsByAddress: unlimited,
};

/** Spends one point of `key`: nothing when allowed, else the refusal a use case returns (429 at the edge). */
export async function spend(limiter: RateLimiter, key: string): Promise<ErrorOf<'rate-limited'> | undefined> {
  const decision = await limiter.consume(key);
  return decision.allowed ? undefined : { kind: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
}
