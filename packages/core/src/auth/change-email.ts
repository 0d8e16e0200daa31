import type { Limits } from '../limits/limits.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { checkEmail } from '../users/email.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Principal } from './authenticate.js';
import { checkCurrentPassword } from './current-password.js';

export type ChangeEmailError = ErrorOf<'validation-failed' | 'wrong-current-password' | 'email-taken' | 'rate-limited'>;

/** Adds, replaces or (with `null`) removes the caller's address; the password proves it is the owner at the keyboard. */
export class ChangeEmail {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly limits: Pick<Limits, 'wrongPasswords'>,
  ) {}

  async execute(input: Principal & { email: string | null; currentPassword: string }): Promise<Result<void, ChangeEmailError>> {
    if (input.email !== null) {
      const email = checkEmail(input.email);
      if (!email.ok) return email;
    }
    const account = await this.users.findById(input.user.id);
    const refused = await checkCurrentPassword({ hasher: this.hasher, limits: this.limits }, input.user.id, account, input.currentPassword);
    if (refused || !account) return err(refused ?? { kind: 'wrong-current-password' });
    return (await this.users.setEmail(account.id, input.email)) ? ok(undefined) : err({ kind: 'email-taken' });
  }
}
