import type { CreateTableBuilder, Kysely } from 'kysely';
import type { SqlDialect } from '../dialects/sql-dialect.js';

/**
 * The whole first schema. Each index exists for one hot query and is named
 * after it; the EXPLAIN test holds them to that.
 */
export function initialSchema(dialect: SqlDialect) {
  const { ddl } = dialect;
  // biome-ignore lint/suspicious/noExplicitAny: the builder's table type is irrelevant to the options.
  const withOptions = <T extends CreateTableBuilder<any, any>>(table: T): T =>
    ddl.tableOptions === undefined ? table : (table.modifyEnd(ddl.tableOptions) as T);

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withOptions(
        db.schema
          .createTable('users')
          .ifNotExists()
          .addColumn('id', ddl.idPrimaryKey)
          .addColumn('username', ddl.exactString(32), (c) => c.notNull())
          .addColumn('username_key', ddl.exactString(32), (c) => c.notNull())
          .addColumn('password_hash', ddl.exactString(255), (c) => c.notNull())
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull())
          // Case-insensitive uniqueness, and the prefix search's range scan.
          .addUniqueConstraint('users_username_key', ['username_key']),
      ).execute();

      await withOptions(
        db.schema
          .createTable('sessions')
          .ifNotExists()
          .addColumn('id', ddl.idPrimaryKey)
          .addColumn('token_hash', ddl.exactString(64), (c) => c.notNull())
          .addColumn('user_id', ddl.bigint, (c) => c.notNull())
          .addColumn('expires_at', ddl.timestamp, (c) => c.notNull())
          .addUniqueConstraint('sessions_token_hash', ['token_hash'])
          .addForeignKeyConstraint('sessions_user', ['user_id'], 'users', ['id'], (fk) => fk.onDelete('cascade')),
      ).execute();
      await db.schema.createIndex('sessions_user_id').on('sessions').columns(['user_id', 'id']).execute();
      await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

      await withOptions(
        db.schema
          .createTable('messages')
          .ifNotExists()
          .addColumn('id', ddl.idPrimaryKey)
          .addColumn('sender_id', ddl.bigint, (c) => c.notNull())
          .addColumn('recipient_id', ddl.bigint, (c) => c.notNull())
          .addColumn('pair_low', ddl.bigint, (c) => c.notNull())
          .addColumn('pair_high', ddl.bigint, (c) => c.notNull())
          .addColumn('body', ddl.exactText, (c) => c.notNull())
          .addColumn('client_id', ddl.exactString(64))
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull())
          // Idempotent sends: the unique key decides which of two concurrent retries stored the message.
          .addUniqueConstraint('messages_sender_client_id', ['sender_id', 'client_id'])
          .addForeignKeyConstraint('messages_sender', ['sender_id'], 'users', ['id'])
          .addForeignKeyConstraint('messages_recipient', ['recipient_id'], 'users', ['id']),
      ).execute();
      // History of a conversation: newest first, both directions in one range.
      await db.schema.createIndex('messages_pair_id').on('messages').columns(['pair_low', 'pair_high', 'id']).execute();
      // Catch-up after an id: one range per direction, merged by id.
      await db.schema.createIndex('messages_sender_id').on('messages').columns(['sender_id', 'id']).execute();
      await db.schema.createIndex('messages_recipient_id').on('messages').columns(['recipient_id', 'id']).execute();

      await withOptions(
        db.schema
          .createTable('conversations')
          .ifNotExists()
          .addColumn('user_id', ddl.bigint, (c) => c.notNull())
          .addColumn('peer_id', ddl.bigint, (c) => c.notNull())
          .addColumn('last_message_id', ddl.bigint, (c) => c.notNull())
          .addColumn('last_read_id', ddl.bigint, (c) => c.notNull().defaultTo(0))
          .addColumn('unread_count', ddl.bigint, (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('conversations_pk', ['user_id', 'peer_id'])
          .addForeignKeyConstraint('conversations_user', ['user_id'], 'users', ['id'])
          .addForeignKeyConstraint('conversations_peer', ['peer_id'], 'users', ['id']),
      ).execute();
      // The inbox: one user's conversations, most recent first.
      await db.schema.createIndex('conversations_inbox').on('conversations').columns(['user_id', 'last_message_id']).execute();

      await withOptions(
        db.schema
          .createTable('login_failures')
          .ifNotExists()
          .addColumn('id', ddl.idPrimaryKey)
          .addColumn('key_hash', ddl.exactString(64), (c) => c.notNull())
          .addColumn('failed_at', ddl.timestamp, (c) => c.notNull()),
      ).execute();
      await db.schema.createIndex('login_failures_key').on('login_failures').columns(['key_hash', 'failed_at']).execute();
      await db.schema.createIndex('login_failures_failed_at').on('login_failures').column('failed_at').execute();

      await withOptions(
        db.schema
          .createTable('ws_tickets')
          .ifNotExists()
          .addColumn('ticket_hash', ddl.exactString(64), (c) => c.primaryKey())
          .addColumn('user_id', ddl.bigint, (c) => c.notNull())
          .addColumn('session_id', ddl.bigint, (c) => c.notNull())
          .addColumn('expires_at', ddl.timestamp, (c) => c.notNull())
          .addForeignKeyConstraint('ws_tickets_user', ['user_id'], 'users', ['id'], (fk) => fk.onDelete('cascade'))
          // A revoked session's tickets go with it.
          .addForeignKeyConstraint('ws_tickets_session', ['session_id'], 'sessions', ['id'], (fk) => fk.onDelete('cascade')),
      ).execute();
      await db.schema.createIndex('ws_tickets_expires_at').on('ws_tickets').column('expires_at').execute();
    },
  };
}
