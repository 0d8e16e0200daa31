import { type Kysely, sql } from 'kysely';
import type { Database, DbTime } from '../schema.js';
import { codeOf, driverError } from './driver-error.js';
import { inboxRowValues, type SqlDialect } from './sql-dialect.js';

/** Errors that mean the server is down, unreachable, restarting or dropped us. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_CANT_LOCK',
]);
/** The same by number, for servers whose codes mysql2 has no name for (MariaDB's 1927). */
const UNAVAILABLE_ERRNOS = new Set([1040, 1044, 1045, 1049, 1053, 1205, 1290, 1317, 1927, 2002, 2003, 2006, 2013, 4031]);

export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  ddl: {
    idPrimaryKey: sql`bigint not null auto_increment primary key`,
    bigint: sql`bigint`,
    timestamp: sql`datetime(3)`,
    // utf8mb4_bin pads with spaces when comparing ('abc' = 'abc '); migration 0005 moves every key and
    // looked-up column to the server's NO PAD collation, and a new such column must be added there (or later).
    exactString: (length) => sql.raw(`varchar(${Math.trunc(length)}) character set utf8mb4 collate utf8mb4_bin`),
    exactText: sql`mediumtext character set utf8mb4 collate utf8mb4_bin`,
    tableOptions: sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`,
  },

  // DATETIME(3) in UTC, written and read as text so no driver time zone guesses.
  encodeTime: (at) => at.toISOString().slice(0, 23).replace('T', ' '),
  decodeTime: (value: DbTime) => new Date(`${String(value).replace(' ', 'T')}Z`),

  isDuplicateKey: (error) => codeOf(error) === 'ER_DUP_ENTRY' || driverError(error).errno === 1062,
  isUnavailable: (error) => {
    const e = driverError(error);
    if (UNAVAILABLE_CODES.has(codeOf(error))) return true;
    if (typeof e.errno === 'number' && UNAVAILABLE_ERRNOS.has(e.errno)) return true;
    if (e.fatal === true) return true;
    return typeof e.message === 'string' && /closed state|Pool is closed/i.test(e.message);
  },
  isRetryable: (error) => codeOf(error) === 'ER_LOCK_DEADLOCK' || driverError(error).errno === 1213,

  // `openDatabase` puts every connection at READ COMMITTED, so each statement reads what is committed.
  transaction: (db: Kysely<Database>, work) => db.transaction().execute(work),

  async upsertInboxRows(trx, rows) {
    await trx
      .insertInto('conversations')
      .values(rows.map(inboxRowValues))
      .onDuplicateKeyUpdate({
        last_message_id: sql`greatest(last_message_id, values(last_message_id))`,
        // Only above the read marker: a send whose id was taken before a newer message was read commits late.
        unread_count: sql`unread_count + if(values(last_message_id) > last_read_id, values(unread_count), 0)`,
      })
      .execute();
  },

  forUpdate: (query) => query.forUpdate() as typeof query,

  // A parenthesised SELECT keeps its own ORDER BY and LIMIT inside a UNION on MySQL and MariaDB.
  unionAll: (branches) =>
    sql.join(
      branches.map((branch) => sql`${branch}`),
      sql` union all `,
    ),
};
