import type { Notifier } from '../notifications/notifier.js';
import type { UserRepository } from '../users/user-repository.js';
import type { SessionStore } from './session-store.js';

/**
 * The host application signed its user out. Its own sign-in stops naming the
 * user on the next request, but what was already handed out lives on: bearer
 * tokens from `issueToken` and open WebSockets. This ends every session of
 * the user at once, on every process, and their sockets close with 4401.
 */
export class SignOutHostUser {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionStore,
    private readonly notifier: Notifier,
  ) {}

  /** How many sessions ended; 0 for a host id never seen here. */
  async execute(input: { readonly id: string }): Promise<{ ended: number }> {
    const user = await this.users.findByExternalId(input.id);
    if (!user) return { ended: 0 };
    const ended = await this.sessions.revokeAllForUser(user.id);
    if (ended.length > 0) await this.notifier.publish({ kind: 'end-sessions', sessionIds: ended });
    return { ended: ended.length };
  }
}
