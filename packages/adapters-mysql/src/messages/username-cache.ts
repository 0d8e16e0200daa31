/**
 * Usernames by user id, the most recently used kept up to `capacity`.
 * Usernames never change and users are never deleted, so an entry never goes
 * stale; the bound only keeps an instance with millions of users from
 * growing the process without limit, and recency keeps the active ones warm.
 */
export class UsernameCache {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recent first.
  private readonly entries = new Map<string, string>();

  constructor(readonly capacity: number) {
    // A send reads two names and needs both still there after storing them.
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError('the username cache needs room for at least 2 names');
  }

  get size(): number {
    return this.entries.size;
  }

  get(userId: string): string | undefined {
    const username = this.entries.get(userId);
    if (username !== undefined) {
      this.entries.delete(userId);
      this.entries.set(userId, username);
    }
    return username;
  }

  set(userId: string, username: string): void {
    this.entries.delete(userId);
    this.entries.set(userId, username);
    if (this.entries.size > this.capacity) {
      const leastRecent = this.entries.keys().next();
      if (!leastRecent.done) this.entries.delete(leastRecent.value);
    }
  }
}
