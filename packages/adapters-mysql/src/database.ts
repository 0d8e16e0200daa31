import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import { createPool, type PoolOptions } from 'mysql2';
import type { DialectName } from './dialects/sql-dialect.js';
import { DeadlinePool } from './operation-deadline.js';
import type { Database } from './schema.js';

/**
 * What every repository of this package is built from. Open it with
 * `openDatabase`: its MySQL connections run at READ COMMITTED, which the
 * repositories rely on.
 */
export interface StorageDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** The budget of each repository operation, where the pool enforces one (`openDatabase`'s MySQL pools). */
  readonly operationTimeoutMs?: number;
}

export interface OpenDatabase extends StorageDatabase {
  /** Ends the pool or closes the file; pending queries finish first. */
  close(): Promise<void>;
}

/** A down server must fail a request quickly, not after the OS gives up on the SYN. */
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
/**
 * Every repository operation (waiting for a connection, connecting, each
 * statement) answers within this or fails with `StoreUnavailable`. A send is
 * at most two operations (session, append: the recipient is resolved inside
 * it), each failing at the first that meets a silent server, so a send answers
 * 503 well within the 2 s of the contract.
 */
export const DEFAULT_OPERATION_TIMEOUT_MS = 1_000;
/**
 * Waiting longer than this for a pooled connection is refused with
 * `Overloaded` (503 and `Retry-After`) rather than queued: past capacity a
 * request accepted must stay fast (API.md, "Limits and overload").
 */
export const DEFAULT_POOL_WAIT_TIMEOUT_MS = 100;
const DEFAULT_CONNECTION_LIMIT = 16;
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens `mysql://user:password@host:port/database?connectionLimit=16&connectTimeout=3000&operationTimeout=1000&poolWaitTimeout=100`,
 * `sqlite:<path>` or `sqlite::memory:`. Nothing is connected until the first query.
 */
export function openDatabase(url: string): OpenDatabase {
  if (url.startsWith('sqlite:')) return openSqlite(sqlitePath(url));
  if (url.startsWith('mysql://') || url.startsWith('mariadb://'))
    return openMysql(mysqlOptions(url), operationTimeoutOf(url), poolWaitTimeoutOf(url));
  throw new Error('database url must start with mysql:// or sqlite:');
}

function positiveParameter(url: string, name: string, fallback: number): number {
  const raw = parseUrl(url).searchParams.get(name);
  const value = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`database url: ${name} must be a positive integer`);
  return value;
}

/** The `operationTimeout` of a MySQL URL, in milliseconds. */
export function operationTimeoutOf(url: string): number {
  return positiveParameter(url, 'operationTimeout', DEFAULT_OPERATION_TIMEOUT_MS);
}

/** The `poolWaitTimeout` of a MySQL URL, in milliseconds. */
export function poolWaitTimeoutOf(url: string): number {
  return positiveParameter(url, 'poolWaitTimeout', DEFAULT_POOL_WAIT_TIMEOUT_MS);
}

export function mysqlOptions(url: string): PoolOptions {
  const parsed = parseUrl(url);
  const number = (name: string, fallback: number) => positiveParameter(url, name, fallback);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
    ...(database ? { database } : {}),
    connectionLimit: number('connectionLimit', DEFAULT_CONNECTION_LIMIT),
    connectTimeout: number('connectTimeout', DEFAULT_CONNECT_TIMEOUT_MS),
    waitForConnections: true,
    enableKeepAlive: true,
    // Ids stay exact past 2^53 and reach the core as strings.
    supportBigNumbers: true,
    bigNumberStrings: true,
    // DATETIME(3) comes back as text and is read as UTC by the dialect's codec.
    dateStrings: true,
    timezone: 'Z',
    charset: 'UTF8MB4_BIN',
  };
}

/** `new URL` puts the whole input, password and all, on its error, where a logger would print it. */
function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new Error('database url is not a valid URL');
  }
}

function openMysql(options: PoolOptions, operationTimeoutMs: number, poolWaitTimeoutMs: number): OpenDatabase {
  const pool = new DeadlinePool(createPool(options), operationTimeoutMs, {
    connectionLimit: options.connectionLimit ?? DEFAULT_CONNECTION_LIMIT,
    poolWaitMs: poolWaitTimeoutMs,
  });
  const db = new Kysely<Database>({
    dialect: new MysqlDialect({
      pool,
      // Set once per connection rather than per transaction: one round trip fewer on every send.
      // The repositories' locking reasoning assumes it (see `mysqlDialect.transaction`).
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw('set session transaction isolation level read committed'));
      },
    }),
  });
  return { db, dialect: 'mysql', operationTimeoutMs, close: () => db.destroy() };
}

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:' || rest === '') return ':memory:';
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

function openSqlite(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new SQLite(path);
  file.pragma('journal_mode = WAL');
  // WAL makes NORMAL durable against application crashes; only a power cut can lose the last commits.
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  file.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // Ids past 2^53 stay exact: every integer comes back as a bigint.
  file.defaultSafeIntegers(true);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
