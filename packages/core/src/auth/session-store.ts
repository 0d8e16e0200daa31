import type { Session } from './session.js';

export interface NewSession {
  /** SHA-256 of the token: the token itself is never stored. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly expiresAt: Date;
}

export interface SessionStore {
  create(session: NewSession): Promise<Session>;
  /** The live session with that token hash; expired ones are treated as absent. */
  findByTokenHash(tokenHash: string, now: Date): Promise<Session | undefined>;
  findById(sessionId: string, now: Date): Promise<Session | undefined>;
  revoke(sessionId: string): Promise<void>;
  /** Revokes every session of the user but `keepSessionId`; returns the ids it revoked. */
  revokeAllForUser(userId: string, keepSessionId?: string): Promise<string[]>;
}
