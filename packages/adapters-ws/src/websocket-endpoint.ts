import type { Presence, Principal, User, WatchPresenceOutput } from '@message-center/core';
import { InMemoryPresence } from '@message-center/core/memory';
import { Hono, type MiddlewareHandler } from 'hono';
import type { RawData, WebSocket } from 'ws';
import type { Connection, ConnectionRegistry } from './connection-registry.js';
import { FrameBudget } from './frame-budget.js';
import { type HandshakeAuthOptions, type HandshakeEnv, handshakeAuth, problem } from './handshake-auth.js';
import { Heartbeat } from './heartbeat.js';
import { LiveConnection } from './live-connection.js';
import { PresenceWatchers } from './presence-watchers.js';
import { CloseCode, serializeFrame } from './server-frames.js';
import { SessionExpiry } from './session-expiry.js';
import { type RoutingApp, Upgrades, type UpgradingServer } from './upgrade.js';

export interface WebSocketEndpointOptions extends HandshakeAuthOptions {
  /** Where the endpoint's connections live; the same object the process's notifier delivers into. */
  readonly registry: ConnectionRegistry;
  /** How often quiet connections are pinged; a peer silent for a further beat is dropped. */
  readonly heartbeatMs?: number;
  /** Frames from a client above this size close the connection with 1009. */
  readonly maxFrameBytes?: number;
  /**
   * Open connections a user may hold at once, counted by the presence tracker
   * (so across every process that shares it); the handshake past it gets a
   * plain HTTP 429 with `Retry-After`, no upgrade. Unset or 0: no limit.
   */
  readonly maxConnectionsPerUser?: number;
  /**
   * Frames per second a connection may send, sustained, with bursts up to
   * twice that; every frame counts (text, binary, protocol pings and pongs).
   * A connection past it is closed with 1008. Unset or 0: no limit.
   */
  readonly maxFrameRate?: number;
  /**
   * Told when `recheckSessions` cannot read a session (the store is down; those
   * sockets stay open), a `presence.watch` or `typing` frame could not be served,
   * or an upgrade failed on a bug (its connection is cut).
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
  readonly routes: Hono<EndpointEnv>;
  /**
   * Starts answering upgrade requests on `server`. `app` is the application
   * that server serves (the outermost one when the routes are mounted under a
   * prefix): the handshake is routed through it, so a refusal is its plain HTTP answer.
   */
  injectWebSocket(server: UpgradingServer, app: RoutingApp): void;
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
/** Asked a little after the expiry, and again at least this far apart, so clock skew cannot make it spin. */
const EXPIRY_SLACK_MS = 1_000;
/** Store reads a recheck keeps in flight at once, so thousands of sockets do not flood the pool. */
const RECHECK_CONCURRENCY = 8;
/** A peer still sending this long after the close frame it was sent has ignored it: cut off. */
const CLOSE_GRACE_MS = 1_000;
/** What a handshake refused for too many connections is told to wait; a tab must close first. */
const CONNECTION_LIMIT_RETRY_AFTER_SECONDS = 5;

export function createWebSocketEndpoint(options: WebSocketEndpointOptions): WebSocketEndpoint {
  const { registry } = options;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const maxConnections = options.maxConnectionsPerUser ?? 0;
  const budget = options.maxFrameRate ? new FrameBudget(options.maxFrameRate) : undefined;
  /** Every upgraded socket until its close event: what the heartbeat and the expiry sweep walk. */
  const live = new Map<WebSocket, LiveConnection>();
  const heartbeat = new Heartbeat(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, live);
  let closing = false;
  const watchers = new PresenceWatchers(registry);
  const presenceTracker = options.presence?.tracker;
  // Without presence the count of this process alone decides the limit.
  const tracker: Presence = presenceTracker ?? new InMemoryPresence({ graceMs: 0 });
  const stopHearingPresence = presenceTracker?.onChange((change) => watchers.changed(change));

  /**
   * A session revoked after the handshake read the store but before the
   * connection was registered had its 4401 delivered to no one. Reading the
   * store again now closes that gap: a revocation committed before this read is
   * seen here, and one committed after it is published to the registered connection.
   */
  const confirmSession = async (connection: Connection): Promise<boolean> => {
    let isLive: boolean;
    try {
      isLive = await options.useCases.authenticate.sessionIsLive(connection.sessionId);
    } catch {
      // Unconfirmed is not admitted; a reconnect whose handshake must read the store meets 503 until it is back.
      registry.close(connection, CloseCode.serverError, 'try again');
      return false;
    }
    if (!isLive) registry.close(connection, CloseCode.sessionEnded, 'session ended');
    return isLive;
  };
  const expiry = new SessionExpiry(() => live.values(), confirmSession, EXPIRY_SLACK_MS);

  /**
   * Session endings this endpoint has heard of: notifications, and rechecks
   * asked for because some may have been lost. A handshake reads it before its
   * credential is checked, and its connection asks the store again only if it
   * moved meanwhile (`open`).
   */
  let rechecksAsked = 0;
  const endingsHeard = (): number => registry.sessionEndings + rechecksAsked;

  const open = (socket: WebSocket, { principal, endingsBefore }: Admission): void => {
    const { user, session } = principal;
    const now = performance.now();
    const connection = new LiveConnection(user, session.id, socket, session.expiresAt.getTime() + EXPIRY_SLACK_MS, budget?.burst ?? 0, now);
    live.set(socket, connection);
    // Shared listeners: they find the connection by its socket, so none is made per connection.
    socket.on('message', onMessage);
    socket.on('ping', onControlFrame);
    socket.on('pong', onControlFrame);
    socket.on('close', onClose);
    socket.on('error', ignoreError);
    if (closing) {
      // Upgraded while shutting down: the server stops listening in a moment.
      socket.close(CloseCode.goingAway, 'server shutting down');
      return;
    }
    registry.send(connection, serializeFrame({ type: 'ready', user: { id: user.id, username: user.username } }));
    registry.add(connection);
    heartbeat.start();
    // An ending heard from now on reaches this connection, registered. One heard
    // during the handshake may have been of its own session, read before it ended
    // (or from the session cache before the notification emptied it): the store says.
    if (endingsHeard() !== endingsBefore) void confirmSession(connection);
    expiry.watch(connection);
  };

  const upgrades = new Upgrades<Admission>(maxFrameBytes, {
    open,
    abandon: ({ principal }) => tracker.disconnected(principal.user),
    failed: (error) => report(error),
  });

  function onClose(this: WebSocket): void {
    const connection = live.get(this);
    if (!connection) return;
    live.delete(this);
    registry.remove(connection);
    watchers.forget(connection);
    tracker.disconnected(connection.user);
  }

  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const connection = live.get(this);
    if (!connection || !admitFrame(connection)) return;
    answer(connection, data, isBinary);
  }

  function onControlFrame(this: WebSocket): void {
    const connection = live.get(this);
    if (connection) admitFrame(connection);
  }

  /** Counts a frame against the connection's budget; `false` when it must not be served. */
  const admitFrame = (connection: LiveConnection): boolean => {
    connection.heard = true;
    const now = performance.now();
    if (connection.closingSince !== 0) {
      // Frames already in flight when it was told to close are dropped; a peer that goes on is cut off.
      if (now - connection.closingSince > CLOSE_GRACE_MS) connection.socket.terminate();
      return false;
    }
    if (!budget || budget.spend(connection, now)) return true;
    connection.closingSince = now;
    registry.close(connection, CloseCode.policyViolation, 'frame rate exceeded');
    return false;
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
    rechecksAsked++;
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

  const answer = (connection: LiveConnection, data: RawData, isBinary: boolean): void => {
    if (isBinary) {
      registry.close(connection, CloseCode.policyViolation, 'text frames only');
      return;
    }
    // `ws` has checked the size (1009) and that a text frame is UTF-8 (1007).
    const frame = parseClientFrame(data.toString());
    if (frame === undefined) {
      registry.close(connection, CloseCode.policyViolation, 'malformed frame');
      return;
    }
    if (connection.socket.readyState !== OPEN) return;
    switch (frame.type) {
      case 'ping':
        registry.send(connection, PONG);
        return;
      case 'typing':
        if (typeof frame.to === 'string') void relayTyping(connection.user, frame.to);
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

  const markEndings: MiddlewareHandler<EndpointEnv> = async (c, next) => {
    c.set('endingsBefore', endingsHeard());
    await next();
  };

  const routes = new Hono<EndpointEnv>().get('/', markEndings, handshakeAuth(options), async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return c.body(null, 426, { upgrade: 'websocket', connection: 'Upgrade' });
    const principal = c.get('principal');
    if (!(await tracker.admit(principal.user, maxConnections))) {
      const detail = `At most ${maxConnections} connections per user may be open at once; close one first.`;
      return problem(c, 429, 'rate-limited', detail, { 'retry-after': String(CONNECTION_LIMIT_RETRY_AFTER_SECONDS) });
    }
    const accepted = upgrades.accept(c, { principal, endingsBefore: c.get('endingsBefore') });
    if (accepted) return accepted;
    // Not through an upgrade listener (no `injectWebSocket`): nothing will open, so nothing stays counted.
    tracker.disconnected(principal.user);
    return c.body(null, 426, { upgrade: 'websocket', connection: 'Upgrade' });
  });

  return {
    routes,
    injectWebSocket(server, app) {
      upgrades.attach(server, app);
    },
    recheckSessions,
    close() {
      closing = true;
      stopHearingPresence?.();
      watchers.stop();
      heartbeat.stop();
      expiry.stop();
      registry.closeAll(CloseCode.goingAway, 'server shutting down');
    },
  };
}

/** An accepted handshake: who, and how many session endings had been heard before its credential was read. */
interface Admission {
  readonly principal: Principal;
  readonly endingsBefore: number;
}

/** The routes' variables: the handshake's principal, and what `markEndings` read before it was authenticated. */
export type EndpointEnv = { Variables: HandshakeEnv['Variables'] & { endingsBefore: number } };

const OPEN = 1;
const PONG = serializeFrame({ type: 'pong' });
const ignoreError = (): void => {
  // `ws` closes the socket after an error of the peer's making; its close event cleans up.
};

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
