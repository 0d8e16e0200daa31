import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Principal } from '@message-center/core';
import type { Context } from 'hono';
import { type WebSocket, WebSocketServer } from 'ws';

/** What the route that accepts an upgrade leaves for the server's `upgrade` listener. */
interface UpgradeSlot {
  accepted?: Principal;
}

const SLOT = Symbol('websocket upgrade');

/** The node server whose `upgrade` requests are answered; `http.Server` is one. */
export interface UpgradingServer {
  on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
}

/** The app the server serves; the upgrade request is routed through it, so a refusal is its plain HTTP answer. */
export interface RoutingApp {
  request(input: string | URL, init?: RequestInit, env?: object): Response | Promise<Response>;
}

export interface UpgradeHandlers {
  /** The socket of an accepted handshake, upgraded. */
  open(socket: WebSocket, principal: Principal): void;
  /** An accepted handshake whose upgrade did not happen (the client left, or a header `ws` refuses). */
  abandon(principal: Principal): void;
}

/**
 * WebSocket upgrades routed through the Hono app, as `@hono/node-ws` does, but
 * with two differences that matter here: a refusal goes out with its headers
 * and body (a 429's `Retry-After`, the problem+json of every refusal), and
 * nothing of the handshake (request, Hono context, URL) stays reachable from
 * the open connection, which holds only what the endpoint gives it.
 */
export class Upgrades {
  private readonly wss: WebSocketServer;

  constructor(
    maxPayload: number,
    private readonly handlers: UpgradeHandlers,
  ) {
    // The registry tracks the connections; compression would cost a zlib context per socket.
    this.wss = new WebSocketServer({ noServer: true, maxPayload, clientTracking: false, perMessageDeflate: false });
  }

  /** The route's answer to a handshake it accepts: the `upgrade` listener then upgrades the socket. */
  accept(c: Context, principal: Principal): Response | undefined {
    const slot = (c.env as { [SLOT]?: UpgradeSlot } | undefined)?.[SLOT];
    if (!slot) return undefined;
    slot.accepted = principal;
    return c.body(null, 200);
  }

  attach(server: UpgradingServer, app: RoutingApp): void {
    server.on('upgrade', (request, socket, head) => void this.route(app, request, socket, head));
  }

  private async route(app: RoutingApp, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Node removed its own listener: a reset during authentication must not be an unhandled error.
    const onError = () => socket.destroy();
    socket.on('error', onError);
    const slot: UpgradeSlot = {};
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.append(name, Array.isArray(value) ? (value[0] ?? '') : value);
    }
    let response: Response;
    try {
      const env = { incoming: request, outgoing: undefined, [SLOT]: slot };
      response = await app.request(new URL(request.url ?? '/', 'http://localhost'), { method: request.method ?? 'GET', headers }, env);
    } catch {
      response = new Response(null, { status: 500 });
    }
    const principal = slot.accepted;
    if (!principal || response.status !== 200) {
      if (principal) this.handlers.abandon(principal);
      await refuse(socket, response);
      return;
    }
    // `ws` listens for errors from here on.
    socket.off('error', onError);
    let upgraded = false;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      upgraded = true;
      this.handlers.open(ws, principal);
    });
    // `ws` calls back at once or never: it refused the request's headers, or the client has gone.
    if (!upgraded) this.handlers.abandon(principal);
  }
}

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
