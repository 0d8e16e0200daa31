import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../dialects/sql-dialect.js';

/** What `KyselyMessageRepository.append` calls on MySQL; a later change to it is a new migration that replaces it. */
export const SEND_PROCEDURE = 'send_message';

/**
 * A send on MySQL/MariaDB as one stored procedure, so it costs one round trip
 * (`CALL`) instead of six (recipient lookup, BEGIN, lock, INSERT, inbox
 * upsert, COMMIT): on a busy server most of a send's CPU went to writing
 * those statements to the socket and building them.
 *
 * It does what the statement-by-statement transaction does (see
 * `messages/append-in-transaction.ts`, still the SQLite path), in the same
 * order: resolve the recipient by `username_key`; lock both users, lower id
 * first, which serialises the sends involving either of them so each user's
 * messages become visible in id order (catch-up never skips one) and keeps
 * opposite-direction sends from deadlocking; insert the message; upsert both
 * inbox rows lower user first. On any error it rolls back and re-raises the
 * original error, so the caller still tells a duplicate `(sender_id,
 * client_id)` (1062, an idempotent retry) and a deadlock victim (1213,
 * retried whole) apart, as before. It answers one row: the new message's id,
 * the recipient's id and both usernames as locked, or all NULL when no user
 * has that key (nothing written).
 *
 * Its COMMIT is the server's, not the caller's: a caller that gives up on a
 * slow send (the operation budget, `operation-deadline.ts`) can no longer
 * withhold it by dropping the connection. So the caller passes what is left of
 * its budget, and a send that waited on locks past it rolls back instead of
 * committing (error 1317, "interrupted": the store is unavailable). As with
 * any COMMIT, an answer lost after it leaves a stored message behind a 503;
 * a retry with the same clientId returns it.
 *
 * SQL SECURITY INVOKER: the caller needs EXECUTE on it and its usual table
 * privileges, and the procedure does not depend on the migrating account
 * (which may be another, later dropped, one). SQLite runs in process, where a
 * round trip costs nothing: nothing to do there.
 *
 * Run again over half-finished work, it replaces the procedure.
 */
export function sendProcedureSchema(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect.name !== 'mysql') return;
      // The key parameter takes the column's own collation (NO PAD since 0005): two implicit
      // collations that differ cannot be compared at all, and only the same one uses the unique index.
      const key = await collationOf(db, 'users', 'username_key');
      const clientId = await collationOf(db, 'messages', 'client_id');
      await sql.raw(`drop procedure if exists ${SEND_PROCEDURE}`).execute(db);
      // Collation names are checked to be plain identifiers above; nothing here is input: raw SQL is safe.
      await sql
        .raw(`
create procedure ${SEND_PROCEDURE}(
  in p_sender_id bigint,
  in p_recipient_key varchar(32) character set utf8mb4 collate ${key},
  in p_body mediumtext character set utf8mb4 collate utf8mb4_bin,
  in p_client_id varchar(64) character set utf8mb4 collate ${clientId},
  in p_created_at datetime(3),
  in p_budget_ms int
)
modifies sql data
sql security invoker
comment 'One send: resolve the recipient, lock both users lower id first, insert, upsert both inbox rows. See migration 0006.'
begin
  declare v_recipient_id bigint default null;
  declare v_low bigint;
  declare v_high bigint;
  declare v_low_name varchar(32) character set utf8mb4 default null;
  declare v_high_name varchar(32) character set utf8mb4 default null;
  declare v_message_id bigint;
  declare v_deadline datetime(6) default null;
  declare exit handler for sqlexception
  begin
    rollback;
    resignal;
  end;

  -- SYSDATE, not NOW: NOW stays at the time the CALL began.
  if p_budget_ms is not null then
    set v_deadline = sysdate(6) + interval p_budget_ms * 1000 microsecond;
  end if;
  -- A scalar subquery: no row is NULL, without the "no data" condition of SELECT ... INTO.
  set v_recipient_id = (select id from users where username_key = p_recipient_key);
  if v_recipient_id is null then
    select null as message_id, null as recipient_id, null as recipient_username, null as sender_username;
  else
    set v_low = least(p_sender_id, v_recipient_id);
    set v_high = greatest(p_sender_id, v_recipient_id);
    start transaction;
    select username into v_low_name from users where id = v_low for update;
    select username into v_high_name from users where id = v_high for update;
    insert into messages (sender_id, recipient_id, pair_low, pair_high, body, client_id, created_at)
      values (p_sender_id, v_recipient_id, v_low, v_high, p_body, p_client_id, p_created_at);
    set v_message_id = last_insert_id();
    -- Only above the read marker: a send whose id was taken before a newer message was read commits late.
    insert into conversations (user_id, peer_id, last_message_id, unread_count)
      values (v_low, v_high, v_message_id, if(v_low = p_sender_id, 0, 1)),
             (v_high, v_low, v_message_id, if(v_high = p_sender_id, 0, 1))
      on duplicate key update
        last_message_id = greatest(last_message_id, values(last_message_id)),
        unread_count = unread_count + if(values(last_message_id) > last_read_id, values(unread_count), 0);
    -- The caller gave up by now (its connection is gone, it answered 503): roll back rather than commit behind its back.
    if v_deadline is not null and sysdate(6) > v_deadline then
      signal sqlstate '70100' set message_text = 'the send ran past its time budget: rolled back', mysql_errno = 1317;
    end if;
    commit;
    select v_message_id as message_id,
           v_recipient_id as recipient_id,
           if(v_recipient_id = v_low, v_low_name, v_high_name) as recipient_username,
           if(p_sender_id = v_low, v_low_name, v_high_name) as sender_username;
  end if;
end`)
        .execute(db);
    },
  };
}

async function collationOf(db: Kysely<unknown>, table: string, column: string): Promise<string> {
  const { rows } = await sql<{ collation: string | null }>`
    select collation_name as collation from information_schema.columns
     where table_schema = database() and table_name = ${table} and column_name = ${column}`.execute(db);
  const collation = rows[0]?.collation;
  if (typeof collation !== 'string' || !/^utf8mb4_[a-z0-9_]+$/i.test(collation)) {
    throw new Error(`${table}.${column} has no utf8mb4 collation (${String(collation)}): the send procedure cannot be created`);
  }
  return collation;
}
