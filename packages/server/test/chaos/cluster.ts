import { readdirSync, readFileSync } from 'node:fs';
import { RedisProcess, sparePort } from '../../../../test-support/redis-process.js';
import { type ServeProcess, startServe } from '../cli-process.js';
import { scratchDatabase } from '../mysql-server.js';
import { tempDir } from '../support.js';
import { inspectorUrl, type MemoryAfterGc, memoryAfterGc } from './inspector.js';
import { ProxyThread } from './proxy-thread.js';

/** One server process of the cluster, on a fixed port so that a restart comes back where its clients look for it. */
export class Node {
  private process: ServeProcess | undefined;
  /** What its clients connect to: a hop the test can cut, as a network blip would. */
  readonly clientProxy: ProxyThread;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly cwd: string,
  ) {
    this.clientProxy = new ProxyThread('127.0.0.1', port);
  }

  private publicBase = '';

  /** Where clients reach it (through `clientProxy`). */
  get base(): string {
    return this.publicBase;
  }

  async start(): Promise<void> {
    this.process = await startServe({ ...this.env, PORT: String(this.port) }, this.cwd, { timeoutMs: 60_000 });
  }

  async listenForClients(): Promise<void> {
    this.publicBase = `http://127.0.0.1:${await this.clientProxy.start()}`;
  }

  get pid(): number | undefined {
    return this.process?.child.pid;
  }

  output(): string {
    return this.process?.output() ?? '';
  }

  /** Stops it with `signal` and resolves with its exit code. */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    const running = this.process;
    if (!running || running.child.exitCode !== null) return running?.child.exitCode ?? null;
    running.signal(signal);
    const { code } = await running.exited;
    return code;
  }

  /** Its memory and handles after a forced full garbage collection, through its inspector. */
  async memoryAfterGc(): Promise<MemoryAfterGc | undefined> {
    const url = inspectorUrl(this.output());
    return url === undefined ? undefined : memoryAfterGc(url);
  }

  /** Open file descriptors (sockets among them) and resident memory, from /proc. */
  sample(): { fds: number; rssKb: number } | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    try {
      const fds = readdirSync(`/proc/${pid}/fd`).length;
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return { fds, rssKb: Number(rss) };
    } catch {
      return undefined;
    }
  }
}

export interface Cluster {
  readonly nodes: readonly [Node, Node];
  readonly redis: RedisProcess;
  /** Between both processes and MariaDB: `cut()` refuses, `hang()` goes silent. */
  readonly databaseProxy: ProxyThread;
  /** The scratch database itself, for the checks (never through the proxy). */
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/**
 * Two `message-center serve` processes on one MariaDB database of their own
 * (through a proxy) and a private Redis (stopped and started for real),
 * each behind a client-side hop. Limits that would refuse a load test are
 * switched off; everything else is as in production.
 */
export async function startCluster(mysqlServerUrl: string): Promise<Cluster> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Best effort: the next cleanup must still run.
      }
    }
  };
  try {
    const redis = await RedisProcess.start();
    cleanups.push(() => redis.stop());
    const database = await scratchDatabase(mysqlServerUrl);
    cleanups.push(() => database.drop());
    const { proxy: databaseProxy, url: proxiedDatabase } = await ProxyThread.inFrontOf(database.url);
    cleanups.push(() => databaseProxy.close());
    const dir = tempDir();
    cleanups.push(dir.remove);
    const env = {
      DATABASE_URL: proxiedDatabase,
      REDIS_URL: redis.url,
      // Every limit that would refuse a load test is off (0) or above what it sends.
      MESSAGE_RATE: '0',
      REGISTRATION_RATE: '0',
      LOGIN_FAILURES_PER_ADDRESS: '0',
      MAX_CONNECTIONS_PER_USER: '50',
      WS_FRAME_RATE: '0',
      // An inspector on loopback, so the test can force a full GC and read the heap (leak checks).
      NODE_OPTIONS: '--inspect=127.0.0.1:0',
    };
    const nodes = [] as unknown as [Node, Node];
    for (const name of ['A', 'B']) {
      const node = new Node(name, await sparePort(), env, dir.path);
      cleanups.push(() => node.stop('SIGKILL'));
      cleanups.push(() => node.clientProxy.close());
      nodes.push(node);
    }
    // Migrations race when both start at once on an empty database; production migrates first too.
    await nodes[0].start();
    await nodes[1].start();
    for (const node of nodes) await node.listenForClients();
    return { nodes, redis, databaseProxy, databaseUrl: database.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
