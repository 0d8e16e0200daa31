import { type NewMessage, type User, usernameKey } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { InboxRowDelta, SqlDialect } from '../dialects/sql-dialect.js';
import { type Database, toId } from '../schema.js';
import { StorageError } from '../store-errors.js';
import { pairOf } from './message-rows.js';

/** A message just written: its id and both users as the store names them. */
export interface Appended {
  readonly id: string;
  readonly sender: User;
  readonly recipient: User;
}

/**
 * A send as statements in one Kysely transaction: the SQLite path, where the
 * database is in process and a statement costs no round trip. MySQL runs the
 * same steps, in the same order, in one stored procedure (migration 0006).
 * `undefined` when no user has the recipient's username: nothing is written.
 */
export function appendInTransaction(db: Kysely<Database>, dialect: SqlDialect, message: NewMessage): Promise<Appended | undefined> {
  return dialect.transaction(db, async (trx) => {
    const named = await trx.selectFrom('users').select('id').where('username_key', '=', usernameKey(message.recipient)).executeTakeFirst();
    if (!named) return undefined;
    const senderId = BigInt(message.senderId);
    const recipientId = BigInt(named.id);
    const pair = pairOf(senderId, recipientId);
    // Ids are drawn at insert but become visible at commit. Locking both users first (lower id
    // first, as everywhere) serialises the sends that involve either of them, so each user's
    // messages become visible in id order: a client catching up from the greatest id it has
    // seen can then never skip one that commits late. The same read names both of them.
    const participants = await dialect
      .forUpdate(trx.selectFrom('users').select(['id', 'username']).where('id', 'in', [pair.low, pair.high]).orderBy('id'))
      .execute();
    const userOf = (id: bigint): User => {
      const row = participants.find((candidate) => BigInt(candidate.id) === id);
      if (!row) throw new StorageError('a message names a user that does not exist');
      return { id: toId(row.id), username: row.username };
    };
    const sender = userOf(senderId);
    const recipient = userOf(recipientId);
    const inserted = await trx
      .insertInto('messages')
      .values({
        sender_id: senderId,
        recipient_id: recipientId,
        pair_low: pair.low,
        pair_high: pair.high,
        body: message.body,
        client_id: message.clientId,
        created_at: dialect.encodeTime(message.createdAt),
      })
      .executeTakeFirstOrThrow();
    if (inserted.insertId === undefined) throw new StorageError('the engine returned no id for a new message');
    const id = inserted.insertId;
    const rows: InboxRowDelta[] = [
      { userId: senderId, peerId: recipientId, lastMessageId: id, unreadIncrement: 0 },
      { userId: recipientId, peerId: senderId, lastMessageId: id, unreadIncrement: 1 },
    ];
    // Both rows are always locked lower user first, so sends in opposite directions cannot deadlock.
    rows.sort((a, b) => (a.userId < b.userId ? -1 : 1));
    await dialect.upsertInboxRows(trx, rows);
    return { id: id.toString(), sender, recipient };
  });
}
