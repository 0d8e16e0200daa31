import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { kyselyStorage, openDatabase } from '@message-center/adapters-mysql';
import { RandomTokenGenerator } from '@message-center/core/crypto';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { HttpClient } from './http-client.js';
import { sampleTree } from './proc.js';
import { sleep } from './stats.js';

export interface Services {
  /** `mysql://root@127.0.0.1:3306/` (no database: each target gets its own). */
  readonly mysqlUrl: string;
  readonly redisUrl: string;
}

export interface TargetSpec {
  /** Shown in the tables: `server`, `pipeline`, `server (limits on)`… */
  readonly name: string;
  readonly kind: 'server' | 'pipeline';
  /** Extra environment for the process: how a variant (a feature on or off, WORKERS) is described. */
  readonly env?: Readonly<Record<string, string>>;
  /** Another checkout whose built server to run instead of this one: an A/B of two builds in one run. */
  readonly checkout?: string;
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  readonly cpuProfileDir?: string;
}

/** A running server (or pipeline) process on loopback, with its own database and Redis channels. */
export interface Target {
  readonly spec: TargetSpec;
  readonly port: number;
  readonly pid: number;
  readonly http: HttpClient;
  /** Bearer tokens for new users, in order: the username itself on the pipeline. */
  signUp(usernames: readonly string[]): Promise<string[]>;
  sample(): { cpuMs: number; rssBytes: number };
  stop(): Promise<void>;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let started = 0;

/** Limits the contract turns on by default would refuse a benchmark's traffic: 0 turns each off. */
const LIMITS_OFF: Record<string, string> = {
  MESSAGE_RATE: '0',
  REGISTRATION_RATE: '0',
  LOGIN_FAILURES_PER_ADDRESS: '0',
  WRONG_PASSWORDS_PER_USER: '0',
  PASSWORD_RESETS_PER_EMAIL: '0',
  PASSWORD_RESETS_PER_ADDRESS: '0',
  MAX_CONNECTIONS_PER_USER: '0',
  WS_FRAME_RATE: '0',
};

export async function startTarget(spec: TargetSpec, services: Services, maxSockets: number): Promise<Target> {
  const database = `mc_bench_${process.pid}_${++started}`;
  await withMysql(services.mysqlUrl, (c) => c.query(`CREATE DATABASE \`${database}\``));
  const port = await freePort();
  const checkout = spec.checkout ?? repoRoot;
  const script = spec.kind === 'server' ? [`${checkout}/packages/server/dist/cli.js`, 'serve'] : [`${here}pipeline/pipeline-server.js`];
  const nodeFlags = spec.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${spec.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...script], {
    env: {
      ...process.env,
      ...LIMITS_OFF,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `${services.mysqlUrl.replace(/\/$/, '')}/${database}`,
      REDIS_URL: services.redisUrl,
      REDIS_CHANNEL_PREFIX: database,
      ...spec.env,
    },
    // Logs go to a pipe read and dropped here, as a log collector would read them.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  const http = new HttpClient(port, maxSockets);
  try {
    await waitHealthy(http, child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    await dropDatabase(services.mysqlUrl, database);
    throw error;
  }
  const pid = child.pid as number;
  return {
    spec,
    port,
    pid,
    http,
    async signUp(usernames) {
      if (spec.kind === 'pipeline') return [...usernames];
      return seedAccounts(`${services.mysqlUrl.replace(/\/$/, '')}/${database}`, usernames);
    },
    sample: () => sampleTree(pid),
    async stop() {
      http.close();
      await stopProcess(child);
      await dropDatabase(services.mysqlUrl, database);
      await dropRedisKeys(services.redisUrl, database);
    },
  };
}

/**
 * Users and sessions written through the server's own repositories: signing
 * up over HTTP would hash a password at full cost per user, seconds each on a
 * loaded machine, and that is not what is measured.
 */
async function seedAccounts(databaseUrl: string, usernames: readonly string[]): Promise<string[]> {
  const database = openDatabase(databaseUrl);
  const storage = kyselyStorage(database);
  const tokens = new RandomTokenGenerator();
  try {
    const out: string[] = [];
    for (const username of usernames) {
      // Nobody logs in with it: the benchmark holds a session token instead.
      const created = await storage.users.create({ username, passwordHash: 'unusable' });
      if (!created.ok) throw new Error(`user ${username} exists already`);
      const token = tokens.generate();
      await storage.sessions.create({
        tokenHash: tokens.hash(token),
        userId: created.value.id,
        expiresAt: new Date(Date.now() + 86_400_000),
      });
      out.push(token);
    }
    return out;
  } finally {
    await database.close();
  }
}

async function waitHealthy(http: HttpClient, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`target exited with ${child.exitCode}: ${stderr()}`);
    try {
      if ((await http.send('GET', '/healthz', undefined)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`target not healthy within 120 s: ${stderr()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
  await exited;
  clearTimeout(timer);
}

async function dropDatabase(mysqlUrl: string, database: string): Promise<void> {
  await withMysql(mysqlUrl, (c) => c.query(`DROP DATABASE IF EXISTS \`${database}\``)).catch(() => {});
}

/**
 * The target's keys in the shared Redis (its presence entries, under its channel
 * prefix): a stopped server leaves them for the processes that share its prefix
 * to sweep, and no process ever uses this prefix again.
 */
async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } catch {
    // Left behind, they cost a little memory in Redis and nothing else.
  } finally {
    redis.disconnect();
  }
}

async function withMysql<T>(url: string, work: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const connection = await createConnection(url);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
