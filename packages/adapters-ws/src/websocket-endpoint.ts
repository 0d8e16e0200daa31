import { createNodeWebSocket, type NodeWebSocket } from '@hono/node-ws';
import type { Principal } from '@message-center/core';
import { Hono } from 'hono';
import type { WSContext, WSEvents } from 'hono/ws';
import type { WebSocket } from 'ws';
import type { Connection, ConnectionRegistry } from './connection-registry.js';
import { type HandshakeAuthOptions, type HandshakeEnv, handshakeAuth } from './handshake-auth.js';
import { Heartbeat } from './heartbeat.js';
import { CloseCode, serializeFrame } from './server-frames.js';

export interface WebSocketEndpointOptions extends HandshakeAuthOptions {
  /** Where the endpoint's connections live; the same object the process's notifier delivers into. */
  readonly registry: ConnectionRegistry;
  /** How often quiet connections are pinged; a peer silent for a further beat is dropped. */
  readonly heartbeatMs?: number;
  /** Frames from a client above this size close the connection with 1009. */
  readonly maxFrameBytes?: number;
  /** Connections a user may hold at once; the one over the limit is closed with 1008. */
  readonly maxConnectionsPerUser?: number;
  /** Told when `recheckSessions` cannot read a session (the store is down); those sockets stay open. */
  readonly onError?: (error: unknown) => void;
}

export interface WebSocketEndpoint {
  /** `GET /` of this sub-app is the endpoint: `app.route('/api/v1/ws', endpoint.routes)`. */
  readonly routes: Hono<HandshakeEnv>;
  /**
   * Starts answering upgrade requests on `server`. `app` is the application
   * that server serves (the outermost one when the routes are mounted under a
   * prefix): the handshake is routed through it, so a refusal is its plain HTTP answer.
   */
  injectWebSocket(server: Parameters<NodeWebSocket['injectWebSocket']>[0], app: { request: Hono['request'] }): void;
  /**
   * Asks the store about the session of every live connection and closes the
   * ended ones with 4401: for when `end-sessions` notifications may have been
   * lost (the Redis subscription was down). A session the store cannot answer
   * for is reported to `onError` and left open; a later recheck or its expiry
   * catches it. Never rejects. A call during a recheck runs one more after it.
   */
  recheckSessions(): Promise<void>;
  /** Stops the heartbeat and closes every connection with 1001, and any that is upgraded afterwards. */
  close(): void;
}

const DEFAULT_HEARTBEAT_MS = 30_000;
const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
/** setTimeout's longest delay; a longer session is simply asked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Asked a little after the expiry, and again at least this far apart, so clock skew cannot make it spin. */
const EXPIRY_SLACK_MS = 1_000;
/** Store reads a recheck keeps in flight at once, so thousands of sockets do not flood the pool. */
const RECHECK_CONCURRENCY = 8;

export function createWebSocketEndpoint(options: WebSocketEndpointOptions): WebSocketEndpoint {
  const { registry } = options;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const heartbeat = new Heartbeat(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  let closing = false;

  // node-ws routes each upgrade request through an app it is given up front;
  // the app is only known when the server is attached, so it is looked up then.
  let handshakeApp: { request: Hono['request'] } | undefined;
  const nodeWs = createNodeWebSocket({
    app: {
      request: (...args: Parameters<Hono['request']>) => {
        if (!handshakeApp) throw new Error('injectWebSocket(server, app) was not called');
        return handshakeApp.request(...args);
      },
    } as unknown as Hono,
  });
  // ws checks the size while reading the frame and closes with 1009 before buffering the rest.
  nodeWs.wss.options.maxPayload = maxFrameBytes;

  const events = (principal: Principal): WSEvents<WebSocket> => {
    let connection: Connection | undefined;
    let unregister: (() => void) | undefined;
    let stopWatchingExpiry: (() => void) | undefined;
    return {
      onOpen(_event, ws) {
        const socket = ws.raw;
        if (!socket) return;
        const { user, session } = principal;
        if (closing) {
          // Upgraded while shutting down: the server stops listening in a moment.
          ws.close(CloseCode.goingAway, 'server shutting down');
          return;
        }
        if (options.maxConnectionsPerUser !== undefined && registry.countForUser(user.id) >= options.maxConnectionsPerUser) {
          ws.close(CloseCode.policyViolation, 'too many connections');
          return;
        }
        connection = { userId: user.id, sessionId: session.id, socket };
        registry.send(connection, serializeFrame({ type: 'ready', user: { id: user.id, username: user.username } }));
        unregister = registry.add(connection);
        heartbeat.track(socket);
        void confirmSession(connection);
        stopWatchingExpiry = watchExpiry(connection, session.expiresAt);
      },
      onMessage(event, ws) {
        answer(event.data, ws, connection);
      },
      onClose() {
        stopWatchingExpiry?.();
        unregister?.();
      },
    };
  };

  /**
   * A session revoked after the handshake read the store but before the
   * connection was registered had its 4401 delivered to no one. Reading the
   * store again now closes that gap: a revocation committed before this read is
   * seen here, and one committed after it is published to the registered connection.
   */
  const confirmSession = async (connection: Connection): Promise<boolean> => {
    let live: boolean;
    try {
      live = await options.useCases.authenticate.sessionIsLive(connection.sessionId);
    } catch {
      // Unconfirmed is not admitted; the reconnect meets the handshake's 503 until the store is back.
      registry.close(connection, CloseCode.serverError, 'try again');
      return false;
    }
    if (!live) registry.close(connection, CloseCode.sessionEnded, 'session ended');
    return live;
  };

  /**
   * An expiring session publishes nothing, so without this its sockets would
   * outlive it. At the expiry the store is asked (it is the clock that counts),
   * and asked again later should this process's clock run ahead of it.
   */
  const watchExpiry = (connection: Connection, expiresAt: Date): (() => void) => {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const arm = (): void => {
      const delay = Math.min(Math.max(expiresAt.getTime() - Date.now(), 0) + EXPIRY_SLACK_MS, MAX_TIMER_MS);
      timer = setTimeout(async () => {
        if ((await confirmSession(connection)) && !stopped) arm();
      }, delay);
      // A watch alone must not keep a finished process alive.
      timer.unref();
    };
    arm();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  };

  const recheckAll = async (): Promise<void> => {
    const sessionIds = registry.sessionIds();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < sessionIds.length && !closing) {
        const sessionId = sessionIds[next++] as string;
        try {
          if (!(await options.useCases.authenticate.sessionIsLive(sessionId)) && !closing) registry.endSession(sessionId);
        } catch (error) {
          report(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, sessionIds.length) }, worker));
  };

  // A recheck asked for while one runs may follow a revocation that run already
  // read past, so one more runs after it; any further asks share that one.
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const recheckSessions = (): Promise<void> => {
    if (!running) {
      running = recheckAll().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running.then(() => {
      queued = undefined;
      return recheckSessions();
    });
    return queued;
  };

  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // A failing reporter must not stop the recheck of the other sessions.
    }
  };

  const answer = (data: unknown, ws: WSContext<WebSocket>, connection: Connection | undefined): void => {
    if (typeof data !== 'string') {
      ws.close(CloseCode.policyViolation, 'text frames only');
      return;
    }
    if (Buffer.byteLength(data) > maxFrameBytes) {
      ws.close(CloseCode.messageTooBig, 'frame too large');
      return;
    }
    const frame = parseClientFrame(data);
    if (frame === undefined) {
      ws.close(CloseCode.policyViolation, 'malformed frame');
      return;
    }
    if (frame.type === 'ping' && connection) registry.send(connection, serializeFrame({ type: 'pong' }));
    // Other types are ignored, so a newer client can talk to an older server.
  };

  const routes = new Hono<HandshakeEnv>().get(
    '/',
    handshakeAuth(options),
    nodeWs.upgradeWebSocket((c) => events(c.get('principal'))),
    (c) => c.body(null, 426, { upgrade: 'websocket', connection: 'Upgrade' }),
  );

  return {
    routes,
    injectWebSocket(server, app) {
      handshakeApp = app;
      nodeWs.injectWebSocket(server);
    },
    recheckSessions,
    close() {
      closing = true;
      heartbeat.stop();
      registry.closeAll(CloseCode.goingAway, 'server shutting down');
    },
  };
}

function parseClientFrame(text: string): { readonly type: string } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const type = (value as { type?: unknown }).type;
    return typeof type === 'string' ? { type } : undefined;
  } catch {
    return undefined;
  }
}
