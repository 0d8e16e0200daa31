import type { Limits } from '../limits/limits.js';
import type { Notifier } from '../notifications/notifier.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { checkPassword } from '../users/password.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Principal } from './authenticate.js';
import { checkCurrentPassword } from './current-password.js';
import type { SessionStore } from './session-store.js';

export type ChangePasswordError = ErrorOf<'validation-failed' | 'wrong-current-password' | 'rate-limited'>;

export class ChangePassword {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly limits: Pick<Limits, 'wrongPasswords'>,
    private readonly sessions: SessionStore,
    private readonly notifier: Notifier,
  ) {}

  async execute(input: Principal & { currentPassword: string; newPassword: string }): Promise<Result<void, ChangePasswordError>> {
    const newPassword = checkPassword(input.newPassword, 'newPassword');
    if (!newPassword.ok) return newPassword;
    const account = await this.users.findById(input.user.id);
    const refused = await checkCurrentPassword({ hasher: this.hasher, limits: this.limits }, input.user.id, account, input.currentPassword);
    if (refused || !account) return err(refused ?? { kind: 'wrong-current-password' });
    await this.users.setPasswordHash(account.id, await this.hasher.hash(input.newPassword));
    const ended = await this.sessions.revokeAllForUser(account.id, input.session.id);
    if (ended.length > 0) await this.notifier.publish({ kind: 'end-sessions', sessionIds: ended });
    return ok(undefined);
  }
}
