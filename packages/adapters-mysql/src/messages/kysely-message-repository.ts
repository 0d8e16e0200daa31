import type { AppendOutcome, ConversationSummary, Message, MessageRepository, NewMessage, Result } from '@message-center/core';
import { checkUsername, err, ok } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { StorageDatabase } from '../database.js';
import { dialectNamed } from '../dialects/index.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { PreparedQuery } from '../prepared-query.js';
import { type Database, toCount, toId } from '../schema.js';
import { guarded, retryingTransaction } from '../store-errors.js';
import { type Appended, appendInTransaction } from './append-in-transaction.js';
import { callSendProcedure } from './call-send-procedure.js';
import { type MessageRow, pairOf, selectMessages, toMessage } from './message-rows.js';

export class KyselyMessageRepository implements MessageRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  private readonly operationTimeoutMs: number | undefined;
  /**
   * Every notified client GETs the message it was told of, so this is the
   * hottest read: its SQL is built once, and each call only binds the id.
   */
  private readonly byId: PreparedQuery<MessageRow>;

  constructor(database: StorageDatabase) {
    this.db = database.db;
    this.dialect = dialectNamed(database.dialect);
    this.operationTimeoutMs = database.operationTimeoutMs;
    this.byId = new PreparedQuery(selectMessages(this.db).where('m.id', '=', 0n), 1);
  }

  append(message: NewMessage): Promise<Result<AppendOutcome, 'recipient-not-found'>> {
    return guarded(this.dialect, async () => {
      // No user can have a name that is not a username; the procedure's parameter is sized for the ones that are.
      if (!checkUsername(message.recipient).ok) return err('recipient-not-found');
      const { clientId } = message;
      let stored: Appended | undefined;
      try {
        stored = await retryingTransaction(this.dialect, () => this.store(message));
      } catch (error) {
        if (clientId === null || !this.dialect.isDuplicateKey(error)) throw error;
        // A retry, or a concurrent one that won the unique key: the stored message is the one every caller gets.
        // Asking the key first would cost every send a round trip for the sake of the rare retry.
        const earlier = await this.findByClientId(BigInt(message.senderId), clientId);
        if (!earlier) throw error;
        return ok({ message: earlier, created: false });
      }
      if (!stored) return err('recipient-not-found');
      return ok({
        message: { ...stored, body: message.body, createdAt: new Date(message.createdAt.getTime()), clientId },
        created: true,
      });
    });
  }

  /** MySQL: one stored procedure call, one round trip. SQLite is in process: a plain transaction. */
  private store(message: NewMessage): Promise<Appended | undefined> {
    return this.dialect.name === 'mysql'
      ? callSendProcedure(this.db, message, this.operationTimeoutMs)
      : appendInTransaction(this.db, this.dialect, message);
  }

  findById(id: string): Promise<Message | undefined> {
    return guarded(this.dialect, async () => {
      const row = await this.byId.first(this.db, [BigInt(id)]);
      return row && toMessage(this.dialect, row);
    });
  }

  private async findByClientId(senderId: bigint, clientId: string): Promise<Message | undefined> {
    const row = await selectMessages(this.db).where('m.sender_id', '=', senderId).where('m.client_id', '=', clientId).executeTakeFirst();
    return row && toMessage(this.dialect, row);
  }

  history(query: { userId: string; peerId: string; beforeId?: string; limit: number }): Promise<Message[]> {
    return guarded(this.dialect, async () => {
      if (query.limit <= 0) return [];
      const pair = pairOf(BigInt(query.userId), BigInt(query.peerId));
      let select = selectMessages(this.db)
        .where('m.pair_low', '=', pair.low)
        .where('m.pair_high', '=', pair.high)
        .orderBy('m.id', 'desc')
        .limit(query.limit);
      if (query.beforeId !== undefined) select = select.where('m.id', '<', BigInt(query.beforeId));
      const rows = await select.execute();
      return rows.map((row) => toMessage(this.dialect, row));
    });
  }

  after(query: { userId: string; afterId: string; limit: number }): Promise<Message[]> {
    return guarded(this.dialect, async () => {
      if (query.limit <= 0) return [];
      const userId = BigInt(query.userId);
      const afterId = BigInt(query.afterId);
      const branch = (column: 'm.sender_id' | 'm.recipient_id') =>
        selectMessages(this.db).where(column, '=', userId).where('m.id', '>', afterId).orderBy('m.id').limit(query.limit);
      // Sent and received are two index ranges; each brings at most `limit` rows and the merge keeps the first `limit`.
      const { rows } = await this.dialect.unionAll<MessageRow>([branch('m.sender_id'), branch('m.recipient_id')]).execute(this.db);
      return rows
        .map((row) => ({ row, id: BigInt(row.id) }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, query.limit)
        .map(({ row }) => toMessage(this.dialect, row));
    });
  }

  conversations(query: { userId: string; beforeLastMessageId?: string; limit: number }): Promise<ConversationSummary[]> {
    return guarded(this.dialect, async () => {
      if (query.limit <= 0) return [];
      // The inbox row drives: its index gives the order; the message and its users are joined by primary key.
      let select = selectMessages(this.db)
        .innerJoin('conversations as c', 'c.last_message_id', 'm.id')
        .select(['c.peer_id', 'c.unread_count'])
        .where('c.user_id', '=', BigInt(query.userId))
        .orderBy('c.last_message_id', 'desc')
        .limit(query.limit);
      if (query.beforeLastMessageId !== undefined) select = select.where('c.last_message_id', '<', BigInt(query.beforeLastMessageId));
      const rows = await select.execute();
      return rows.map((row) => {
        const lastMessage = toMessage(this.dialect, row);
        const peerId = toId(row.peer_id);
        return {
          peer: lastMessage.sender.id === peerId ? lastMessage.sender : lastMessage.recipient,
          lastMessage,
          unreadCount: toCount(row.unread_count),
        };
      });
    });
  }

  markRead(query: { userId: string; peerId: string; lastReadId: string }): Promise<{ lastReadId: string; moved: boolean } | undefined> {
    return guarded(this.dialect, async () => {
      const userId = BigInt(query.userId);
      const peerId = BigInt(query.peerId);
      const wanted = BigInt(query.lastReadId);
      const pair = pairOf(userId, peerId);
      return retryingTransaction(this.dialect, () =>
        this.dialect.transaction(this.db, async (trx) => {
          // The row lock orders this against sends: a send that adds to the unread count either
          // committed before the recount (and is counted) or waits and adds its one after it.
          const row = await this.dialect
            .forUpdate(
              trx
                .selectFrom('conversations')
                .select(['last_message_id', 'last_read_id'])
                .where('user_id', '=', userId)
                .where('peer_id', '=', peerId),
            )
            .executeTakeFirst();
          if (!row) return undefined;
          const lastMessageId = BigInt(row.last_message_id);
          const current = BigInt(row.last_read_id);
          const target = wanted > lastMessageId ? lastMessageId : wanted;
          if (target <= current) return { lastReadId: current.toString(), moved: false };

          const unread = await trx
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('pair_low', '=', pair.low)
            .where('pair_high', '=', pair.high)
            .where('id', '>', target)
            .where('sender_id', '=', peerId)
            .executeTakeFirstOrThrow();
          await trx
            .updateTable('conversations')
            .set({ last_read_id: target, unread_count: toCount(unread.n as string | number | bigint) })
            .where('user_id', '=', userId)
            .where('peer_id', '=', peerId)
            .execute();
          return { lastReadId: target.toString(), moved: true };
        }),
      );
    });
  }
}
