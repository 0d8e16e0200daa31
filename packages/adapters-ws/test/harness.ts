import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect as connectTcp, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import type { CorePorts, Principal, UseCases } from '@message-center/core';
import { createUseCasesFrom, OriginPolicy } from '@message-center/core';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '@message-center/core/crypto';
import { InMemoryPresence, inMemoryPorts } from '@message-center/core/memory';
import { Hono } from 'hono';
import WebSocket from 'ws';
import { ConnectionRegistry } from '../src/connection-registry.js';
import type { HandshakeUseCases } from '../src/handshake-auth.js';
import { createWebSocketEndpoint, type WebSocketEndpoint, type WebSocketEndpointOptions } from '../src/websocket-endpoint.js';

export const ALLOWED_ORIGIN = 'https://app.example';
export const FOREIGN_ORIGIN = 'https://evil.example';

type EndpointTuning = Partial<
  Pick<WebSocketEndpointOptions, 'heartbeatMs' | 'maxFrameBytes' | 'maxConnectionsPerUser' | 'maxFrameRate' | 'onError'>
> & {
  readonly maxBufferedBytes?: number;
  readonly sessionTtlMs?: number;
  /** How long presence waits after a user's last connection; API.md's 10 s by default. */
  readonly presenceGraceMs?: number;
  /** What the endpoint authenticates with, made from the real use cases (to step into the handshake). */
  readonly handshake?: (useCases: UseCases) => HandshakeUseCases;
};

type SessionRead = (sessionId: string) => Promise<boolean>;

/**
 * The real handshake use cases with two places to step in: `afterCheck` runs
 * right after a credential is accepted (before the connection is registered),
 * and `sessionIsLive` stands in for the store's answer (given the real one).
 */
export function steppedHandshake(steps: {
  readonly afterCheck?: (principal: Principal, useCases: UseCases) => Promise<unknown>;
  readonly sessionIsLive?: (sessionId: string, store: SessionRead) => Promise<boolean>;
}): (useCases: UseCases) => HandshakeUseCases {
  return (useCases) => {
    const store: SessionRead = (sessionId) => useCases.authenticate.sessionIsLive(sessionId);
    return {
      ...useCases,
      authenticate: {
        execute: async (input) => {
          const admitted = await useCases.authenticate.execute(input);
          if (admitted.ok) await steps.afterCheck?.(admitted.value, useCases);
          return admitted;
        },
        sessionIsLive: (sessionId) => (steps.sessionIsLive ? steps.sessionIsLive(sessionId, store) : store(sessionId)),
      },
    };
  };
}

export interface TestServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly app: Hono;
  readonly useCases: UseCases;
  /** The stores behind the use cases, to change them without publishing anything. */
  readonly ports: CorePorts;
  readonly registry: ConnectionRegistry;
  readonly endpoint: WebSocketEndpoint;
  /** A registered user with a fresh session. */
  register(username: string): Promise<Account>;
  close(): Promise<void>;
}

export interface Account {
  readonly user: { readonly id: string; readonly username: string };
  readonly token: string;
  readonly session: { readonly id: string; readonly userId: string; readonly expiresAt: Date };
}

/**
 * The endpoint on a real socket, authenticating with the real core use cases
 * over the in-memory adapters, and delivering through the in-process notifier
 * exactly as the standalone server does.
 */
export async function startServer(tuning: EndpointTuning = {}): Promise<TestServer> {
  const { maxBufferedBytes, handshake, sessionTtlMs, presenceGraceMs, ...endpointTuning } = tuning;
  const registry = new ConnectionRegistry(maxBufferedBytes === undefined ? {} : { maxBufferedBytes });
  const ports = inMemoryPorts({
    hasher: new ScryptPasswordHasher(TEST_SCRYPT_COST),
    delivery: registry,
    presence: new InMemoryPresence(presenceGraceMs === undefined ? {} : { graceMs: presenceGraceMs }),
    ...(sessionTtlMs === undefined ? {} : { config: { sessionTtlMs } }),
  });
  const useCases = createUseCasesFrom(ports);
  const endpoint = createWebSocketEndpoint({
    useCases: handshake?.(useCases) ?? useCases,
    originPolicy: new OriginPolicy([ALLOWED_ORIGIN]),
    registry,
    presence: { tracker: ports.presence, watchPresence: useCases.watchPresence },
    relayTyping: useCases.relayTyping,
    ...endpointTuning,
  });
  const app = new Hono();
  app.route('/api/v1/ws', endpoint.routes);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  endpoint.injectWebSocket(server, app);
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    url: `ws://${host}/api/v1/ws`,
    host,
    port,
    app,
    useCases,
    ports,
    registry,
    endpoint,
    async register(username) {
      const registered = await useCases.registerUser.execute({
        username,
        password: 'correct horse battery',
        clientAddress: '198.51.100.1',
      });
      if (!registered.ok) throw new Error(`test data: cannot register ${username}`);
      return registered.value;
    },
    async close() {
      endpoint.close();
      await ports.presence.close();
      server.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await once(server, 'close');
    },
  };
}

/** A client that keeps every frame from the first, so none is missed between `open` and a test's first wait. */
export class TestClient {
  private readonly frames: unknown[] = [];
  private readonly waiting: ((frame: unknown) => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const frame: unknown = isBinary ? data : JSON.parse(data.toString());
      const waiter = this.waiting.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  next(timeoutMs = 2000): Promise<unknown> {
    const buffered = this.frames.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame arrived')), timeoutMs);
      this.waiting.push((frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  /** Proves nothing else is queued: a ping's answer is the very next frame. */
  async expectOnlyPong(): Promise<void> {
    this.socket.send(JSON.stringify({ type: 'ping' }));
    const frame = await this.next();
    if (JSON.stringify(frame) !== '{"type":"pong"}') throw new Error(`expected only a pong, got ${JSON.stringify(frame)}`);
  }

  close(): void {
    this.socket.terminate();
  }
}

export type ClientOptions = WebSocket.ClientOptions & { readonly query?: string };

/** Opens a connection and waits for it to be upgraded. */
export async function connect(server: TestServer, options: ClientOptions = {}): Promise<TestClient> {
  const { query, ...wsOptions } = options;
  const socket = new WebSocket(`${server.url}${query ?? ''}`, wsOptions);
  const client = new TestClient(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
  });
  return client;
}

export const bearer = (account: Account): ClientOptions => ({ headers: { authorization: `Bearer ${account.token}` } });
export const cookie = (account: Account, origin?: string): ClientOptions => ({
  headers: { cookie: `mc_session=${account.token}` },
  ...(origin === undefined ? {} : { origin }),
});

/** The status of a refused handshake, as the `ws` client sees it. */
export function refusal(server: TestServer, options: ClientOptions = {}): Promise<number> {
  const { query, ...wsOptions } = options;
  const socket = new WebSocket(`${server.url}${query ?? ''}`, wsOptions);
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('the handshake was upgraded'));
    });
    socket.once('unexpected-response', (request, response) => {
      request.destroy();
      resolve(response.statusCode ?? 0);
    });
    socket.once('error', () => {});
  });
}

/** The raw bytes the server answers to an upgrade request, read until it closes the connection. */
export async function rawHandshake(server: TestServer, extraHeaders: string[] = [], key = 'dGhlIHNhbXBsZSBub25jZQ=='): Promise<string> {
  const socket: Socket = connectTcp(server.port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    [
      'GET /api/v1/ws HTTP/1.1',
      `Host: ${server.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      ...extraHeaders,
      '',
      '',
    ].join('\r\n'),
  );
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const timer = setTimeout(() => socket.destroy(), 2000);
  await once(socket, 'close');
  clearTimeout(timer);
  return Buffer.concat(chunks).toString('latin1');
}

/** Waits for something the server does after the client has already seen its side of it. */
export async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How many web `Request`s are built while `work` runs (the global class swapped for a counting one meanwhile). */
export async function wholeRequestsBuiltDuring(work: () => unknown): Promise<number> {
  const standard = globalThis.Request;
  let built = 0;
  globalThis.Request = class extends standard {
    constructor(...args: ConstructorParameters<typeof Request>) {
      super(...args);
      built++;
    }
  };
  try {
    await work();
  } finally {
    globalThis.Request = standard;
  }
  return built;
}
