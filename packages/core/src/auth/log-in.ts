import { type Limits, spend } from '../limits/limits.js';
import type { Clock } from '../shared/clock.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { couldBeAPassword } from '../users/password.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { User, UserAccount } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import { checkUsername, usernameKey } from '../users/username.js';
import type { LoginThrottle, ThrottleKey } from './login-throttle.js';
import type { SessionStarter, StartedSession } from './session-starter.js';

export const LOGIN_THROTTLE_POLICY = { maxFailures: 10, windowMs: 15 * 60 * 1000 } as const;

export type LogInError = ErrorOf<'invalid-credentials' | 'login-throttled' | 'rate-limited'>;

export interface LogInInput {
  readonly username: string;
  readonly password: string;
  /** Who asks, as the edge sees it: failures are counted per username and address, and per address. */
  readonly clientAddress: string;
}

type LogInResult = Result<StartedSession & { user: User }, LogInError>;

export class LogIn {
  /** Verified against when the user does not exist, so both failures take as long. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly limits: Pick<Limits, 'loginFailuresByAddress'>,
    private readonly sessions: SessionStarter,
    private readonly clock: Clock,
  ) {}

  async execute(input: LogInInput): Promise<LogInResult> {
    // Across usernames: one address guessing many accounts. Spent up front, like the
    // per-username count below, and given back when the password proves right.
    const flooding = await spend(this.limits.loginFailuresByAddress, input.clientAddress);
    if (flooding) return err(flooding);
    let outcome: LogInResult | undefined;
    try {
      outcome = await this.attempt(input);
      return outcome;
    } finally {
      // Also when it threw (a hash refused for lack of capacity): no guess was judged.
      if (!outcome || outcome.ok) await this.limits.loginFailuresByAddress.refund(input.clientAddress);
    }
  }

  private async attempt(input: LogInInput): Promise<LogInResult> {
    const key: ThrottleKey = { username: usernameKey(input.username), clientAddress: input.clientAddress };
    const now = this.clock.now();
    const refused = await this.refusal(key, now, 0);
    if (refused) return err(refused);
    // Counted as a failure until the password proves right: attempts made at the same
    // moment would otherwise all pass the check above before any of them was recorded.
    await this.throttle.recordFailure(key, now);
    const outrun = await this.refusal(key, now, 1);
    if (outrun) return err(outrun);

    let account: UserAccount | undefined;
    let matches: boolean;
    try {
      account = checkUsername(input.username).ok ? await this.users.findByUsername(input.username) : undefined;
      // Over-long or ill-formed input is refused without hashing it (see couldBeAPassword).
      const plausible = couldBeAPassword(input.password);
      matches = plausible && (await this.hasher.verify(input.password, account?.passwordHash ?? (await this.decoy())));
    } catch (error) {
      // Never judged (a hash refused for lack of capacity, a store away): not a failed guess either.
      await this.throttle.withdrawFailure(key, now).catch(() => {});
      throw error;
    }
    if (!account || !matches) return err({ kind: 'invalid-credentials' });

    await this.throttle.clear(key);
    const user: User = { id: account.id, username: account.username };
    return ok({ user, ...(await this.sessions.start(account.id)) });
  }

  /** `ownAttempts`: failures already recorded for this very attempt, which do not count against it. */
  private async refusal(key: ThrottleKey, now: Date, ownAttempts: number): Promise<ErrorOf<'login-throttled'> | undefined> {
    const { maxFailures, windowMs } = LOGIN_THROTTLE_POLICY;
    // A failure counts for `windowMs` and no longer: at `pivot + windowMs` it is out, which is
    // the instant `retryAfterSeconds` names; an inclusive `now - windowMs` would block one tick more.
    const failures = await this.throttle.failuresSince(key, new Date(now.getTime() - windowMs + 1));
    // Unblocked once enough of the oldest failures have left the window.
    const pivot = failures[failures.length - ownAttempts - maxFailures];
    if (pivot === undefined) return undefined;
    const blockedUntil = pivot.getTime() + windowMs;
    return { kind: 'login-throttled', retryAfterSeconds: Math.max(1, Math.ceil((blockedUntil - now.getTime()) / 1000)) };
  }

  private decoy(): Promise<string> {
    if (!this.decoyHash) {
      const hashing = this.hasher.hash('decoy password that nobody has');
      // A hash refused for lack of capacity must not stay cached: every later unknown username would fail with it.
      hashing.catch(() => {
        if (this.decoyHash === hashing) this.decoyHash = undefined;
      });
      this.decoyHash = hashing;
    }
    return this.decoyHash;
  }
}
