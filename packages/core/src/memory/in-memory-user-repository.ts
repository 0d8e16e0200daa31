import { err, ok, type Result } from '../shared/result.js';
import { emailKey } from '../users/email.js';
import type { User, UserAccount } from '../users/user.js';
import type { NewExternalUser, NewUser, UserQuery, UserRepository, UserTaken } from '../users/user-repository.js';
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
  private readonly idByEmailKey = new Map<string, string>();
  private readonly idByExternalId = new Map<string, string>();

  async create(user: NewUser): Promise<Result<User, UserTaken>> {
    return this.insert(user);
  }

  private insert(user: NewUser): Result<User, UserTaken> {
    const key = usernameKey(user.username);
    if (this.idByKey.has(key)) return err('username-taken');
    const email = user.email ?? null;
    if (email !== null && this.idByEmailKey.has(emailKey(email))) return err('email-taken');
    const id = this.ids.next();
    this.byId.set(id, { id, username: user.username, passwordHash: user.passwordHash, email });
    this.idByKey.set(key, id);
    if (email !== null) this.idByEmailKey.set(emailKey(email), id);
    return ok({ id, username: user.username });
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

  async findByEmail(email: string): Promise<UserAccount | undefined> {
    const id = this.idByEmailKey.get(emailKey(email));
    return id === undefined ? undefined : this.findById(id);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    const account = this.byId.get(userId);
    if (account) this.byId.set(userId, { ...account, passwordHash });
  }

  async setEmail(userId: string, email: string | null): Promise<boolean> {
    const account = this.byId.get(userId);
    if (!account) return true;
    if (email !== null) {
      const holder = this.idByEmailKey.get(emailKey(email));
      if (holder !== undefined && holder !== userId) return false;
    }
    if (account.email !== null) this.idByEmailKey.delete(emailKey(account.email));
    if (email !== null) this.idByEmailKey.set(emailKey(email), userId);
    this.byId.set(userId, { ...account, email });
    return true;
  }

  async findByExternalId(externalId: string): Promise<UserAccount | undefined> {
    const id = this.idByExternalId.get(externalId);
    return id === undefined ? undefined : this.findById(id);
  }

  async createExternal(user: NewExternalUser): Promise<Result<User, 'username-taken' | 'external-id-taken'>> {
    if (this.idByExternalId.has(user.externalId)) return err('external-id-taken');
    // No password can match an empty hash: the host, not a password, says who this is.
    const created = this.insert({ username: user.username, passwordHash: '' });
    if (!created.ok) return err('username-taken');
    this.idByExternalId.set(user.externalId, created.value.id);
    return created;
  }

  async rename(userId: string, username: string): Promise<boolean> {
    const account = this.byId.get(userId);
    if (!account) return true;
    const key = usernameKey(username);
    const holder = this.idByKey.get(key);
    if (holder !== undefined && holder !== userId) return false;
    this.idByKey.delete(usernameKey(account.username));
    this.idByKey.set(key, userId);
    this.byId.set(userId, { ...account, username });
    return true;
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

  /** As `userOf`, by username in any letter case. */
  userNamed(username: string): User | undefined {
    const id = this.idByKey.get(usernameKey(username));
    return id === undefined ? undefined : this.userOf(id);
  }
}
