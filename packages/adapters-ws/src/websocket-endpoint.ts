import { createNodeWebSocket, type NodeWebSocket } from '@hono/node-ws';
import type { Presence, Principal, User, WatchPresenceOutput } from '@message-center/core';
import { Hono } from 'hono';
import type { WSContext, WSEvents } from 'hono/ws';
import type { WebSocket } from 'ws';
import type { Connection, ConnectionRegistry } from './connection-registry.js';
import { type HandshakeAuthOptions, type HandshakeEnv, handshakeAuth } from './handshake-auth.js';
import { Heartbeat } from './heartbeat.js';
import { PresenceWatchers } from './presence-watchers.js';
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
  /**
   * Told when `recheckSessions` cannot read a session (the store is down; those
   * sockets stay open), or a `presence.watch` or `typing` frame could not be served.
   */
  readonly onError?: (error: unknown) => void;
  /**
   * Presence: each connection that opens and closes here is reported to
   * `tracker`, `presence.watch` frames are answered through `watchPresence`,
   * and the tracker's changes go to the connections that watch that user.
   * Without it, `presence.watch` frames are ignored.
   */
  readonly presence?: {
    readonly tracker: Presence;
    readonly watchPresence: { execute(input: { usernames: readonly string[] }): Promise<WatchPresenceOutput> };
  };
  /** Relays `typing` frames (core's `RelayTyping`); without it they are ignored. */
  readonly relayTyping?: { execute(input: { from: User; to: string }): Promise<boolean> };
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
  const watchers = new PresenceWatchers(registry);
  const tracker = options.presence?.tracker;
  const stopHearingPresence = tracker?.onChange((change) => watchers.changed(change));

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
    let present = false;
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
        tracker?.connected(user);
        present = tracker !== undefined;
        heartbeat.track(socket);
        void confirmSession(connection);
        stopWatchingExpiry = watchExpiry(connection, session.expiresAt);
      },
      onMessage(event, ws) {
        answer(event.data, ws, connection, principal.user);
      },
      onClose() {
        stopWatchingExpiry?.();
        unregister?.();
        if (connection) watchers.forget(connection);
        if (present) tracker?.disconnected(principal.user);
        present = false;
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

  const answer = (data: unknown, ws: WSContext<WebSocket>, connection: Connection | undefined, user: User): void => {
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
    if (!connection) return;
    switch (frame.type) {
      case 'ping':
        registry.send(connection, serializeFrame({ type: 'pong' }));
        return;
      case 'typing':
        if (typeof frame.to === 'string') void relayTyping(user, frame.to);
        return;
      case 'presence.watch':
        if (isStringArray(frame.users)) void watch(connection, frame.users);
        return;
      default:
      // Other types are ignored, so a newer client can talk to an older server.
    }
  };

  const relayTyping = async (from: User, to: string): Promise<void> => {
    try {
      await options.relayTyping?.execute({ from, to });
    } catch (error) {
      // Typing is a hint: a store that cannot say who `to` is loses one, nothing more.
      report(error);
    }
  };

  const watch = async (connection: Connection, usernames: readonly string[]): Promise<void> => {
    if (!options.presence) return;
    const pending = watchers.replace(connection, usernames);
    try {
      const snapshot = await options.presence.watchPresence.execute({ usernames });
      watchers.answer(connection, pending, snapshot.users);
    } catch (error) {
      watchers.abandon(connection, pending);
      report(error);
    }
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
      stopHearingPresence?.();
      heartbeat.stop();
      registry.closeAll(CloseCode.goingAway, 'server shutting down');
    },
  };
}

/** A frame's type and its other fields, unchecked: each frame type checks the fields it reads. */
type ClientFrame = { readonly type: string } & Readonly<Record<string, unknown>>;

function parseClientFrame(text: string): ClientFrame | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    return typeof record.type === 'string' ? (record as ClientFrame) : undefined;
  } catch {
    return undefined;
  }
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
