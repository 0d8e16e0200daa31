import { createHash } from 'node:crypto';
import type { LoginThrottle, ThrottleKey } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { StorageDatabase } from '../database.js';
import { dialectNamed } from '../dialects/index.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import type { Database } from '../schema.js';
import { guarded } from '../store-errors.js';

/** Far longer than any throttle window; older failures are dropped when the key fails again. */
export const LOGIN_FAILURE_RETENTION_MS = 24 * 60 * 60 * 1000;

export class KyselyLoginThrottle implements LoginThrottle {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;

  constructor(database: StorageDatabase) {
    this.db = database.db;
    this.dialect = dialectNamed(database.dialect);
  }

  failuresSince(key: ThrottleKey, since: Date): Promise<Date[]> {
    return guarded(this.dialect, async () => {
      const rows = await this.db
        .selectFrom('login_failures')
        .select('failed_at')
        .where('key_hash', '=', keyHash(key))
        .where('failed_at', '>=', this.dialect.encodeTime(since))
        .orderBy('failed_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => this.dialect.decodeTime(row.failed_at));
    });
  }

  recordFailure(key: ThrottleKey, at: Date): Promise<void> {
    return guarded(this.dialect, async () => {
      const hash = keyHash(key);
      await this.db
        .insertInto('login_failures')
        .values({ key_hash: hash, failed_at: this.dialect.encodeTime(at) })
        .execute();
      await this.db
        .deleteFrom('login_failures')
        .where('key_hash', '=', hash)
        .where('failed_at', '<', this.dialect.encodeTime(new Date(at.getTime() - LOGIN_FAILURE_RETENTION_MS)))
        .execute();
    });
  }

  withdrawFailure(key: ThrottleKey, at: Date): Promise<void> {
    return guarded(this.dialect, async () => {
      // One row, not every failure of that millisecond: two attempts may have failed in it.
      const row = await this.db
        .selectFrom('login_failures')
        .select('id')
        .where('key_hash', '=', keyHash(key))
        .where('failed_at', '=', this.dialect.encodeTime(at))
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row) await this.db.deleteFrom('login_failures').where('id', '=', row.id).execute();
    });
  }

  clear(key: ThrottleKey): Promise<void> {
    return guarded(this.dialect, async () => {
      await this.db.deleteFrom('login_failures').where('key_hash', '=', keyHash(key)).execute();
    });
  }
}

/** Usernames typed at a login form have no length limit, so the key is stored hashed. */
function keyHash(key: ThrottleKey): string {
  return createHash('sha256')
    .update(JSON.stringify([key.username, key.clientAddress]))
    .digest('hex');
}
