import type { Result } from '../shared/result.js';
import type { User, UserAccount } from './user.js';

export interface NewUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly email?: string | null;
}

/** Which unique key refused a new user. */
export type UserTaken = 'username-taken' | 'email-taken';

/** A user whose identity belongs to a host application: no password, no address. */
export interface NewExternalUser {
  /** The host's own id for the user; unique, compared exactly. */
  readonly externalId: string;
  readonly username: string;
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
  /** Refused when the username, or the email, is taken in any letter case (the username is reported when both are). */
  create(user: NewUser): Promise<Result<User, UserTaken>>;
  findByUsername(username: string): Promise<UserAccount | undefined>;
  findById(id: string): Promise<UserAccount | undefined>;
  /** Letter case does not matter. */
  findByEmail(email: string): Promise<UserAccount | undefined>;
  /** The users among these names (any letter case), in no particular order; unknown names are left out. */
  findManyByUsername(usernames: readonly string[]): Promise<User[]>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** The user the host application knows by this id, if one was provisioned. */
  findByExternalId(externalId: string): Promise<UserAccount | undefined>;
  /** Refused when the username (any letter case) or the external id is taken; a refused id means another caller provisioned it first. */
  createExternal(user: NewExternalUser): Promise<Result<User, 'username-taken' | 'external-id-taken'>>;
  /** `false` when another user holds that name in any letter case; a user may change the letter case of its own. */
  rename(userId: string, username: string): Promise<boolean>;
  /** `null` removes it; `false` when another user has that address, in any letter case. */
  setEmail(userId: string, email: string | null): Promise<boolean>;
  /**
   * Ordered by lower-case username compared code unit by code unit (a binary
   * collation: '-' < '.' < digits < '_' < letters), the same order `afterKey` is read in.
   */
  list(query: UserQuery): Promise<User[]>;
}
