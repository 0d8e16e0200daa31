import type { SessionStore } from '../auth/session-store.js';
import type { Notifier } from '../notifications/notifier.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { checkPassword } from './password.js';
import type { PasswordHasher } from './password-hasher.js';
import type { UserRepository } from './user-repository.js';

/** The administrator's answer to a forgotten password: every session of the user ends. */
export class SetPassword {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStore,
    private readonly notifier: Notifier,
  ) {}

  async execute(input: { username: string; password: string }): Promise<Result<void, ErrorOf<'validation-failed' | 'user-not-found'>>> {
    const password = checkPassword(input.password);
    if (!password.ok) return password;
    const account = await this.users.findByUsername(input.username);
    if (!account) return err({ kind: 'user-not-found' });
    await this.users.setPasswordHash(account.id, await this.hasher.hash(input.password));
    const ended = await this.sessions.revokeAllForUser(account.id);
    if (ended.length > 0) await this.notifier.publish({ kind: 'end-sessions', sessionIds: ended });
    return ok(undefined);
  }
}
