import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export const onCi = process.env.CI === 'true';
export const mysqlUrl = process.env.MYSQL_URL;

export const NO_MYSQL =
  '\n*** server MariaDB tests NOT RUN: no MYSQL_URL (e.g. MYSQL_URL=mysql://root@127.0.0.1:3306/). There is no Docker fallback here. ***\n';

/** A fresh database with a random name on the server of `serverUrl`; `drop` removes it. */
export async function scratchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mc_server_test_${randomBytes(6).toString('hex')}`;
  const admin = async <T>(work: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>) => {
    const server = new URL(serverUrl);
    const connection = await createConnection({
      host: server.hostname,
      port: server.port ? Number(server.port) : 3306,
      user: decodeURIComponent(server.username) || 'root',
      password: decodeURIComponent(server.password),
    });
    try {
      return await work(connection);
    } finally {
      await connection.end();
    }
  };
  await admin((c) => c.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_bin`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`drop database if exists \`${name}\``)).then(() => {}),
  };
}
