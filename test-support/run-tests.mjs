// `npm test`: runs vitest with MySQL/MariaDB and Redis found the way a new
// user has them. MYSQL_URL and REDIS_URL win; unset, the default loopback ports
// are tried (root without a password, as a fresh MariaDB has it) before the
// suites skip (or, under CI=true, fail). Ends by saying which backends ran.
import { spawn } from 'node:child_process';
import { createConnection as tcp } from 'node:net';
import { createConnection as mysqlConnection } from 'mysql2/promise';

const LOOPBACK_MYSQL = 'mysql://root@127.0.0.1:3306/';
const LOOPBACK_REDIS = 'redis://127.0.0.1:6379';

async function mysqlAnswers(url) {
  const u = new URL(url);
  try {
    const connection = await mysqlConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username) || 'root',
      password: decodeURIComponent(u.password),
      connectTimeout: 2_000,
    });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

function redisAnswers(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = tcp({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    // A server with a password answers -NOAUTH: it is there, but these suites could not use it.
    socket.on('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

const found = [];
for (const [name, variable, loopback, answers] of [
  ['MySQL/MariaDB', 'MYSQL_URL', LOOPBACK_MYSQL, mysqlAnswers],
  ['Redis', 'REDIS_URL', LOOPBACK_REDIS, redisAnswers],
]) {
  if (process.env[variable]) found.push(`${name} (${variable})`);
  else if (await answers(loopback)) {
    process.env[variable] = loopback;
    found.push(`${name} (found on ${new URL(loopback).host})`);
  } else console.warn(`*** ${variable} unset and nothing answers on ${new URL(loopback).host}: the ${name} suites are skipped ***`);
}

const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env,
});
child.on('exit', (code, signal) => {
  console.log(`\nbackends ran: in-memory, SQLite${found.map((f) => `, ${f}`).join('')}`);
  process.exit(code ?? (signal ? 1 : 0));
});
