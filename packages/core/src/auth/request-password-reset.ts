import { type Limits, spend } from '../limits/limits.js';
import type { Mailer } from '../mail/mailer.js';
import type { Background } from '../shared/background.js';
import type { Clock } from '../shared/clock.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { checkEmail, emailKey } from '../users/email.js';
import type { UserRepository } from '../users/user-repository.js';
import { RESET_TOKEN_TTL_MS, type ResetTokenStore } from './reset-token-store.js';
import type { TokenGenerator } from './token-generator.js';

export type RequestPasswordResetError = ErrorOf<'validation-failed' | 'rate-limited'>;

/**
 * Mails a reset link to the address when it belongs to a user. The answer is
 * the same whether it does or not, and so is its timing: the lookup, the
 * token and the mail all happen after this returns, off the request path.
 */
export class RequestPasswordReset {
  constructor(
    private readonly users: UserRepository,
    private readonly resetTokens: ResetTokenStore,
    private readonly tokens: TokenGenerator,
    private readonly limits: Pick<Limits, 'resetsByEmail' | 'resetsByAddress'>,
    private readonly mailer: Mailer,
    private readonly background: Background,
    private readonly clock: Clock,
  ) {}

  /** `clientAddress`: who asks, as the edge sees it. */
  async execute(input: { email: string; clientAddress: string }): Promise<Result<void, RequestPasswordResetError>> {
    const email = checkEmail(input.email);
    if (!email.ok) return err(email.error);
    // Counted whether or not the address has an account, so a refusal says nothing about it either.
    const refused =
      (await spend(this.limits.resetsByAddress, input.clientAddress)) ?? (await spend(this.limits.resetsByEmail, emailKey(input.email)));
    if (refused) return err(refused);
    this.background.run('password-reset mail', () => this.mailIfKnown(input.email));
    return ok(undefined);
  }

  private async mailIfKnown(email: string): Promise<void> {
    const account = await this.users.findByEmail(email);
    if (!account?.email) return;
    const token = this.tokens.generate();
    const expiresAt = new Date(this.clock.now().getTime() + RESET_TOKEN_TTL_MS);
    await this.resetTokens.issue({ tokenHash: this.tokens.hash(token), userId: account.id, expiresAt });
    // To the address as the user stored it, not as the requester spelled it.
    await this.mailer.send({ kind: 'password-reset', to: account.email, username: account.username, token, expiresAt });
  }
}
