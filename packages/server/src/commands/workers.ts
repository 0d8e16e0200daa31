import cluster, { type Worker } from 'node:cluster';
import { ConfigError, type ServerConfig } from '../config.js';

/** The primary's last resort, a little after each worker's own shutdown deadline. */
const SHUTDOWN_DEADLINE_MS = 6_000;

/** Several processes on one port share notifications, presence and limits only through Redis. */
export function checkWorkers(config: ServerConfig): void {
  if (config.workers > 1 && !config.redisUrl) {
    throw new ConfigError('WORKERS', `above 1 needs REDIS_URL, through which the processes hear each other (got ${config.workers})`);
  }
}

/**
 * The primary of `WORKERS=N`: N processes of `serve` share the port
 * (node:cluster hands out the connections), and the primary only watches
 * them. It announces the address once all of them listen, replaces a worker
 * that dies after it listened, and on SIGTERM or SIGINT stops them all (each
 * closes its sockets with 1001 and drains its requests) and exits 0 when
 * every one of them did.
 */
export function serveWorkers(config: ServerConfig): void {
  const workers = new Set<Worker>();
  const listened = new WeakSet<Worker>();
  let stopping = false;
  let failed = false;
  let announced = false;

  const fork = (): void => {
    const worker = cluster.fork();
    workers.add(worker);
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) {
        if (code !== 0) failed = true;
        if (workers.size === 0) process.exit(failed ? 1 : 0);
        return;
      }
      if (!listened.has(worker)) {
        // It never started (the database or Redis is unreachable, say): starting another would fail the same way.
        process.stderr.write(`worker ${worker.process.pid} failed to start (${signal ?? code}); stopping\n`);
        stop('a worker failed');
        failed = true;
        return;
      }
      process.stderr.write(`worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
      fork();
    });
  };

  cluster.on('listening', (worker, address) => {
    listened.add(worker);
    const count = [...workers].filter((w) => listened.has(w)).length;
    if (announced || count < config.workers) return;
    announced = true;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    process.stdout.write(`Message Center listening on http://${host}:${address.port} (${config.workers} processes)\n`);
  });

  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${reason}: shutting down ${workers.size} processes\n`);
    for (const worker of workers) worker.process.kill('SIGTERM');
    const deadline = setTimeout(() => {
      process.stderr.write('shutdown took too long; exiting\n');
      for (const worker of workers) worker.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    if (workers.size === 0) process.exit(failed ? 1 : 0);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  for (let i = 0; i < config.workers; i++) fork();
}
