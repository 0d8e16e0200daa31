import type { NewUser, User, UserAccount, UserQuery, UserRepository } from '@message-center/core';
import { usernameKey } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { StorageDatabase } from '../database.js';
import { dialectNamed } from '../dialects/index.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import type { Database } from '../schema.js';
import { idParam, toId } from '../schema.js';
import { guarded } from '../store-errors.js';

/** Above every character: `key < prefix + this` bounds a prefix range in binary collation. */
const AFTER_EVERY_CHARACTER = '\u{10FFFF}';

export class KyselyUserRepository implements UserRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;

  constructor(database: StorageDatabase) {
    this.db = database.db;
    this.dialect = dialectNamed(database.dialect);
  }

  create(user: NewUser): Promise<User | undefined> {
    return guarded(this.dialect, async () => {
      try {
        const inserted = await this.db
          .insertInto('users')
          .values({
            username: user.username,
            username_key: usernameKey(user.username),
            password_hash: user.passwordHash,
            created_at: this.dialect.encodeTime(new Date()),
          })
          .executeTakeFirstOrThrow();
        return { id: String(inserted.insertId), username: user.username };
      } catch (error) {
        // The only unique key besides the id: the name is taken, in some letter case.
        if (this.dialect.isDuplicateKey(error)) return undefined;
        throw error;
      }
    });
  }

  findByUsername(username: string): Promise<UserAccount | undefined> {
    return guarded(this.dialect, async () => {
      const row = await this.db
        .selectFrom('users')
        .select(['id', 'username', 'password_hash'])
        .where('username_key', '=', usernameKey(username))
        .executeTakeFirst();
      return row && { id: toId(row.id), username: row.username, passwordHash: row.password_hash };
    });
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
    return guarded(this.dialect, async () => {
      const key = idParam(id);
      if (key === undefined) return undefined;
      const row = await this.db.selectFrom('users').select(['id', 'username', 'password_hash']).where('id', '=', key).executeTakeFirst();
      return row && { id: toId(row.id), username: row.username, passwordHash: row.password_hash };
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
