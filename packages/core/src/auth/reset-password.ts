import type { Notifier } from '../notifications/notifier.js';
import type { Clock } from '../shared/clock.js';
import { type ErrorOf, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { checkPassword } from '../users/password.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { UserRepository } from '../users/user-repository.js';
import type { ResetTokenStore } from './reset-token-store.js';
import type { SessionStore } from './session-store.js';
import type { TokenGenerator } from './token-generator.js';

export type ResetPasswordError = ErrorOf<'validation-failed'>;

/** Tokens are 43 characters; anything far longer is not one and is not hashed. */
const MAX_TOKEN_LENGTH = 512;

/** The end of a reset link: a new password, and every session of the user ends, wherever it is. */
export class ResetPassword {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly resetTokens: ResetTokenStore,
    private readonly sessions: SessionStore,
    private readonly notifier: Notifier,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string; newPassword: string }): Promise<Result<void, ResetPasswordError>> {
    // Checked before the token is spent, so a weak password leaves the link usable.
    const password = checkPassword(input.newPassword, 'newPassword');
    if (!password.ok) return password;
    const userId =
      input.token.length > 0 && input.token.length <= MAX_TOKEN_LENGTH
        ? await this.resetTokens.redeem(this.tokens.hash(input.token), this.clock.now())
        : undefined;
    const account = userId === undefined ? undefined : await this.users.findById(userId);
    if (!account) return err(invalid('token', 'is unknown, already used or expired: ask for a new link'));

    await this.users.setPasswordHash(account.id, await this.hasher.hash(input.newPassword));
    await this.resetTokens.revokeAllForUser(account.id);
    const ended = await this.sessions.revokeAllForUser(account.id);
    if (ended.length > 0) await this.notifier.publish({ kind: 'end-sessions', sessionIds: ended });
    return ok(undefined);
  }
}
