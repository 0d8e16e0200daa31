import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { createNodeWebSocket, type NodeWebSocket } from '@hono/node-ws';
import type { Context, Hono } from 'hono';
import type { WebSocket } from 'ws';

/** The node server whose `upgrade` requests are answered; `http.Server` is one. */
export interface UpgradingServer {
  on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
}

/** The app the server serves; the upgrade request is routed through it, so a refusal is its plain HTTP answer. */
export interface RoutingApp {
  request(input: string | URL, init?: RequestInit, env?: object): Response | Promise<Response>;
}

/** `Admitted` is what the route knows of an accepted handshake: who it is, at least. */
export interface UpgradeHandlers<Admitted> {
  /** The socket of an accepted handshake, upgraded. */
  open(socket: WebSocket, admitted: Admitted): void;
  /** An accepted handshake whose upgrade did not happen (the client left, or a header `ws` refuses). */
  abandon(admitted: Admitted): void;
}

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
/** What `@hono/node-ws` hands the app as the handshake's `env`; it marks an accepted one with a symbol key. */
type HandshakeEnv = { incoming: IncomingMessage } & Record<symbol, unknown>;

/**
 * WebSocket upgrades through `@hono/node-ws`, which routes each upgrade
 * request through the Hono app, with what the contract needs on top of it:
 * a refusal goes out with its headers and body (a 429's `Retry-After`, the
 * problem+json of every refusal) where node-ws writes a bare status line, and
 * an accepted handshake whose upgrade never happens (the client left during
 * authentication, or sent a header `ws` refuses) is given back, not left counted.
 */
export class Upgrades<Admitted> {
  private readonly nodeWs: NodeWebSocket;
  private app: RoutingApp | undefined;
  private readonly accepted = new WeakMap<IncomingMessage, Admitted>();
  private readonly refusals = new WeakMap<IncomingMessage, Response>();
  private readonly upgraded = new WeakSet<IncomingMessage>();

  constructor(
    maxPayload: number,
    private readonly handlers: UpgradeHandlers<Admitted>,
  ) {
    const routing = { request: (input: string | URL, init: RequestInit, env: HandshakeEnv) => this.route(input, init, env) };
    this.nodeWs = createNodeWebSocket({ app: routing as unknown as Hono });
    // node-ws makes its server with ws's defaults; two change. A client frame over the contract's size closes with 1009.
    this.nodeWs.wss.options.maxPayload = maxPayload;
    // No client tracking: it keeps every socket in a set, with a close listener per socket to take it out again,
    // while the endpoint keeps its live sockets already and node-ws never reads that set.
    this.nodeWs.wss.options.clientTracking = false;
    (this.nodeWs.wss as { clients?: unknown }).clients = undefined;
    this.nodeWs.wss.on('connection', (_socket: WebSocket, request: IncomingMessage) => this.upgraded.add(request));
  }

  /** The route's answer to a handshake it accepts; undefined when no upgrade listener is attached. */
  async accept(c: Context, admitted: Admitted, next: () => Promise<void>): Promise<Response | undefined> {
    const incoming = (c.env as Partial<HandshakeEnv> | undefined)?.incoming;
    if (!this.app || !incoming) return undefined;
    this.accepted.set(incoming, admitted);
    // node-ws is handed only the three things it reads, not Hono's context with the handshake's Request,
    // headers and Node request behind it, should anything of it outlive the handshake.
    const upgrade = c.req.header('upgrade');
    const handshake = {
      env: c.env,
      req: { url: c.req.url, header: (name: string) => (name.toLowerCase() === 'upgrade' ? upgrade : undefined) },
    };
    const answer = await this.nodeWs.upgradeWebSocket(() => ({
      onOpen: (_event, ws) => {
        const socket = ws.raw as WebSocket;
        this.handlers.open(socket, admitted);
        shedListenersAddedAfter(socket);
      },
    }))(handshake as unknown as Context, next);
    return answer ?? undefined;
  }

  attach(server: UpgradingServer, app: RoutingApp): void {
    this.app = app;
    this.nodeWs.injectWebSocket({
      on: (_event: 'upgrade', listener: UpgradeListener) =>
        server.on('upgrade', (request, socket, head) => void this.handle(listener, request, socket, head)),
    } as unknown as Parameters<NodeWebSocket['injectWebSocket']>[0]);
  }

  private async route(input: string | URL, init: RequestInit, env: HandshakeEnv): Promise<Response> {
    const request = env.incoming;
    let response: Response;
    try {
      response = await (this.app as RoutingApp).request(input, { ...init, method: request.method ?? 'GET' }, env);
    } catch {
      response = new Response(null, { status: 500 });
    }
    const admitted = this.accepted.get(request);
    if (admitted !== undefined && (request.socket.destroyed || response.status !== 200)) {
      // Accepted, but the client left while it was authenticated: node-ws must not wait for an upgrade.
      for (const key of Object.getOwnPropertySymbols(env)) delete env[key];
      this.accepted.delete(request);
      this.handlers.abandon(admitted);
    }
    if (!this.accepted.has(request)) this.refusals.set(request, response);
    return response;
  }

  private async handle(listener: UpgradeListener, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Node removed its own listener: a reset during authentication must not be an unhandled error.
    const onError = () => socket.destroy();
    socket.on('error', onError);
    const nodeEnd = socket.end;
    // node-ws refuses with a bare status line: the app's whole answer goes out instead.
    socket.end = ((...args: Parameters<Duplex['end']>) => {
      socket.end = nodeEnd;
      const refusal = this.refusals.get(request);
      if (!refusal) return nodeEnd.apply(socket, args);
      void refuse(socket, refusal);
      return socket;
    }) as Duplex['end'];
    try {
      await listener(request, socket, head);
    } finally {
      socket.end = nodeEnd;
      // `ws` listens for errors once upgraded; a refused socket is closed by now.
      socket.off('error', onError);
    }
    const admitted = this.accepted.get(request);
    // `ws` upgrades at once or never: it refused the request's headers, or the client has gone.
    if (admitted !== undefined && !this.upgraded.has(request)) this.handlers.abandon(admitted);
  }
}

/**
 * Right after `onOpen` returns, node-ws puts a `message`, a `close` and an
 * `error` listener on the socket that only forward to the events it was given,
 * and the endpoint gives none: it listens on the socket itself. Those three
 * closures would keep node-ws's whole per-connection state reachable for the
 * socket's life (its context object, a `URL`, the handshake and the principal,
 * about 2 KB a socket), and wrap every frame in a `MessageEvent` nobody reads.
 * The listeners there when `onOpen` ends stay; those added in the same turn
 * after it are node-ws's, and go before any frame can arrive.
 */
function shedListenersAddedAfter(socket: WebSocket): void {
  const kept = new Set(EVENTS.flatMap((event) => socket.rawListeners(event)));
  queueMicrotask(() => {
    for (const event of EVENTS) {
      for (const listener of socket.rawListeners(event)) {
        if (!kept.has(listener)) socket.off(event, listener as (...args: unknown[]) => void);
      }
    }
  });
}

const EVENTS = ['message', 'close', 'error'] as const;

/** Writes the app's answer as a plain HTTP/1.1 response and closes the connection. */
async function refuse(socket: Duplex, response: Response): Promise<void> {
  let body: Buffer;
  try {
    body = Buffer.from(await response.arrayBuffer());
  } catch {
    body = Buffer.alloc(0);
  }
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const lines = [
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`,
    'Connection: close',
    `Content-Length: ${body.length}`,
  ];
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) lines.push(`${name}: ${value}`);
  });
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}

const HOP_BY_HOP = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade']);
