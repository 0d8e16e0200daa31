import type { Notifier } from '../notifications/notifier.js';
import type { Session } from './session.js';
import type { SessionStore } from './session-store.js';

export class LogOut {
  constructor(
    private readonly sessions: SessionStore,
    private readonly notifier: Notifier,
  ) {}

  async execute(input: { session: Session }): Promise<void> {
    await this.sessions.revoke(input.session.id);
    await this.notifier.publish({ kind: 'end-sessions', sessionIds: [input.session.id] });
  }
}
