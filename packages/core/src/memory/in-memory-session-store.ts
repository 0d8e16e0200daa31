import type { Session } from '../auth/session.js';
import type { NewSession, SessionStore } from '../auth/session-store.js';
import { IdSequence } from './id-sequence.js';

interface StoredSession extends NewSession {
  readonly id: string;
}

export class InMemorySessionStore implements SessionStore {
  private readonly ids = new IdSequence();
  private readonly byId = new Map<string, StoredSession>();
  private readonly idByTokenHash = new Map<string, string>();

  async create(session: NewSession): Promise<Session> {
    const stored: StoredSession = {
      id: this.ids.next(),
      tokenHash: session.tokenHash,
      userId: session.userId,
      expiresAt: new Date(session.expiresAt),
    };
    this.byId.set(stored.id, stored);
    this.idByTokenHash.set(stored.tokenHash, stored.id);
    return toSession(stored);
  }

  async findByTokenHash(tokenHash: string, now: Date): Promise<Session | undefined> {
    const id = this.idByTokenHash.get(tokenHash);
    return id === undefined ? undefined : this.live(id, now);
  }

  async findById(sessionId: string, now: Date): Promise<Session | undefined> {
    return this.live(sessionId, now);
  }

  async revoke(sessionId: string): Promise<void> {
    this.remove(sessionId);
  }

  async revokeAllForUser(userId: string, keepSessionId?: string): Promise<string[]> {
    const revoked: string[] = [];
    for (const stored of this.byId.values()) {
      if (stored.userId !== userId || stored.id === keepSessionId) continue;
      revoked.push(stored.id);
    }
    for (const id of revoked) this.remove(id);
    return revoked;
  }

  private remove(sessionId: string): void {
    const stored = this.byId.get(sessionId);
    if (!stored) return;
    this.byId.delete(sessionId);
    this.idByTokenHash.delete(stored.tokenHash);
  }

  private live(id: string, now: Date): Session | undefined {
    const stored = this.byId.get(id);
    // A session is over at its expiry instant, not a millisecond later.
    return stored && stored.expiresAt.getTime() > now.getTime() ? toSession(stored) : undefined;
  }
}

function toSession(stored: StoredSession): Session {
  return { id: stored.id, userId: stored.userId, expiresAt: new Date(stored.expiresAt) };
}
