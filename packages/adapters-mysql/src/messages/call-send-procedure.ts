import { type NewMessage, usernameKey } from '@message-center/core';
import { CompiledQuery, type Kysely } from 'kysely';
import { mysqlDialect } from '../dialects/mysql.js';
import { SEND_PROCEDURE } from '../migrations/0006-send-procedure.js';
import { timeLeft } from '../operation-deadline.js';
import { type Database, type DbId, toId } from '../schema.js';
import { StorageError } from '../store-errors.js';
import type { Appended } from './append-in-transaction.js';

interface SendRow {
  message_id: DbId | null;
  recipient_id: DbId | null;
  recipient_username: string | null;
  sender_username: string | null;
}

// Written once: a send builds no query, it only fills in the parameters.
const CALL_SQL = `call ${SEND_PROCEDURE}(?, ?, ?, ?, ?, ?)`;

/**
 * The MySQL send: one `CALL`, one round trip (see migration 0006). Errors
 * inside it arrive as the statement's own (duplicate key, deadlock), so the
 * caller handles them as it would a transaction's. With the operation's
 * budget, the procedure rolls back rather than commit after the caller gave up.
 */
export async function callSendProcedure(
  db: Kysely<Database>,
  message: NewMessage,
  operationTimeoutMs: number | undefined,
): Promise<Appended | undefined> {
  const { rows } = await db.connection().execute((connection) => {
    // Measured once the connection is ours, so the time spent queueing for it is not counted twice.
    const left = operationTimeoutMs === undefined ? undefined : timeLeft(operationTimeoutMs);
    return connection.executeQuery(
      CompiledQuery.raw(CALL_SQL, [
        message.senderId,
        usernameKey(message.recipient),
        message.body,
        message.clientId,
        mysqlDialect.encodeTime(message.createdAt),
        left === undefined ? null : Math.max(0, Math.floor(left)),
      ]),
    );
  });
  // mysql2 answers a CALL with its result sets, then the CALL's own status.
  const row = (rows as unknown as [SendRow[] | undefined])[0]?.[0];
  if (!row) throw new StorageError(`${SEND_PROCEDURE} answered no row`);
  if (row.message_id === null || row.recipient_id === null || row.recipient_username === null || row.sender_username === null) {
    return undefined;
  }
  return {
    id: toId(row.message_id),
    sender: { id: message.senderId, username: row.sender_username },
    recipient: { id: toId(row.recipient_id), username: row.recipient_username },
  };
}
