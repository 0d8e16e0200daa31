import type { NewResetToken, ResetTokenStore } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { StorageDatabase } from '../database.js';
import { dialectNamed } from '../dialects/index.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { type Database, idParam, toId } from '../schema.js';
import { guarded } from '../store-errors.js';

/** Keeps only each token's SHA-256; expired rows are removed by `sweepExpired`. */
export class KyselyResetTokenStore implements ResetTokenStore {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;

  constructor(database: StorageDatabase) {
    this.db = database.db;
    this.dialect = dialectNamed(database.dialect);
  }

  issue(token: NewResetToken): Promise<void> {
    return guarded(this.dialect, async () => {
      await this.db
        .insertInto('reset_tokens')
        .values({ token_hash: token.tokenHash, user_id: BigInt(token.userId), expires_at: this.dialect.encodeTime(token.expiresAt) })
        .execute();
    });
  }

  redeem(tokenHash: string, now: Date): Promise<string | undefined> {
    return guarded(this.dialect, async () => {
      const row = await this.db
        .selectFrom('reset_tokens')
        .select(['user_id', 'expires_at'])
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row) return undefined;
      // Of two concurrent redeems both may read the row; only the one whose DELETE removed it wins.
      const deleted = await this.db.deleteFrom('reset_tokens').where('token_hash', '=', tokenHash).executeTakeFirst();
      if (deleted.numDeletedRows !== 1n) return undefined;
      if (this.dialect.decodeTime(row.expires_at).getTime() <= now.getTime()) return undefined;
      return toId(row.user_id);
    });
  }

  revokeAllForUser(userId: string): Promise<void> {
    return guarded(this.dialect, async () => {
      const user = idParam(userId);
      if (user !== undefined) await this.db.deleteFrom('reset_tokens').where('user_id', '=', user).execute();
    });
  }
}
