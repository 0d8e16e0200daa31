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
  const limiter = (name: string, perUnit: number, limit: RateLimit) => (perUnit > 0 ? store.create(name, limit) : unlimited);
  return {
    sends: limiter('sends', settings.messageRate, sustainedRate(settings.messageRate, 3)),
    registrations: limiter('registrations', settings.registrationRate, { points: settings.registrationRate, durationSeconds: ONE_HOUR }),
    loginFailuresByAddress: limiter('login-failures', settings.loginFailuresPerAddress, {
      points: settings.loginFailuresPerAddress,
      durationSeconds: FIFTEEN_MINUTES,
    }),
    wrongPasswords: limiter('wrong-passwords', settings.wrongPasswordsPerUser, {
      points: settings.wrongPasswordsPerUser,
      durationSeconds: FIFTEEN_MINUTES,
    }),
    resetsByEmail: limiter('resets-by-email', settings.passwordResetsPerEmail, {
      points: settings.passwordResetsPerEmail,
      durationSeconds: ONE_HOUR,
    }),
    resetsByAddress: limiter('resets-by-address', settings.passwordResetsPerAddress, {
      points: settings.passwordResetsPerAddress,
      durationSeconds: ONE_HOUR,
    }),
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
