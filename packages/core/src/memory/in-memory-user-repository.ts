import type { User, UserAccount } from '../users/user.js';
import type { NewUser, UserQuery, UserRepository } from '../users/user-repository.js';
import { usernameKey } from '../users/username.js';
import { IdSequence } from './id-sequence.js';

/**
 * Users in a map. No method awaits between reading and writing, so
 * interleaved calls behave as if serialised, like rows under a unique index.
 */
export class InMemoryUserRepository implements UserRepository {
  private readonly ids = new IdSequence();
  private readonly byId = new Map<string, UserAccount>();
  private readonly idByKey = new Map<string, string>();

  async create(user: NewUser): Promise<User | undefined> {
    const key = usernameKey(user.username);
    if (this.idByKey.has(key)) return undefined;
    const id = this.ids.next();
    this.byId.set(id, { id, username: user.username, passwordHash: user.passwordHash });
    this.idByKey.set(key, id);
    return { id, username: user.username };
  }

  async findByUsername(username: string): Promise<UserAccount | undefined> {
    const id = this.idByKey.get(usernameKey(username));
    return id === undefined ? undefined : this.findById(id);
  }

  async findManyByUsername(usernames: readonly string[]): Promise<User[]> {
    const ids = new Set(usernames.map((username) => this.idByKey.get(usernameKey(username))));
    return [...ids].flatMap((id) => {
      const user = id === undefined ? undefined : this.userOf(id);
      return user ? [user] : [];
    });
  }

  async findById(id: string): Promise<UserAccount | undefined> {
    const account = this.byId.get(id);
    return account && { ...account };
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    const account = this.byId.get(userId);
    if (account) this.byId.set(userId, { ...account, passwordHash });
  }

  async list(query: UserQuery): Promise<User[]> {
    const prefix = usernameKey(query.prefix);
    return [...this.idByKey.entries()]
      .filter(([key, id]) => id !== query.excludeUserId && key.startsWith(prefix) && (query.afterKey === undefined || key > query.afterKey))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, Math.max(0, query.limit))
      .map(([, id]) => this.userOf(id) as User);
  }

  /** Synchronous lookup for the in-memory message store, which must not await inside `append`. */
  userOf(id: string): User | undefined {
    const account = this.byId.get(id);
    return account && { id: account.id, username: account.username };
  }
}
