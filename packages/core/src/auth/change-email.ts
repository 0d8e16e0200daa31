import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { checkEmail } from '../users/email.js';
import { couldBeAPassword } from '../users/password.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Principal } from './authenticate.js';

export type ChangeEmailError = ErrorOf<'validation-failed' | 'wrong-current-password' | 'email-taken'>;

/** Adds, replaces or (with `null`) removes the caller's address; the password proves it is the owner at the keyboard. */
export class ChangeEmail {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute(input: Principal & { email: string | null; currentPassword: string }): Promise<Result<void, ChangeEmailError>> {
    if (input.email !== null) {
      const email = checkEmail(input.email);
      if (!email.ok) return email;
    }
    const account = await this.users.findById(input.user.id);
    // Like LogIn: over-long input is refused unhashed, because the KDF's cost grows with it.
    const plausible = couldBeAPassword(input.currentPassword);
    if (!account || !plausible || !(await this.hasher.verify(input.currentPassword, account.passwordHash))) {
      return err({ kind: 'wrong-current-password' });
    }
    return (await this.users.setEmail(account.id, input.email)) ? ok(undefined) : err({ kind: 'email-taken' });
  }
}
