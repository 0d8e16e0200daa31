import { isId } from '@message-center/core';
import type { ColumnType, Generated } from 'kysely';

/**
 * Ids are BIGINT. mysql2 hands them back as decimal strings
 * (`bigNumberStrings`), better-sqlite3 as bigint (`safeIntegers`); both
 * drivers accept either as a parameter. `toId` gives the core its string.
 */
export type DbId = string | bigint;
/** Small counters: a number from MySQL's INT, a bigint from SQLite's safe integers. */
export type DbCount = number | bigint | string;
/**
 * A millisecond instant: `DATETIME(3)` text in UTC on MySQL, epoch
 * milliseconds on SQLite. Only the dialect's time codec reads or writes it.
 */
export type DbTime = string | number | bigint;

export interface UsersTable {
  id: Generated<DbId>;
  username: string;
  /** The lower-case username: the unique, compared and sorted form. */
  username_key: string;
  password_hash: string;
  created_at: DbTime;
  /** As the user typed it; NULL when the user has none. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  /** The lower-case address: the unique, looked-up form. */
  email_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** The host application's id for a user it provisioned; NULL for users who signed up here. */
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  id: Generated<DbId>;
  token_hash: string;
  user_id: DbId;
  expires_at: DbTime;
}

export interface MessagesTable {
  id: Generated<DbId>;
  sender_id: DbId;
  recipient_id: DbId;
  /** The pair's lower and higher user id (numerically), so one index serves both directions. */
  pair_low: DbId;
  pair_high: DbId;
  body: string;
  client_id: string | null;
  created_at: DbTime;
}

export interface ConversationsTable {
  user_id: DbId;
  peer_id: DbId;
  last_message_id: DbId;
  last_read_id: ColumnType<DbId, DbId | undefined, DbId>;
  unread_count: ColumnType<DbCount, DbCount | undefined, DbCount>;
}

export interface LoginFailuresTable {
  id: Generated<DbId>;
  /** SHA-256 of the throttle key: usernames typed at a login form have no length limit. */
  key_hash: string;
  failed_at: DbTime;
}

export interface WsTicketsTable {
  ticket_hash: string;
  user_id: DbId;
  session_id: DbId;
  expires_at: DbTime;
}

export interface ResetTokensTable {
  token_hash: string;
  user_id: DbId;
  expires_at: DbTime;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  messages: MessagesTable;
  conversations: ConversationsTable;
  login_failures: LoginFailuresTable;
  ws_tickets: WsTicketsTable;
  reset_tokens: ResetTokensTable;
}

export function toId(value: DbId): string {
  return String(value);
}

export function toCount(value: DbCount): number {
  return Number(value);
}

/**
 * An id from the core as a query parameter, or `undefined` when it cannot
 * name a row (so lookups answer "absent" rather than fail on bad input).
 */
export function idParam(id: string): bigint | undefined {
  return isId(id) ? BigInt(id) : undefined;
}
