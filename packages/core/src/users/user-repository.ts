import type { User, UserAccount } from './user.js';

export interface NewUser {
  readonly username: string;
  readonly passwordHash: string;
}

export interface UserQuery {
  readonly excludeUserId: string;
  /** Case-insensitive, literal: `_` and `%` match only themselves. */
  readonly prefix: string;
  /** Only users whose lower-case username sorts strictly after this. */
  readonly afterKey?: string;
  readonly limit: number;
}

export interface UserRepository {
  /** `undefined` when the username is taken, in any letter case. */
  create(user: NewUser): Promise<User | undefined>;
  findByUsername(username: string): Promise<UserAccount | undefined>;
  findById(id: string): Promise<UserAccount | undefined>;
  /** The users among these names (any letter case), in no particular order; unknown names are left out. */
  findManyByUsername(usernames: readonly string[]): Promise<User[]>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /**
   * Ordered by lower-case username compared code unit by code unit (a binary
   * collation: '-' < '.' < digits < '_' < letters), the same order `afterKey` is read in.
   */
  list(query: UserQuery): Promise<User[]>;
}
