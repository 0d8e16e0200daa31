import type { SessionStarter, StartedSession } from '../auth/session-starter.js';
import { type Limits, spend } from '../limits/limits.js';
import type { CoreConfig } from '../shared/config.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { createAccount } from './create-account.js';
import type { PasswordHasher } from './password-hasher.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

export type RegisterUserError = ErrorOf<'validation-failed' | 'username-taken' | 'email-taken' | 'registration-closed' | 'rate-limited'>;

export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStarter,
    private readonly limits: Pick<Limits, 'registrations'>,
    private readonly config: Pick<CoreConfig, 'allowRegistration'>,
  ) {}

  async execute(input: {
    username: string;
    password: string;
    email?: string | null | undefined;
    /** Who asks, as the edge sees it: sign-ups are limited per client address. */
    clientAddress: string;
  }): Promise<Result<StartedSession & { user: User }, RegisterUserError>> {
    if (!this.config.allowRegistration) return err({ kind: 'registration-closed' });
    // Spent before the work, so that simultaneous attempts cannot all slip under the limit;
    // given back unless an account is made: the limit counts accounts, not typos.
    const refused = await spend(this.limits.registrations, input.clientAddress);
    if (refused) return err(refused);
    let created: Awaited<ReturnType<typeof createAccount>> | undefined;
    try {
      created = await createAccount(this.users, this.hasher, input);
    } finally {
      if (!created?.ok) await this.limits.registrations.refund(input.clientAddress);
    }
    if (!created.ok) return created;
    return ok({ user: created.value, ...(await this.sessions.start(created.value.id)) });
  }
}
