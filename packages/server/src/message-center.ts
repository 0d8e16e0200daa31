import 'reflect-metadata';
import { createHttpApp, type HttpApp, type HttpLogger, jsonLinesLogger, type OverloadBounds } from '@message-center/adapters-http';
import { checkHealth, kyselyStorage, openDatabase, sweepExpired } from '@message-center/adapters-mysql';
import { RedisNotifier, RedisPresence } from '@message-center/adapters-redis';
import { ConnectionRegistry, createWebSocketEndpoint, type WebSocketEndpoint } from '@message-center/adapters-ws';
import type { LocalDelivery, Notifier, PasswordHasher, Presence } from '@message-center/core';
import {
  CachedAuthenticate,
  type CoreConfig,
  coreModule,
  defaultCoreConfig,
  OriginPolicy,
  PORTS,
  resolveUseCases,
  systemClock,
  type UseCases,
} from '@message-center/core';
import { RandomTokenGenerator, ScryptPasswordHasher } from '@message-center/core/crypto';
import { InMemoryPresence, LocalNotifier } from '@message-center/core/memory';
import { Container } from 'inversify';
import { DEFAULT_DATABASE_URL } from './config.js';
import { StoreReadiness } from './store-readiness.js';
import { builtWebBundle, builtWebRoot, WEB_NOT_BUILT } from './web-assets.js';

export interface MessageCenterOptions {
  /** `mysql://user:password@host:3306/db` or `sqlite:<path>`; the embedded SQLite file `./data/message-center.sqlite` by default. */
  readonly databaseUrl?: string;
  /** `redis://host:6379` to fan notifications out across processes; in-process when absent. */
  readonly redisUrl?: string;
  /** Processes that share it hear each other over Redis (notifications and presence); `message-center` by default. */
  readonly redisChannelPrefix?: string;
  /** How long a user's last connection may be gone before watchers see them offline; API.md's 10 s by default. */
  readonly presenceGraceMs?: number;
  /**
   * With Redis: how often this process renews its presence lease (5 s), and
   * after how long without renewal another process takes its users offline (15 s).
   */
  readonly presenceLease?: { readonly heartbeatMs?: number; readonly leaseMs?: number };
  /** Merged over the core's defaults (history page size, message length, registration, session lifetime). */
  readonly config?: Partial<CoreConfig>;
  /** Origins allowed, besides the server's own, for cookie requests and WebSocket handshakes. */
  readonly allowedOrigins?: readonly string[];
  /** Always mark the session cookie `Secure` (it is anyway on requests that arrive over HTTPS). */
  readonly secureCookies?: boolean;
  readonly logger?: HttpLogger;
  /**
   * Static files served at `/`: a directory, `false` for none, or by default
   * the built web UI when present (else a short note saying how to build it).
   * Unless `false`, the built embeddable bundle is served at `/bundle/message-center.js`.
   */
  readonly webRoot?: string | false;
  /**
   * `true` (default): migrate before returning, and fail if the database
   * cannot be reached. `false`: start anyway; API requests answer 503 until
   * the database answers and the schema has been migrated.
   */
  readonly requireStore?: boolean;
  /** For tests: a cheaper password hasher. Production uses scrypt at OWASP cost. */
  readonly passwordHasher?: PasswordHasher;
  /**
   * How long a token's user and session are trusted without asking the store;
   * 0 to ask on every request. By default 5 s with `redisUrl` (every process
   * that can revoke a session then tells this one, which forgets it at once) and 0 without.
   */
  readonly sessionCacheMs?: number;
  /**
   * When API requests are refused with 503 because the process cannot keep up
   * (`DEFAULT_OVERLOAD_BOUNDS` is what `serve` uses). Off by default when
   * embedded: the host application owns the process and its event loop.
   */
  readonly overload?: OverloadBounds | false;
  /** How often expired sessions, tickets and old login failures are deleted; 0 to never. */
  readonly sweepIntervalMs?: number;
}

export interface MessageCenter {
  /** The Hono app: serve it, or mount it with `app.route('/chat', center.app)`. */
  readonly app: HttpApp;
  readonly useCases: UseCases;
  /**
   * Starts answering WebSocket upgrades at `<mount>/api/v1/ws` on a Node
   * server. Pass the app that server serves when it is not `center.app`
   * (when the center is mounted inside your own app).
   */
  attachWebSocket(server: Parameters<WebSocketEndpoint['injectWebSocket']>[0], servedApp?: { request: HttpApp['request'] }): void;
  /** Closes WebSockets with 1001, stops the sweep, disconnects Redis and closes the database pool. */
  close(): Promise<void>;
}

const DEFAULT_SWEEP_INTERVAL_MS = 10 * 60 * 1000;
const DEFAULT_SESSION_CACHE_MS = 5_000;

/** The composition root: every adapter bound to the core's ports in one Inversify container. */
export async function createMessageCenter(options: MessageCenterOptions = {}): Promise<MessageCenter> {
  const logger = options.logger ?? jsonLinesLogger;
  const database = openDatabase(options.databaseUrl ?? DEFAULT_DATABASE_URL);
  const readiness = new StoreReadiness(database.db);
  const registry = new ConnectionRegistry({ onError: (error) => logger.error({ msg: 'websocket send failed', error: String(error) }) });

  // The session cache, once made, sits in front of the registry: it must hear every end-sessions.
  let delivery: LocalDelivery = registry;
  const deliverLocally: LocalDelivery = { deliver: (notification) => delivery.deliver(notification) };
  let sessionCache: CachedAuthenticate | undefined;

  let redis: RedisNotifier | undefined;
  let redisPresence: RedisPresence | undefined;
  // Made once the use cases exist, which need the notifier first.
  let ws: WebSocketEndpoint | undefined;
  try {
    if (options.requireStore ?? true) await readiness.ensure();
    else
      await readiness
        .ensure()
        .catch((error) => logger.error({ msg: 'database not ready; answering 503 until it is', error: String(error) }));
    if (options.redisUrl) {
      redis = await RedisNotifier.connect({
        url: options.redisUrl,
        delivery: deliverLocally,
        ...(options.redisChannelPrefix ? { channelPrefix: options.redisChannelPrefix } : {}),
        onError: (error) => logger.error({ msg: 'redis fan-out failed', error: String(error) }),
        // An end-sessions published while the subscription was down never
        // arrived here: the store says which of this process's sockets to close.
        onResubscribed: () => {
          sessionCache?.forgetAll();
          void ws?.recheckSessions();
        },
      });
      redisPresence = await RedisPresence.connect({
        url: options.redisUrl,
        ...(options.redisChannelPrefix ? { keyPrefix: options.redisChannelPrefix } : {}),
        ...(options.presenceGraceMs === undefined ? {} : { graceMs: options.presenceGraceMs }),
        ...options.presenceLease,
        onError: (error) => logger.error({ msg: 'redis presence failed', error: String(error) }),
      });
    }
  } catch (error) {
    await redis?.close();
    await database.close();
    throw error;
  }
  const presence: Presence =
    redisPresence ?? new InMemoryPresence(options.presenceGraceMs === undefined ? {} : { graceMs: options.presenceGraceMs });
  const notifier: Notifier = redis ?? new LocalNotifier(deliverLocally);

  const container = new Container();
  const storage = kyselyStorage(database);
  container.bind(PORTS.UserRepository).toConstantValue(storage.users);
  container.bind(PORTS.SessionStore).toConstantValue(storage.sessions);
  container.bind(PORTS.MessageRepository).toConstantValue(storage.messages);
  container.bind(PORTS.LoginThrottle).toConstantValue(storage.throttle);
  container.bind(PORTS.TicketStore).toConstantValue(storage.tickets);
  container.bind(PORTS.Notifier).toConstantValue(notifier);
  container.bind(PORTS.Presence).toConstantValue(presence);
  container.bind(PORTS.PasswordHasher).toConstantValue(options.passwordHasher ?? new ScryptPasswordHasher());
  container.bind(PORTS.TokenGenerator).toConstantValue(new RandomTokenGenerator());
  container.bind(PORTS.Clock).toConstantValue(systemClock);
  container.bind(PORTS.CoreConfig).toConstantValue({ ...defaultCoreConfig, ...options.config });
  container.load(coreModule);
  const resolved = resolveUseCases(container);
  const sessionCacheMs = options.sessionCacheMs ?? (options.redisUrl ? DEFAULT_SESSION_CACHE_MS : 0);
  if (sessionCacheMs > 0) {
    sessionCache = new CachedAuthenticate(resolved.authenticate, systemClock, { ttlMs: sessionCacheMs });
    delivery = sessionCache.delivery(registry);
  }
  const useCases: UseCases = sessionCache ? { ...resolved, authenticate: sessionCache } : resolved;

  const originPolicy = new OriginPolicy(options.allowedOrigins ?? []);
  const webRoot = options.webRoot === undefined ? builtWebRoot() : options.webRoot;
  const embeddableScript = options.webRoot === false ? undefined : builtWebBundle();
  const app = createHttpApp({
    useCases,
    originPolicy,
    config: { secureCookies: options.secureCookies ?? false },
    healthCheck: async () => {
      await readiness.ensure();
      await checkHealth(database.db);
      return true;
    },
    storeReady: () => readiness.ensure(),
    logger,
    overload: options.overload ?? false,
    ...(webRoot ? { staticAssets: { root: webRoot } } : {}),
    ...(embeddableScript ? { embeddableScript } : {}),
  });
  if (options.webRoot === undefined && !webRoot) app.get('/', (c) => c.text(WEB_NOT_BUILT));

  const endpoint = createWebSocketEndpoint({
    useCases,
    originPolicy,
    registry,
    presence: { tracker: presence, watchPresence: useCases.watchPresence },
    relayTyping: useCases.relayTyping,
    onError: (error) => logger.error({ msg: 'websocket session recheck failed', error: String(error) }),
  });
  ws = endpoint;
  app.route('/api/v1/ws', endpoint.routes);

  const sweepEvery = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const sweep =
    sweepEvery > 0
      ? setInterval(() => {
          if (!readiness.ready) return;
          sweepExpired(database).catch((error) => logger.error({ msg: 'sweep failed', error: String(error) }));
        }, sweepEvery)
      : undefined;
  sweep?.unref();

  let closed: Promise<void> | undefined;
  return {
    app,
    useCases,
    attachWebSocket: (server, servedApp) => endpoint.injectWebSocket(server, servedApp ?? app),
    close() {
      closed ??= (async () => {
        clearInterval(sweep);
        endpoint.close();
        await presence.close();
        await redis?.close();
        await database.close();
      })();
      return closed;
    },
  };
}
