import type { Kysely, RawBuilder, SelectQueryBuilder, Transaction } from 'kysely';
import type { Database, DbId, DbTime } from '../schema.js';

export type DialectName = 'mysql' | 'sqlite';

export interface InboxRowDelta {
  readonly userId: DbId;
  readonly peerId: DbId;
  readonly lastMessageId: DbId;
  readonly unreadIncrement: number;
}

/** The new row an upsert inserts: a first message starts the count at its own increment. */
export function inboxRowValues(row: InboxRowDelta) {
  return { user_id: row.userId, peer_id: row.peerId, last_message_id: row.lastMessageId, unread_count: row.unreadIncrement };
}

/** Column types and table options that differ between the engines. */
export interface DialectDdl {
  /** An auto-increment BIGINT primary key, as a column data type expression. */
  readonly idPrimaryKey: RawBuilder<unknown>;
  readonly bigint: RawBuilder<unknown>;
  readonly timestamp: RawBuilder<unknown>;
  /** Case-sensitive, byte-exact text for an indexed column of at most `length` characters. */
  exactString(length: number): RawBuilder<unknown>;
  /** Case-sensitive, byte-exact long text (message bodies). */
  readonly exactText: RawBuilder<unknown>;
  /** Appended to CREATE TABLE. */
  readonly tableOptions: RawBuilder<unknown> | undefined;
}

/**
 * Everything the repositories do differently on MySQL and SQLite, in one
 * place per engine, so that the repositories themselves read the same on both.
 */
export interface SqlDialect {
  readonly name: DialectName;
  readonly ddl: DialectDdl;

  encodeTime(at: Date): DbTime;
  decodeTime(value: DbTime): Date;

  /** A unique or primary key refused the row. */
  isDuplicateKey(error: unknown): boolean;
  /** The engine cannot be reached or went away: the store is unavailable. */
  isUnavailable(error: unknown): boolean;
  /** A deadlock or busy engine: running the whole transaction again is safe. */
  isRetryable(error: unknown): boolean;

  /**
   * Runs `work` in a transaction whose plain reads see everything committed
   * before each statement (READ COMMITTED on MySQL; SQLite serialises anyway).
   */
  transaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;

  /**
   * Inserts the inbox rows, or moves their last message up and adds to their
   * unread count, unless the message is at or below the row's read marker.
   */
  upsertInboxRows(trx: Kysely<Database>, rows: readonly InboxRowDelta[]): Promise<void>;

  /** Locks the rows the query reads until the transaction ends, where the engine has row locks. */
  // biome-ignore lint/suspicious/noExplicitAny: a query builder of any shape passes through unchanged.
  forUpdate<QB extends SelectQueryBuilder<Database, any, any>>(query: QB): QB;

  /**
   * UNION ALL of queries that each carry their own ORDER BY and LIMIT, so
   * each stays one index range scan; the caller merges the (small) result.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the branches share one row shape, checked by the caller.
  unionAll<Row>(branches: readonly SelectQueryBuilder<Database, any, Row>[]): RawBuilder<Row>;
}
