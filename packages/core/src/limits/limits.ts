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
}

export const DEFAULT_LIMITS: LimitSettings = {
  messageRate: 10,
  registrationRate: 20,
  loginFailuresPerAddress: 100,
  wrongPasswordsPerUser: 10,
};

const FIFTEEN_MINUTES = 15 * 60;

/** A sustained `perSecond` with bursts of `burst` times that, as one fixed window. */
export function sustainedRate(perSecond: number, burst: number): RateLimit {
  return { points: perSecond * burst, durationSeconds: burst };
}

/** The limiters the edges check before the costly work, keyed as their names say. */
export interface Limits {
  /** Keyed by user id. */
  readonly sends: RateLimiter;
  /** Keyed by client address. */
  readonly registrations: RateLimiter;
  /** Keyed by client address; a successful login refunds its attempt. */
  readonly loginFailuresByAddress: RateLimiter;
  /** Keyed by user id; a right password refunds its attempt. */
  readonly wrongPasswords: RateLimiter;
}

export function createLimits(store: RateLimiters, settings: LimitSettings = DEFAULT_LIMITS): Limits {
  const limiter = (name: string, perUnit: number, limit: RateLimit) => (perUnit > 0 ? store.create(name, limit) : unlimited);
  return {
    sends: limiter('sends', settings.messageRate, sustainedRate(settings.messageRate, 3)),
    registrations: limiter('registrations', settings.registrationRate, { points: settings.registrationRate, durationSeconds: 3600 }),
    loginFailuresByAddress: limiter('login-failures', settings.loginFailuresPerAddress, {
      points: settings.loginFailuresPerAddress,
      durationSeconds: FIFTEEN_MINUTES,
    }),
    wrongPasswords: limiter('wrong-passwords', settings.wrongPasswordsPerUser, {
      points: settings.wrongPasswordsPerUser,
      durationSeconds: FIFTEEN_MINUTES,
    }),
  };
}

/** Every limit off: for embedders who limit elsewhere, and for tests of other things. */
export const noLimits: Limits = {
  sends: unlimited,
  registrations: unlimited,
  loginFailuresByAddress: unlimited,
  wrongPasswords: unlimited,
};
