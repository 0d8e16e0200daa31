import type { Message } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import type { Database, DbId, DbTime } from '../schema.js';
import { toId } from '../schema.js';

/** A message with both usernames, as every message query selects it. */
export interface MessageRow {
  id: DbId;
  sender_id: DbId;
  sender_username: string;
  recipient_id: DbId;
  recipient_username: string;
  body: string;
  client_id: string | null;
  created_at: DbTime;
}

/** Messages joined to their two users by primary key: the joins never change how `m` is scanned. */
export function selectMessages(db: Kysely<Database>) {
  return db
    .selectFrom('messages as m')
    .innerJoin('users as s', 's.id', 'm.sender_id')
    .innerJoin('users as r', 'r.id', 'm.recipient_id')
    .select([
      'm.id',
      'm.sender_id',
      's.username as sender_username',
      'm.recipient_id',
      'r.username as recipient_username',
      'm.body',
      'm.client_id',
      'm.created_at',
    ]);
}

export function toMessage(dialect: SqlDialect, row: MessageRow): Message {
  return {
    id: toId(row.id),
    sender: { id: toId(row.sender_id), username: row.sender_username },
    recipient: { id: toId(row.recipient_id), username: row.recipient_username },
    body: row.body,
    createdAt: dialect.decodeTime(row.created_at),
    clientId: row.client_id,
  };
}

/** The conversation's key: lower id first, compared as numbers ("9" < "10"). */
export function pairOf(a: bigint, b: bigint): { low: bigint; high: bigint } {
  return a < b ? { low: a, high: b } : { low: b, high: a };
}
