import { afterAll, beforeAll, describe } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../src/database.js';
import { migrate } from '../../src/migrate.js';
import { findMysqlServer, NO_MYSQL_WARNING, onCi, scratchDatabase } from './mysql-server.js';

const server = await findMysqlServer();
if (!server) console.warn(NO_MYSQL_WARNING);

/**
 * A describe that runs when there is a MySQL server, and also on CI without
 * one, where its `useMysqlDatabase` fails the run instead of skipping it.
 */
export function describeMysql(name: string, body: () => void): void {
  describe.runIf(server !== undefined || onCi)(name, body);
}

/** A fresh database on the test server, not migrated; fails on CI when there is no server. */
export async function scratchOnMysqlServer(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  if (!server) throw new Error(`CI=true but there is no MySQL to test against.${NO_MYSQL_WARNING}`);
  return scratchDatabase(server.url);
}

export interface MysqlDatabase {
  readonly database: OpenDatabase;
  readonly serverUrl: string;
  /** The scratch database's own URL, for a second pool or connection to it; without the generous budget of `database`. */
  readonly databaseUrl: string;
}

/** One scratch database per test file, migrated once, dropped at the end. */
export function useMysqlDatabase(): () => MysqlDatabase {
  let current: MysqlDatabase | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!server) throw new Error(`CI=true but there is no MySQL to test against.${NO_MYSQL_WARNING}`);
    const scratch = await scratchDatabase(server.url);
    drop = scratch.drop;
    const database = openDatabase(withoutDeadline(scratch.url));
    await migrate(database.db);
    current = { database, serverUrl: server.url, databaseUrl: scratch.url };
  });
  afterAll(async () => {
    await current?.database.close();
    await drop?.();
    await server?.stop();
  });
  return () => {
    if (!current) throw new Error('the MySQL database is only open inside a test');
    return current;
  };
}

/**
 * These suites hold behaviour, not latency: on a machine shared by many test
 * runs a statement can wait on MariaDB for over a second, which the production
 * budget (`operationTimeout`) would rightly turn into `StoreUnavailable`.
 * The budget itself is held by mysql-hang.test.ts.
 */
export function withoutDeadline(url: string): string {
  const generous = new URL(url);
  generous.searchParams.set('operationTimeout', '60000');
  return generous.toString();
}
