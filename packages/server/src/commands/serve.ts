import cluster from 'node:cluster';
import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as listen, type ServerType } from '@hono/node-server';
import { type OverloadBounds, withEarlyOverloadRefusal } from '@message-center/adapters-http';
import type { HashingCapacity } from '@message-center/core';
import type { ServerConfig } from '../config.js';
import { createMessageCenter, type MessageCenter } from '../message-center.js';
import { coreConfigOf } from './core-config.js';

/** Everything must be closed by then; the last resort after it is `process.exit`. */
const SHUTDOWN_DEADLINE_MS = 4_500;
/** In-flight requests get this long before their connections are cut. */
const DRAIN_MS = 3_000;

export async function serveCommand(config: ServerConfig): Promise<void> {
  const center = await createMessageCenter({
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    ...(config.redisChannelPrefix ? { redisChannelPrefix: config.redisChannelPrefix } : {}),
    config: coreConfigOf(config),
    allowedOrigins: config.allowedOrigins,
    mail: { ...(config.smtpUrl ? { smtpUrl: config.smtpUrl } : {}), from: config.mailFrom, publicUrl: config.publicUrl },
    overload: overloadBounds(config),
    presenceGraceMs: config.presenceGraceMs,
    webSocketLimits: { maxConnectionsPerUser: config.maxConnectionsPerUser, frameRate: config.wsFrameRate },
    limits: config.limits,
    passwordHashing: passwordHashing(config),
    trustProxy: config.trustProxy,
    // A server started while its database is down answers 503 and heals, rather than exiting.
    requireStore: false,
  });
  if (!config.smtpUrl) {
    process.stderr.write('warning: SMTP_URL is not set: password-reset mails are printed to standard output, not sent\n');
  }
  const server = listen({
    fetch: center.app.fetch,
    port: config.port,
    hostname: config.host,
    // Served as it is, so past capacity API requests can be refused before Hono sees them.
    createServer: ((options: ServerOptions, listener: RequestListener) =>
      createServer(options, withEarlyOverloadRefusal(center.app, listener))) as typeof createServer,
  });
  center.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  // Under WORKERS the primary announces the address once every process listens.
  if (!cluster.isWorker) process.stdout.write(`Message Center listening on http://${host}:${port}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    const deadline = setTimeout(() => {
      process.stderr.write('shutdown took too long; exiting\n');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    shutDown(server, center).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Stop accepting, say goodbye to WebSockets (1001), let requests finish, and
 * only then close Redis and the pool: a send still in flight must be able to
 * commit and notify, or its recipients would hear of it only on their next catch-up.
 */
async function shutDown(server: ServerType, center: Pick<MessageCenter, 'closeConnections' | 'close'>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  center.closeConnections();
  // A keep-alive connection goes idle only once its last response is written: close each as it does.
  const closeIdle = () => {
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  closeIdle();
  const sweeper = setInterval(closeIdle, 50);
  const drained = await Promise.race([closed.then(() => true), delay(DRAIN_MS).then(() => false)]);
  clearInterval(sweeper);
  if (!drained && 'closeAllConnections' in server) server.closeAllConnections();
  await center.close();
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** 0 turns a bound off: no bound on hashes at once, or on those waiting. */
function passwordHashing(config: ServerConfig): HashingCapacity | false {
  const { concurrency, maxWaiting } = config.passwordHashing;
  if (concurrency === 0) return false;
  return { concurrency, maxWaiting: maxWaiting === 0 ? Number.POSITIVE_INFINITY : maxWaiting };
}

/** 0 turns a bound off; both off turns shedding off. */
function overloadBounds(config: ServerConfig): OverloadBounds | false {
  if (config.overloadMaxDelayMs === 0 && config.overloadMaxInFlight === 0) return false;
  return {
    maxEventLoopDelayMs: config.overloadMaxDelayMs === 0 ? Number.POSITIVE_INFINITY : config.overloadMaxDelayMs,
    maxInFlight: config.overloadMaxInFlight === 0 ? Number.POSITIVE_INFINITY : config.overloadMaxInFlight,
  };
}
