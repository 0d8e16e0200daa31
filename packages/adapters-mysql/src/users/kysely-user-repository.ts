import type { NewExternalUser, NewUser, Result, User, UserAccount, UserQuery, UserRepository, UserTaken } from '@message-center/core';
import { emailKey, err, ok, usernameKey } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { StorageDatabase } from '../database.js';
import { dialectNamed } from '../dialects/index.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { PreparedQuery } from '../prepared-query.js';
import type { Database, DbId } from '../schema.js';
import { idParam, toId } from '../schema.js';
import { guarded } from '../store-errors.js';

/** Above every character: `key < prefix + this` bounds a prefix range in binary collation. */
const AFTER_EVERY_CHARACTER = '\u{10FFFF}';

export class KyselyUserRepository implements UserRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  /** One user by one of its keys: by id for every authentication that the session cache does not answer. */
  private readonly byKey: Readonly<Record<UserKey, PreparedQuery<AccountRow>>>;

  constructor(database: StorageDatabase) {
    this.db = database.db;
    this.dialect = dialectNamed(database.dialect);
    const by = (column: UserKey) =>
      new PreparedQuery(this.db.selectFrom('users').select(['id', 'username', 'password_hash', 'email']).where(column, '=', ''), 1);
    this.byKey = { id: by('id'), username_key: by('username_key'), email_key: by('email_key'), external_id: by('external_id') };
  }

  create(user: NewUser): Promise<Result<User, UserTaken>> {
    const email = user.email ?? null;
    return this.insert(
      { username: user.username, password_hash: user.passwordHash, email, email_key: email === null ? null : emailKey(email) },
      // Two unique keys besides the id; users are never deleted, so the one that refused is still there to find.
      async () => ((await this.findByUsername(user.username)) ? 'username-taken' : 'email-taken'),
    );
  }

  /** A new user row; `taken` names the unique key that refused it. */
  private insert<Taken>(
    row: { username: string; password_hash: string; email?: string | null; email_key?: string | null; external_id?: string },
    taken: () => Promise<Taken>,
  ): Promise<Result<User, Taken>> {
    return guarded(this.dialect, async () => {
      try {
        const inserted = await this.db
          .insertInto('users')
          .values({ ...row, username_key: usernameKey(row.username), created_at: this.dialect.encodeTime(new Date()) })
          .executeTakeFirstOrThrow();
        return ok({ id: String(inserted.insertId), username: row.username });
      } catch (error) {
        if (!this.dialect.isDuplicateKey(error)) throw error;
        return err(await taken());
      }
    });
  }

  findByUsername(username: string): Promise<UserAccount | undefined> {
    return this.findOne('username_key', usernameKey(username));
  }

  findManyByUsername(usernames: readonly string[]): Promise<User[]> {
    return guarded(this.dialect, async () => {
      const keys = [...new Set(usernames.map(usernameKey))];
      if (keys.length === 0) return [];
      const rows = await this.db.selectFrom('users').select(['id', 'username']).where('username_key', 'in', keys).execute();
      return rows.map((row) => ({ id: toId(row.id), username: row.username }));
    });
  }

  findById(id: string): Promise<UserAccount | undefined> {
    const key = idParam(id);
    return key === undefined ? Promise.resolve(undefined) : this.findOne('id', key);
  }

  findByEmail(email: string): Promise<UserAccount | undefined> {
    return this.findOne('email_key', emailKey(email));
  }

  setEmail(userId: string, email: string | null): Promise<boolean> {
    return guarded(this.dialect, async () => {
      const key = idParam(userId);
      if (key === undefined) return true;
      try {
        await this.db
          .updateTable('users')
          .set({ email, email_key: email === null ? null : emailKey(email) })
          .where('id', '=', key)
          .execute();
        return true;
      } catch (error) {
        if (this.dialect.isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  findByExternalId(externalId: string): Promise<UserAccount | undefined> {
    return this.findOne('external_id', externalId);
  }

  createExternal(user: NewExternalUser): Promise<Result<User, 'username-taken' | 'external-id-taken'>> {
    return this.insert(
      // No password can match an empty hash: the host, not a password, says who this is.
      { username: user.username, password_hash: '', external_id: user.externalId },
      async () => ((await this.findByExternalId(user.externalId)) ? 'external-id-taken' : 'username-taken'),
    );
  }

  rename(userId: string, username: string): Promise<boolean> {
    return guarded(this.dialect, async () => {
      const key = idParam(userId);
      if (key === undefined) return true;
      try {
        await this.db
          .updateTable('users')
          .set({ username, username_key: usernameKey(username) })
          .where('id', '=', key)
          .execute();
        return true;
      } catch (error) {
        if (this.dialect.isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  private findOne(column: UserKey, value: string | bigint): Promise<UserAccount | undefined> {
    return guarded(this.dialect, async () => {
      const row = await this.byKey[column].first(this.db, [value]);
      return row && { id: toId(row.id), username: row.username, passwordHash: row.password_hash, email: row.email };
    });
  }

  setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    return guarded(this.dialect, async () => {
      const key = idParam(userId);
      if (key === undefined) return;
      await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', key).execute();
    });
  }

  list(query: UserQuery): Promise<User[]> {
    return guarded(this.dialect, async () => {
      if (query.limit <= 0) return [];
      const prefix = usernameKey(query.prefix);
      // A range rather than LIKE: no wildcard can sneak in, and both engines scan the unique index.
      let select = this.db
        .selectFrom('users')
        .select(['id', 'username'])
        .where('username_key', '>=', prefix)
        .where('id', '<>', idParam(query.excludeUserId) ?? -1n)
        .orderBy('username_key')
        .limit(query.limit);
      if (prefix !== '') select = select.where('username_key', '<', prefix + AFTER_EVERY_CHARACTER);
      if (query.afterKey !== undefined) select = select.where('username_key', '>', query.afterKey);
      const rows = await select.execute();
      return rows.map((row) => ({ id: toId(row.id), username: row.username }));
    });
  }
}

type UserKey = 'id' | 'username_key' | 'email_key' | 'external_id';
type AccountRow = { id: DbId; username: string; password_hash: string; email: string | null };
