import { sql } from 'kysely';
import type { DbTime } from '../schema.js';
import { codeOf } from './driver-error.js';
import { inboxRowValues, type SqlDialect } from './sql-dialect.js';

const UNAVAILABLE_CODES = new Set(['SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  ddl: {
    // AUTOINCREMENT: a deleted session's id is never handed out again.
    idPrimaryKey: sql`integer primary key autoincrement`,
    bigint: sql`integer`,
    timestamp: sql`integer`,
    exactString: () => sql`text`,
    exactText: sql`text`,
    tableOptions: undefined,
  },

  // Epoch milliseconds: exact, and compared as integers.
  encodeTime: (at) => at.getTime(),
  decodeTime: (value: DbTime) => new Date(Number(value)),

  isDuplicateKey: (error) => ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes(codeOf(error)),
  isUnavailable: (error) => {
    const code = codeOf(error);
    return (
      [...UNAVAILABLE_CODES].some((prefix) => code.startsWith(prefix)) ||
      /database connection is not open/i.test(String((error as Error)?.message))
    );
  },
  isRetryable: (error) => codeOf(error).startsWith('SQLITE_BUSY') || codeOf(error).startsWith('SQLITE_LOCKED'),

  // Kysely hands SQLite's single connection to one transaction at a time: they are serial already.
  transaction: (db, work) => db.transaction().execute(work),

  async upsertInboxRows(trx, rows) {
    await trx
      .insertInto('conversations')
      .values(rows.map(inboxRowValues))
      .onConflict((conflict) =>
        conflict.columns(['user_id', 'peer_id']).doUpdateSet({
          last_message_id: sql`max(last_message_id, excluded.last_message_id)`,
          // Only above the read marker: a send whose id was taken before a newer message was read commits late.
          unread_count: sql`unread_count + case when excluded.last_message_id > last_read_id then excluded.unread_count else 0 end`,
        }),
      )
      .execute();
  },

  forUpdate: (query) => query,

  // SQLite allows ORDER BY and LIMIT only on a whole compound SELECT, so each branch becomes a subquery.
  unionAll: (branches) =>
    sql.join(
      branches.map((branch) => sql`select * from ${branch}`),
      sql` union all `,
    ),
};
