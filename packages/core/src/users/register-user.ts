import type { SessionStarter, StartedSession } from '../auth/session-starter.js';
import type { CoreConfig } from '../shared/config.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { createAccount } from './create-account.js';
import type { PasswordHasher } from './password-hasher.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

export type RegisterUserError = ErrorOf<'validation-failed' | 'username-taken' | 'email-taken' | 'registration-closed'>;

export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStarter,
    private readonly config: Pick<CoreConfig, 'allowRegistration'>,
  ) {}

  async execute(input: {
    username: string;
    password: string;
    email?: string | null | undefined;
  }): Promise<Result<StartedSession & { user: User }, RegisterUserError>> {
    if (!this.config.allowRegistration) return err({ kind: 'registration-closed' });
    const created = await createAccount(this.users, this.hasher, input);
    if (!created.ok) return created;
    return ok({ user: created.value, ...(await this.sessions.start(created.value.id)) });
  }
}
