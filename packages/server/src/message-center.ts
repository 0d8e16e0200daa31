import {
  behindProxies,
  createHttpApp,
  type HttpApp,
  type HttpLogger,
  jsonLinesLogger,
  type OverloadBounds,
} from '@message-center/adapters-http';
import { ConsoleMailer, SmtpMailer } from '@message-center/adapters-mail';
import {
  ConnectionRegistry,
  createWebSocketEndpoint,
  type RoutingApp,
  retarget,
  type WebSocketEndpoint,
} from '@message-center/adapters-ws';
import {
  bindPorts,
  CachedAuthenticate,
  type CoreConfig,
  coreModule,
  defaultCoreConfig,
  type HashingCapacity,
  type HostIdentified,
  type HostToken,
  type HostUser,
  type LimitSettings,
  LOCAL_DELIVERY,
  type LocalDelivery,
  type Mailer,
  OriginPolicy,
  type PasswordHasher,
  PORTS,
  type RateLimiters,
  resolveUseCases,
  systemClock,
  type UseCases,
} from '@message-center/core';
import { RandomTokenGenerator, ScryptPasswordHasher } from '@message-center/core/crypto';
import { BackgroundTasks } from '@message-center/core/memory';
import { Container, type ContainerModule } from 'inversify';
import { DEFAULT_DATABASE_URL, DEFAULT_MAIL_FROM, DEFAULT_WEBSOCKET_LIMITS } from './config.js';
import { boundedHasher, type OpenedLimits, openLimits } from './limits-option.js';
import { type NotifierOption, openNotifier } from './notifier-option.js';
import { type OpenedStorage, openStorage, type StorageOption } from './storage-option.js';
import { builtWebBundle, builtWebRoot, WEB_NOT_BUILT } from './web-assets.js';

export interface MessageCenterOptions {
  /**
   * Where users, sessions and messages live: `'memory'`, `'sqlite:<path>'`,
   * `'mysql://user:password@host:3306/db'`, or adapter instances. By default
   * the embedded SQLite file `./data/message-center.sqlite`.
   */
  readonly storage?: StorageOption;
  /** Same as a URL `storage`; kept for existing callers. */
  readonly databaseUrl?: string;
  /** In-process by default; `'redis://host:6379'` to fan out across processes; or your own notifier. */
  readonly notifier?: NotifierOption;
  /** Same as a URL `notifier`; kept for existing callers. */
  readonly redisUrl?: string;
  /** Processes that share it hear each other over Redis (notifications and presence); `message-center` by default. */
  readonly redisChannelPrefix?: string;
  /**
   * How long a token's user and session are trusted without asking the store;
   * 0 to ask on every request. By default 5 s with a Redis notifier (every
   * process that can revoke a session then tells this one, which forgets it at
   * once) and 0 otherwise.
   */
  readonly sessionCacheMs?: number;
  /**
   * When API requests are refused with 503 because the process cannot keep up
   * (`DEFAULT_OVERLOAD_BOUNDS` is what `serve` uses). Off by default when
   * embedded: the host application owns the process and its event loop.
   */
  readonly overload?: OverloadBounds | false;
  /**
   * Loaded into the container after every default binding, so a module may
   * `rebind` any token of `PORTS` (say `PORTS.Notifier` or `PORTS.Clock`);
   * `LOCAL_DELIVERY` is bound for notifiers that must reach this process's sockets.
   */
  readonly modules?: readonly ContainerModule[];
  /** How long a user's last connection may be gone before watchers see them offline; API.md's 10 s by default. */
  readonly presenceGraceMs?: number;
  /**
   * With Redis: how often this process renews its presence lease (5 s), and
   * after how long without renewal another process takes its users offline (15 s).
   */
  readonly presenceLease?: { readonly heartbeatMs?: number; readonly leaseMs?: number };
  /**
   * API.md's WebSocket limits, on by default at its defaults (20 and 20); `0` turns one off.
   * `maxConnectionsPerUser`: open sockets per user, across processes with Redis (429 at the handshake past it).
   * `frameRate`: frames per second per socket, sustained, bursts twice that (closed with 1008 past it).
   */
  readonly webSocketLimits?: { readonly maxConnectionsPerUser?: number; readonly frameRate?: number };
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
   * SQL storage only. `true` (default): migrate before returning, and fail if
   * the database cannot be reached. `false`: start anyway; API requests answer
   * 503 until the database answers and the schema has been migrated.
   */
  readonly requireStore?: boolean;
  /** For tests: a cheaper password hasher. Production uses scrypt at OWASP cost. */
  readonly passwordHasher?: PasswordHasher;
  /**
   * The limits of API.md "Limits and overload", each answered with 429 and
   * `Retry-After`. On by default with the contract's values, merged under any
   * settings given here (`0` turns one off); counted in Redis, and so shared by
   * every process, when `notifier` (or `redisUrl`) is a Redis URL, else in this
   * process; `store` counts them elsewhere. `false` turns every limit off.
   */
  readonly limits?: (Partial<LimitSettings> & { readonly store?: RateLimiters }) | false;
  /**
   * Password hashes computed at once (by default as many as the machine has
   * cores) and how many may wait for one (64) before a login, registration or
   * password change is refused with 503 and `Retry-After`. `false`: no bound.
   */
  readonly passwordHashing?: Partial<HashingCapacity> | false;
  /** Proxies (IP addresses) whose `X-Forwarded-For` names the client, for the limits per client address. */
  readonly trustProxy?: readonly string[];
  /** How often expired sessions, tickets, reset tokens and old login failures are deleted; 0 to never. */
  readonly sweepIntervalMs?: number;
  /**
   * Password-reset mail. `smtpUrl` (`smtp://…`, STARTTLS when offered, or `smtps://…`) sends it;
   * `mailer` is your own `Mailer`; with neither, mails are printed to standard output.
   * `publicUrl` is where links point (`http://127.0.0.1:8000` by default); `from`, their sender.
   */
  readonly mail?: { readonly smtpUrl?: string; readonly from?: string; readonly publicUrl?: string; readonly mailer?: Mailer };
  /**
   * Your application signs people in; this says who sent a request (REST and
   * the WebSocket handshake alike), or `null` for nobody. Users are created
   * on first sight by your `id` and renamed when your `username` changes.
   * Requests with a bearer token from `issueToken` are checked by that token
   * instead. Sign-up, login, password and email routes then answer 404.
   */
  readonly identity?: HostIdentity;
}

export interface HostIdentity {
  authenticate(request: Request): HostUser | null | undefined | Promise<HostUser | null | undefined>;
}

type NodeServer = Parameters<WebSocketEndpoint['injectWebSocket']>[0];

export interface MessageCenter {
  /** The Hono app: serve it, or mount it with `app.route('/chat', center.app)`. */
  readonly app: HttpApp;
  readonly useCases: UseCases;
  /**
   * Starts answering WebSocket upgrades on a Node server, at `<mount>/api/v1/ws`
   * wherever the app is mounted (`/api/v1/ws` served as it is, `/chat/api/v1/ws`
   * under `app.route('/chat', center.app)`). It takes over the server's upgrade requests.
   */
  attach(server: NodeServer): void;
  /**
   * A short-lived bearer token (15 minutes unless `ttlMs` says otherwise) for
   * your user, to hand to `<mc-message-center token=…>` on your pages. The
   * user is provisioned as by `identity`. Rejects when `username` breaks the
   * username rules (3–32 of `A-Z a-z 0-9 _ . -`) or, on first sight, is taken.
   */
  issueToken(user: HostUser, options?: { readonly ttlMs?: number }): Promise<HostToken>;
  /**
   * Call it when your application signs a user out: every session of that
   * user ends on every process (tokens from `issueToken` stop working) and
   * their open WebSockets close with 4401. A user never seen here: nothing.
   */
  signOut(user: Pick<HostUser, 'id'>): Promise<void>;
  /** The older form of `attach`: upgrades are routed through `servedApp` (the app the server serves). */
  attachWebSocket(server: NodeServer, servedApp?: { request: HttpApp['request'] }): void;
  /** Mails and other work done after an answer: how many have failed (each is logged). */
  readonly background: { readonly failures: number; settled(): Promise<void> };
  /**
   * The first step of a graceful stop: closes every WebSocket with 1001 and
   * refuses new ones, while HTTP requests in flight go on, with the store
   * and Redis still there to finish them (a send still notifies).
   */
  closeConnections(): void;
  /** Closes WebSockets with 1001, stops the sweep, lets queued mails go, disconnects Redis and closes the store. Call it once requests have drained. */
  close(): Promise<void>;
}

const DEFAULT_SWEEP_INTERVAL_MS = 10 * 60 * 1000;
const WS_PATH = '/api/v1/ws';
const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:8000';
/** Queued mails get this long at shutdown. */
const MAIL_DRAIN_MS = 2_000;
const DEFAULT_SESSION_CACHE_MS = 5_000;

/** The composition root: every adapter bound to the core's ports in one Inversify container. */
export async function createMessageCenter(options: MessageCenterOptions = {}): Promise<MessageCenter> {
  const logger = options.logger ?? jsonLinesLogger;
  const registry = new ConnectionRegistry({ onError: (error) => logger.error({ msg: 'websocket send failed', error: String(error) }) });
  const storage = await openStorage(storageOptionOf(options), {
    requireStore: options.requireStore ?? true,
    onNotReady: (error) => logger.error({ msg: 'database not ready; answering 503 until it is', error: String(error) }),
  });
  // The session cache, once made, sits in front of the registry: it must hear every end-sessions.
  let delivery: LocalDelivery = registry;
  const deliverLocally: LocalDelivery = { deliver: (notification) => delivery.deliver(notification) };
  let sessionCache: CachedAuthenticate | undefined;
  // Made once the use cases exist, which need the notifier first.
  let ws: WebSocketEndpoint | undefined;
  const notifierOption = options.notifier ?? (options.redisUrl as NotifierOption | undefined);
  const notifier = await openNotifier(notifierOption, deliverLocally, {
    channelPrefix: options.redisChannelPrefix,
    presenceGraceMs: options.presenceGraceMs,
    presenceLease: options.presenceLease,
    onError: (error) => logger.error({ msg: 'redis fan-out failed', error: String(error) }),
    onPresenceError: (error) => logger.error({ msg: 'redis presence failed', error: String(error) }),
    // An end-sessions published while the subscription was down never
    // arrived here: the store says which of this process's sockets to close.
    onResubscribed: () => {
      sessionCache?.forgetAll();
      void ws?.recheckSessions();
    },
  }).catch(async (error: unknown) => {
    await storage.close();
    throw error;
  });
  let limits: OpenedLimits;
  try {
    limits = await openLimits(options.limits, {
      redisUrl: typeof notifierOption === 'string' ? notifierOption : undefined,
      keyPrefix: options.redisChannelPrefix,
      onError: (error) => logger.error({ msg: 'redis limits failed; counting in this process meanwhile', error: String(error) }),
    });
  } catch (error) {
    await notifier.close();
    await notifier.presence.close();
    await storage.close();
    throw error;
  }

  const mail = openMailer(options.mail);
  // A failed mail is the operator's to know about, never the requester's; its error carries no token.
  const background = new BackgroundTasks((task, error) => logger.error({ msg: `${task} failed`, error: String(error) }));

  const container = new Container();
  container.bind(LOCAL_DELIVERY).toConstantValue(deliverLocally);
  bindPorts(container, {
    ...storage.ports,
    mailer: mail.mailer,
    background,
    notifier: notifier.notifier,
    presence: notifier.presence,
    hasher: boundedHasher(options.passwordHasher ?? new ScryptPasswordHasher(), options.passwordHashing),
    limits: limits.limits,
    tokenGenerator: new RandomTokenGenerator(),
    clock: systemClock,
    config: { ...defaultCoreConfig, ...options.config },
  });
  container.load(coreModule, ...(options.modules ?? []));
  const resolved = resolveUseCases(container);
  const overRedis = typeof notifierOption === 'string' && /^rediss?:/.test(notifierOption);
  const sessionCacheMs = options.sessionCacheMs ?? (overRedis ? DEFAULT_SESSION_CACHE_MS : 0);
  if (sessionCacheMs > 0) {
    sessionCache = new CachedAuthenticate(resolved.authenticate, systemClock, { ttlMs: sessionCacheMs });
    delivery = sessionCache.delivery(registry);
  }
  const useCases: UseCases = sessionCache ? { ...resolved, authenticate: sessionCache } : resolved;
  // From the container, so a host module's rebinding reaches the sockets too.
  const presence = container.get(PORTS.Presence);

  const originPolicy = new OriginPolicy(options.allowedOrigins ?? []);
  const webRoot = options.webRoot === undefined ? builtWebRoot() : options.webRoot;
  const embeddableScript = options.webRoot === false ? undefined : builtWebBundle();
  const identify = hostIdentify(options.identity, useCases);
  const app = createHttpApp({
    ...(identify ? { identify } : {}),
    useCases,
    originPolicy,
    config: { secureCookies: options.secureCookies ?? false },
    healthCheck: storage.healthCheck,
    ...(storage.ready ? { storeReady: storage.ready } : {}),
    logger,
    ...(options.trustProxy?.length ? { clientAddress: behindProxies(options.trustProxy) } : {}),
    overload: options.overload ?? false,
    ...(webRoot ? { staticAssets: { root: webRoot } } : {}),
    ...(embeddableScript ? { embeddableScript } : {}),
  });
  if (options.webRoot === undefined && !webRoot) app.get('/', (c) => c.text(WEB_NOT_BUILT));

  const endpoint = createWebSocketEndpoint({
    ...(identify ? { identify } : {}),
    useCases,
    originPolicy,
    registry,
    presence: { tracker: presence, watchPresence: useCases.watchPresence },
    relayTyping: useCases.relayTyping,
    maxConnectionsPerUser: options.webSocketLimits?.maxConnectionsPerUser ?? DEFAULT_WEBSOCKET_LIMITS.maxConnectionsPerUser,
    maxFrameRate: options.webSocketLimits?.frameRate ?? DEFAULT_WEBSOCKET_LIMITS.frameRate,
    onError: (error) => logger.error({ msg: 'websocket failure (session recheck, presence, typing or upgrade)', error: String(error) }),
  });
  ws = endpoint;
  app.route(WS_PATH, endpoint.routes);

  const sweep = startSweep(storage, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, logger);
  let closed: Promise<void> | undefined;
  return {
    app,
    useCases,
    attach: (server) => endpoint.injectWebSocket(server, wherever(app)),
    async issueToken(user, tokenOptions) {
      const issued = await useCases.issueHostToken.execute(user, tokenOptions);
      if (!issued.ok) throw new Error(`cannot issue a token for ${JSON.stringify(user.username)}: ${describeError(issued.error)}`);
      return issued.value;
    },
    async signOut(user) {
      await useCases.signOutHostUser.execute(user);
    },
    attachWebSocket: (server, servedApp) => endpoint.injectWebSocket(server, servedApp ?? app),
    background,
    closeConnections: () => endpoint.close(),
    close() {
      closed ??= (async () => {
        clearInterval(sweep);
        endpoint.close();
        await Promise.race([background.settled(), new Promise((resolve) => setTimeout(resolve, MAIL_DRAIN_MS).unref())]);
        mail.close();
        await presence.close();
        if (notifier.presence !== presence) await notifier.presence.close();
        await notifier.close();
        await limits.close();
        await storage.close();
      })();
      return closed;
    },
  };
}

function hostIdentify(identity: HostIdentity | undefined, useCases: UseCases) {
  if (!identity) return undefined;
  return async (request: Request): Promise<HostIdentified> => {
    const user = await identity.authenticate(request);
    return user ? useCases.identifyHostUser.execute(user) : { ok: false, error: { kind: 'unauthenticated' } };
  };
}

function describeError(error: { kind: string; issues?: readonly { path: string; message: string }[] }): string {
  return error.issues ? error.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ') : error.kind;
}

function openMailer(options: MessageCenterOptions['mail'] = {}): { mailer: Mailer; close(): void } {
  const settings = { from: options.from ?? DEFAULT_MAIL_FROM, publicUrl: options.publicUrl ?? DEFAULT_PUBLIC_URL };
  if (options.mailer) return { mailer: options.mailer, close: () => {} };
  if (!options.smtpUrl) return { mailer: new ConsoleMailer(settings), close: () => {} };
  const smtp = new SmtpMailer({ url: options.smtpUrl, ...settings });
  return { mailer: smtp, close: () => smtp.close() };
}

function storageOptionOf(options: MessageCenterOptions): StorageOption {
  return options.storage ?? (options.databaseUrl as StorageOption | undefined) ?? DEFAULT_DATABASE_URL;
}

function startSweep(storage: OpenedStorage, everyMs: number, logger: HttpLogger) {
  const { sweep } = storage;
  if (!sweep || everyMs <= 0) return undefined;
  const timer = setInterval(() => {
    sweep().catch((error) => logger.error({ msg: 'sweep failed', error: String(error) }));
  }, everyMs);
  timer.unref();
  return timer;
}

/**
 * Routes an upgrade at `<any prefix>/api/v1/ws` to the center's own endpoint,
 * so the WebSocket follows wherever the host mounted the app without being told.
 */
function wherever(app: HttpApp): RoutingApp {
  return {
    request: (input, init, env) => {
      const url = new URL(input.url);
      if (url.pathname === WS_PATH || !url.pathname.endsWith(WS_PATH)) return app.request(input, init, env);
      url.pathname = WS_PATH;
      return app.request(retarget(input, url.href), init, env);
    },
  };
}
