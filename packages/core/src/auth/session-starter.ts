import type { Clock } from '../shared/clock.js';
import type { CoreConfig } from '../shared/config.js';
import type { Session } from './session.js';
import type { SessionStore } from './session-store.js';
import type { TokenGenerator } from './token-generator.js';

export interface StartedSession {
  /** Handed to the client once; only its hash is kept. */
  readonly token: string;
  readonly session: Session;
}

/** Registration and login both end here, so a session is made one way only. */
export class SessionStarter {
  constructor(
    private readonly sessions: SessionStore,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
    private readonly config: Pick<CoreConfig, 'sessionTtlMs'>,
  ) {}

  /** `ttlMs`: the session's lifetime when not the configured one (tokens handed to a host page are short-lived). */
  async start(userId: string, ttlMs = this.config.sessionTtlMs): Promise<StartedSession> {
    const token = this.tokens.generate();
    const expiresAt = new Date(this.clock.now().getTime() + ttlMs);
    const session = await this.sessions.create({ tokenHash: this.tokens.hash(token), userId, expiresAt });
    return { token, session };
  }
}
