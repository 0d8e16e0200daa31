import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'hono';
import { type WebSocket, WebSocketServer } from 'ws';
import { handshakeRequest } from './handshake-request.js';

/** The node server whose `upgrade` requests are answered; `http.Server` is one. */
export interface UpgradingServer {
  on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
}

/** The app the server serves; the upgrade request is routed through it, so a refusal is its plain HTTP answer. */
export interface RoutingApp {
  request(input: Request, init: undefined, env: object): Response | Promise<Response>;
}

/** `Admitted` is what the route knows of an accepted handshake: who it is, at least. */
export interface UpgradeHandlers<Admitted> {
  /** The socket of an accepted handshake, upgraded. */
  open(socket: WebSocket, admitted: Admitted): void;
  /** An accepted handshake whose upgrade did not happen (the client left, or a header `ws` refuses). */
  abandon(admitted: Admitted): void;
  /** A bug on the way (in `open`, say): its connection is cut, the server goes on. */
  failed(error: unknown): void;
}

/** The app's `env` for an upgrade request: Node's request, as for any other, and the route's verdict. */
class Handshake<Admitted> {
  admitted: Admitted | undefined;
  constructor(
    readonly incoming: IncomingMessage,
    readonly upgrades: Upgrades<Admitted>,
  ) {}
}

/**
 * WebSocket upgrades with `ws`: each upgrade request is routed through the
 * Hono app like any other request (its middleware, the endpoint's
 * authentication), a refusal goes out as the app's whole answer (a 429's
 * `Retry-After`, the problem+json of every refusal), and a handshake the
 * route accepts is upgraded, or given back when the upgrade cannot happen
 * (the client left during authentication, or sent a header `ws` refuses).
 *
 * Per connection this keeps nothing but the `ws` socket itself; per handshake
 * it makes no more than the app needs to route it (`handshakeRequest`).
 */
export class Upgrades<Admitted> {
  private readonly wss: WebSocketServer;
  private app: RoutingApp | undefined;

  constructor(
    maxPayload: number,
    private readonly handlers: UpgradeHandlers<Admitted>,
  ) {
    // No client tracking: it keeps every socket in a set, with a close listener per socket to take it out
    // again, while the endpoint keeps its live sockets already. A frame over `maxPayload` closes with 1009.
    this.wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload });
  }

  /** The route's answer to a handshake it accepts; undefined when the request did not come through `attach`. */
  accept(c: Context, admitted: Admitted): Response | undefined {
    const handshake: unknown = c.env;
    if (!(handshake instanceof Handshake) || handshake.upgrades !== this) return undefined;
    handshake.admitted = admitted;
    // Never sent: the upgrade answers instead, if the app lets this answer through unchanged.
    return new Response(null, { status: 200 });
  }

  attach(server: UpgradingServer, app: RoutingApp): void {
    this.app = app;
    server.on('upgrade', (request, socket, head) => {
      this.upgrade(request, socket, head).catch((error: unknown) => {
        socket.destroy();
        this.handlers.failed(error);
      });
    });
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Node has removed its own listener: a reset during authentication must not be an unhandled error.
    const onError = (): void => {
      socket.destroy();
    };
    socket.on('error', onError);
    const handshake = new Handshake(request, this);
    let response: Response;
    try {
      response = await (this.app as RoutingApp).request(handshakeRequest(request), undefined, handshake);
    } catch {
      response = new Response(null, { status: 500 });
    }
    const { admitted } = handshake;
    if (admitted === undefined) return refuse(socket, response);
    if (response.status !== 200 || socket.destroyed) {
      // Accepted, but the client left while it was authenticated, or the app's answer changed on the way out.
      this.handlers.abandon(admitted);
      return refuse(socket, response);
    }
    // `ws` listens for errors from here on, and upgrades at once or never (it refuses the request's headers,
    // or finds the client gone).
    socket.off('error', onError);
    let opened = false;
    this.wss.handleUpgrade(request, socket, head, (upgraded) => {
      opened = true;
      this.handlers.open(upgraded, admitted);
    });
    if (!opened) this.handlers.abandon(admitted);
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
