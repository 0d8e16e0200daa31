import type { NewResetToken, ResetTokenStore } from '../auth/reset-token-store.js';

export class InMemoryResetTokenStore implements ResetTokenStore {
  private readonly byHash = new Map<string, NewResetToken>();

  async issue(token: NewResetToken): Promise<void> {
    this.byHash.set(token.tokenHash, { ...token, expiresAt: new Date(token.expiresAt) });
  }

  async redeem(tokenHash: string, now: Date): Promise<string | undefined> {
    const token = this.byHash.get(tokenHash);
    if (!token) return undefined;
    this.byHash.delete(tokenHash);
    // Expired at the instant itself, like sessions.
    return token.expiresAt.getTime() > now.getTime() ? token.userId : undefined;
  }

  async revokeAllForUser(userId: string): Promise<void> {
    for (const [hash, token] of this.byHash) if (token.userId === userId) this.byHash.delete(hash);
  }
}
