import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../dialects/sql-dialect.js';

/**
 * Account recovery by mail: an optional, unique address per user and the
 * outstanding reset tokens. Each step checks what is already there, so a run
 * cut short (MySQL commits each DDL statement on its own) can simply run again.
 */
export function accountEmailSchema(dialect: SqlDialect) {
  const { ddl } = dialect;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const users = (await db.introspection.getTables()).find((t) => t.name === 'users');
      const hasColumn = (column: string) => users?.columns.some((c) => c.name === column) ?? false;
      if (!hasColumn('email')) await db.schema.alterTable('users').addColumn('email', ddl.exactString(254)).execute();
      // The lower-case address: the unique, looked-up form. NULLs never collide, so any number of users may have none.
      if (!hasColumn('email_key')) await db.schema.alterTable('users').addColumn('email_key', ddl.exactString(254)).execute();
      if (!(await indexesOf(db, dialect, 'users')).has('users_email_key')) {
        await db.schema.createIndex('users_email_key').unique().on('users').column('email_key').execute();
      }

      let table = db.schema
        .createTable('reset_tokens')
        .ifNotExists()
        .addColumn('token_hash', ddl.exactString(64), (c) => c.primaryKey())
        .addColumn('user_id', ddl.bigint, (c) => c.notNull())
        .addColumn('expires_at', ddl.timestamp, (c) => c.notNull())
        .addForeignKeyConstraint('reset_tokens_user', ['user_id'], 'users', ['id'], (fk) => fk.onDelete('cascade'));
      if (ddl.tableOptions !== undefined) table = table.modifyEnd(ddl.tableOptions);
      await table.execute();
      const indexes = await indexesOf(db, dialect, 'reset_tokens');
      // A successful reset spends every token of the user; the sweep deletes by expiry.
      if (!indexes.has('reset_tokens_user_id'))
        await db.schema.createIndex('reset_tokens_user_id').on('reset_tokens').column('user_id').execute();
      if (!indexes.has('reset_tokens_expires_at')) {
        await db.schema.createIndex('reset_tokens_expires_at').on('reset_tokens').column('expires_at').execute();
      }
    },
  };
}

/** MySQL has no CREATE INDEX IF NOT EXISTS (MariaDB does), so both engines are asked instead. */
export async function indexesOf(db: Kysely<unknown>, dialect: SqlDialect, table: string): Promise<Set<string>> {
  const query =
    dialect.name === 'mysql'
      ? sql<{
          name: string;
        }>`select distinct index_name as name from information_schema.statistics where table_schema = database() and table_name = ${table}`
      : sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = ${table}`;
  const { rows } = await query.execute(db);
  return new Set(rows.map((row) => row.name));
}
