import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/**
 * Where the MySQL tests get a server: `MYSQL_URL`, else a MySQL 8.4
 * container when Docker is there, else nothing — which the suites announce
 * loudly and, under `CI=true`, turn into a failure.
 */
export interface MysqlServer {
  /** A server URL without a database. */
  readonly url: string;
  stop(): Promise<void>;
}

export const onCi = process.env.CI === 'true';

export async function findMysqlServer(): Promise<MysqlServer | undefined> {
  const fromEnv = process.env.MYSQL_URL;
  if (fromEnv) return { url: fromEnv, stop: async () => {} };
  try {
    const { MySqlContainer } = await import('@testcontainers/mysql');
    const container = await new MySqlContainer('mysql:8.4').withRootPassword('root').start();
    return {
      url: `mysql://root:root@${container.getHost()}:${container.getPort()}/`,
      stop: async () => {
        await container.stop();
      },
    };
  } catch {
    return undefined;
  }
}

export const NO_MYSQL_WARNING =
  '\n*** MySQL tests NOT RUN: no MYSQL_URL and no Docker for a MySQL container. Set MYSQL_URL=mysql://root@127.0.0.1:3306/ ***\n';

/** A fresh database on the server, for one test file; `drop` removes it. */
export async function scratchDatabase(serverUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `mc_test_${randomBytes(6).toString('hex')}`;
  const admin = await adminConnection(serverUrl);
  try {
    await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const conn = await adminConnection(serverUrl);
      try {
        await conn.query(`drop database if exists \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

export function adminConnection(serverUrl: string) {
  const url = new URL(serverUrl);
  return createConnection({
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    ...(url.pathname.length > 1 ? { database: decodeURIComponent(url.pathname.slice(1)) } : {}),
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
}
