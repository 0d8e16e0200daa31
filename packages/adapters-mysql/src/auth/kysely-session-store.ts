import type { NewSession, Session, SessionStore } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { StorageDatabase } from '../database.js';
import { dialectNamed } from '../dialects/index.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { PreparedQuery } from '../prepared-query.js';
import { type Database, type DbId, type DbTime, idParam, toId } from '../schema.js';
import { guarded } from '../store-errors.js';

/** Keeps only the token's SHA-256; expired rows are removed by `sweepExpired`. */
export class KyselySessionStore implements SessionStore {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  /** Asked by every authenticated request and every handshake, and again once its socket is open. */
  private readonly byTokenHash: PreparedQuery<SessionRow>;
  private readonly byId: PreparedQuery<SessionRow>;

  constructor(database: StorageDatabase) {
    this.db = database.db;
    this.dialect = dialectNamed(database.dialect);
    const unexpired = (column: 'token_hash' | 'id') =>
      this.db
        .selectFrom('sessions')
        .select(['id', 'user_id', 'expires_at'])
        .where(column, '=', '')
        .where('expires_at', '>', this.dialect.encodeTime(new Date(0)));
    this.byTokenHash = new PreparedQuery(unexpired('token_hash'), 2);
    this.byId = new PreparedQuery(unexpired('id'), 2);
  }

  create(session: NewSession): Promise<Session> {
    return guarded(this.dialect, async () => {
      const inserted = await this.db
        .insertInto('sessions')
        .values({ token_hash: session.tokenHash, user_id: BigInt(session.userId), expires_at: this.dialect.encodeTime(session.expiresAt) })
        .executeTakeFirstOrThrow();
      return { id: String(inserted.insertId), userId: session.userId, expiresAt: new Date(session.expiresAt.getTime()) };
    });
  }

  findByTokenHash(tokenHash: string, now: Date): Promise<Session | undefined> {
    return guarded(this.dialect, async () => {
      const row = await this.byTokenHash.first(this.db, [tokenHash, this.dialect.encodeTime(now)]);
      return row && this.toSession(row);
    });
  }

  findById(sessionId: string, now: Date): Promise<Session | undefined> {
    return guarded(this.dialect, async () => {
      const id = idParam(sessionId);
      if (id === undefined) return undefined;
      const row = await this.byId.first(this.db, [id, this.dialect.encodeTime(now)]);
      return row && this.toSession(row);
    });
  }

  revoke(sessionId: string): Promise<void> {
    return guarded(this.dialect, async () => {
      const id = idParam(sessionId);
      if (id !== undefined) await this.db.deleteFrom('sessions').where('id', '=', id).execute();
    });
  }

  revokeAllForUser(userId: string, keepSessionId?: string): Promise<string[]> {
    return guarded(this.dialect, async () => {
      const user = idParam(userId);
      if (user === undefined) return [];
      const keep = keepSessionId === undefined ? undefined : idParam(keepSessionId);
      return this.dialect.transaction(this.db, async (trx) => {
        let select = trx.selectFrom('sessions').select('id').where('user_id', '=', user);
        if (keep !== undefined) select = select.where('id', '<>', keep);
        // Locked, so the ids returned are exactly the rows this call deleted.
        const ids = (await this.dialect.forUpdate(select).execute()).map((row) => row.id);
        if (ids.length > 0) await trx.deleteFrom('sessions').where('id', 'in', ids).execute();
        return ids.map(toId);
      });
    });
  }

  private toSession(row: SessionRow): Session {
    return { id: toId(row.id), userId: toId(row.user_id), expiresAt: this.dialect.decodeTime(row.expires_at) };
  }
}

type SessionRow = { id: DbId; user_id: DbId; expires_at: DbTime };
