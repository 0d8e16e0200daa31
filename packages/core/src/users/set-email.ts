import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { checkEmail } from './email.js';
import type { UserRepository } from './user-repository.js';

/** The administrator's `set-email`: no password asked, as with `set-password`. */
export class SetEmail {
  constructor(private readonly users: UserRepository) {}

  async execute(input: {
    username: string;
    email: string | null;
  }): Promise<Result<void, ErrorOf<'validation-failed' | 'user-not-found' | 'email-taken'>>> {
    if (input.email !== null) {
      const email = checkEmail(input.email);
      if (!email.ok) return email;
    }
    const account = await this.users.findByUsername(input.username);
    if (!account) return err({ kind: 'user-not-found' });
    return (await this.users.setEmail(account.id, input.email)) ? ok(undefined) : err({ kind: 'email-taken' });
  }
}
