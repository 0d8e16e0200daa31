import { serveStatic } from '@hono/node-server/serve-static';
import type { OriginPolicy, UseCases } from '@message-center/core';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { type AppEnv, type HttpLogger, jsonLinesLogger } from './env.js';
import { bodyLimit } from './middleware/body-limit.js';
import { clientAborted } from './middleware/client-abort.js';
import { type ClientAddressOf, socketAddress } from './middleware/client-address.js';
import { refusingEarly } from './middleware/early-refusal.js';
import { originGuard } from './middleware/origin-guard.js';
import {
  DEFAULT_OVERLOAD_BOUNDS,
  eventLoopDelay,
  exemptFromOverload,
  type OverloadBounds,
  OverloadGate,
  overloadGuard,
} from './middleware/overload-guard.js';
import { requestLog } from './middleware/request-log.js';
import { type Identify, requireSession } from './middleware/require-session.js';
import { staticMethodsOnly } from './middleware/static-methods.js';
import { ProblemException, problemFor, problemOf, problemResponse } from './problems/problem.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { newRouter, type RouteDeps } from './routes/deps.js';
import { healthRoutes } from './routes/health.js';
import { messageRoutes } from './routes/messages.js';
import { userRoutes } from './routes/users.js';
import { describeWebSocket } from './routes/websocket-doc.js';

export const API_BASE = '/api/v1';

const gates = new WeakMap<object, OverloadGate>();

type NodeRequestListener = Parameters<typeof refusingEarly>[1];

/**
 * For a Node server that serves this app as it is (not mounted under a
 * prefix): its request listener, made to refuse API requests while the app is
 * overloaded before they reach Hono, as the app itself would answer them.
 * Without an overload bound, the listener as it is.
 */
export function withEarlyOverloadRefusal(app: object, listener: NodeRequestListener): NodeRequestListener {
  const gate = gates.get(app);
  return gate ? refusingEarly(gate, listener, API_BASE) : listener;
}
export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpAppOptions {
  readonly useCases: UseCases;
  /** Which origins may act with a user's cookie (CSRF) and read answers cross-origin (CORS). */
  readonly originPolicy: OriginPolicy;
  readonly config?: {
    /** Mark the session cookie `Secure` on every answer, not only on those to HTTPS requests. */
    readonly secureCookies?: boolean;
  };
  /** `true` when the store answers; behind `GET /healthz`. */
  readonly healthCheck: () => Promise<boolean>;
  readonly logger?: HttpLogger;
  /** Who the client is, for the limits per client address: the socket's peer unless you say otherwise (`behindProxies`). */
  readonly clientAddress?: ClientAddressOf;
  /**
   * Awaited before every API request (WebSocket handshakes included): it
   * may throw `StoreUnavailable` to answer 503, e.g. while the schema is not
   * migrated yet because the database was down at start.
   */
  readonly storeReady?: () => Promise<void>;
  /**
   * When API requests are refused with 503 because the process cannot keep up;
   * `false` to never refuse. Defaults: `DEFAULT_OVERLOAD_BOUNDS`.
   */
  readonly overload?: OverloadBounds | false;
  /** A directory of static files (the built web UI) served at `/`. */
  readonly staticAssets?: { readonly root: string };
  /** The embeddable script file, served at `/bundle/message-center.js` to pages on any origin. */
  readonly embeddableScript?: string;
  /**
   * The host application decides who the caller is (its own sign-in) for every
   * request without a bearer token. Sign-up, login, password and email routes
   * then answer 404: there is no password here to check or change.
   */
  readonly identify?: Identify;
}

/** The routes of accounts that this server's passwords guard; a host's identity replaces them. */
const PASSWORD_ROUTES = ['register', 'login', 'password', 'password-reset', 'password-reset/confirm', 'email'];

/**
 * The whole REST API of API.md as one Hono app. Mount it as it is, or under a
 * prefix with `app.route('/chat', createHttpApp(...))`.
 */
export function createHttpApp(options: HttpAppOptions) {
  const logger = options.logger ?? jsonLinesLogger;
  const app = newRouter();

  const corsHeaders = cors({
    // Same-origin requests need no CORS; this lets the configured extra origins read answers.
    origin: (origin, c) => (options.originPolicy.allows(origin, c.req.header('host')) ? origin : null),
    credentials: true,
    allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
  // First of all, so that a refusal costs no other work. A preflight carries no work and is answered by CORS
  // below; a refusal to a page on another origin carries the CORS headers, or its browser would show that
  // page a network error instead of the 503 and its Retry-After.
  const overload = options.overload ?? DEFAULT_OVERLOAD_BOUNDS;
  if (overload) {
    const gate = new OverloadGate(overload, eventLoopDelay());
    gates.set(app, gate);
    const guard = overloadGuard(gate, (c, refusal) =>
      c.req.header('origin') === undefined
        ? refusal
        : corsHeaders(c, async () => {
            c.res = refusal;
          }).then(() => c.res),
    );
    app.use(`${API_BASE}/*`, (c, next) => (exemptFromOverload(c.req.method) ? next() : guard(c, next)));
  }
  app.use(requestId());
  app.use(requestLog(logger));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Lit's static styles use adopted style sheets, but `style=""` attributes need this.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The page's own origin over WebSocket, not any `ws:`/`wss:` host an injected script might exfiltrate to.
        connectSrc: ["'self'", (c) => sameHostSockets(c.req.header('host') ?? new URL(c.req.url).host)],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  // A request without Origin is not a cross-origin browser request: CORS has nothing to add to it.
  app.use(`${API_BASE}/*`, (c, next) => (c.req.header('origin') === undefined ? next() : corsHeaders(c, next)));
  app.use(`${API_BASE}/*`, bodyLimit(MAX_BODY_BYTES));
  app.use(`${API_BASE}/*`, originGuard(options.originPolicy, { hostCookies: options.identify !== undefined }));
  if (options.identify) {
    for (const route of PASSWORD_ROUTES)
      app.all(`${API_BASE}/auth/${route}`, () => problemResponse({ problem: problemOf('not-found', 'No such route.') }));
  }
  const { storeReady } = options;
  if (storeReady) {
    app.use(`${API_BASE}/*`, async function storeGate(_c, next) {
      await storeReady();
      await next();
    });
  }

  const sessionCheck = requireSession(options.useCases.authenticate, options.identify);
  const deps: RouteDeps = {
    useCases: options.useCases,
    // Per route rather than per path, so an unknown method on a known path is still a 404.
    withSession: (route) => ({ ...route, middleware: [sessionCheck] }),
    cookies: { secureCookies: options.config?.secureCookies ?? false },
    clientAddress: options.clientAddress ?? socketAddress,
  };
  app.route(`${API_BASE}/auth`, authRoutes(deps));
  app.route(`${API_BASE}/users`, userRoutes(deps));
  app.route(`${API_BASE}/messages`, messageRoutes(deps));
  app.route(`${API_BASE}/conversations`, conversationRoutes(deps));
  app.route('/', healthRoutes(options.healthCheck));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookie', { type: 'apiKey', in: 'cookie', name: 'mc_session' });
  describeWebSocket(app, `${API_BASE}/ws`);
  // With a host's identity the password routes answer 404, so the document does not offer them.
  const hiddenPaths = options.identify ? PASSWORD_ROUTES.map((route) => `${API_BASE}/auth/${route}`) : [];
  app.get(`${API_BASE}/openapi.json`, (c) => {
    const document = app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Message Center',
        version: '1.0.0',
        description:
          'Person-to-person messaging. Errors are RFC 9457 application/problem+json. Cookie-authenticated POSTs need an allowed Origin ' +
          '(or Sec-Fetch-Site: same-origin); bearer requests are exempt. Notifications: WebSocket at GET /api/v1/ws (see API.md).',
      },
      // Wherever the host mounted the app: the paths below start at /api/v1 or /healthz.
      servers: [{ url: mountPoint(c.req.path), description: 'this server' }],
    });
    for (const path of hiddenPaths) delete document.paths?.[path];
    return c.json(document);
  });

  const appPaths = [API_BASE, '/healthz'];
  if (options.staticAssets || options.embeddableScript) app.use('/*', staticMethodsOnly(appPaths));
  if (options.embeddableScript) app.get('/bundle/message-center.js', publicScript(options.embeddableScript));
  if (options.staticAssets) app.use('/*', filesOutside(appPaths, serveStatic({ root: options.staticAssets.root })));

  app.notFound(() => problemResponse({ problem: problemOf('not-found', 'No such route.') }));
  app.onError((error, c) =>
    // Reading the body of a request its client abandoned fails; that is the client's doing, not ours.
    clientAborted(c)
      ? problemResponse({ problem: problemOf('malformed-json', 'The request ended before its body did.') })
      : answerError(error, c.get('requestId'), logger),
  );
  return app;
}

/** The prefix a host mounted the app under (`/chat`), or `/` served as it is. */
function mountPoint(documentPath: string): string {
  const prefix = documentPath.slice(0, documentPath.length - `${API_BASE}/openapi.json`.length);
  return prefix === '' ? '/' : prefix;
}

function answerError(error: Error, requestId: string | undefined, logger: HttpLogger): Response {
  if (error instanceof ProblemException) return problemResponse(error.answer);
  const overloaded = overloadOf(error);
  if (overloaded) return problemResponse(problemFor({ kind: 'overloaded', retryAfterSeconds: overloaded.retryAfterSeconds }));
  if (isStoreUnavailable(error)) {
    logger.error({ msg: 'store unavailable', requestId, error: describe(error) });
    return problemResponse({ problem: problemOf('unavailable', 'The store is unavailable; try again shortly.') });
  }
  if (error instanceof HTTPException && error.status === 400) {
    // Hono's JSON validator throws this, and only this, for a body it cannot parse.
    return problemResponse({ problem: problemOf('malformed-json', 'The request body is not valid JSON.') });
  }
  if (error instanceof HTTPException && error.status === 415) {
    // Kept within the contract's problem types: a body that is not JSON is an invalid request.
    return problemResponse({
      problem: problemOf('validation-failed', 'The request body must be JSON.', [{ path: 'body', message: 'must be application/json' }]),
    });
  }
  logger.error({ msg: 'unhandled error', requestId, error: describe(error) });
  return problemResponse({ problem: problemOf('internal', `Something went wrong on our side. Request id: ${requestId ?? 'none'}.`) });
}

/**
 * The files' handler, kept off the API's paths: routes added after this app
 * was made (the WebSocket endpoint) and unknown API paths would otherwise
 * reach it, and each would cost a file-system lookup (every WebSocket handshake one).
 */
function filesOutside(appPaths: readonly string[], files: MiddlewareHandler): MiddlewareHandler {
  return function filesOffAppPaths(c, next) {
    return appPaths.some((prefix) => c.req.path.startsWith(prefix)) ? next() : files(c, next);
  };
}

/**
 * Public code, not data: any page may load it. A module script is fetched in
 * CORS mode, so it needs this header (and Cross-Origin-Resource-Policy does not apply).
 */
function publicScript(file: string) {
  return serveStatic({ path: file, onFound: (_path, c) => c.header('Access-Control-Allow-Origin', '*') });
}

/** By name, like `StoreUnavailable`: refused work is an expected answer, not an error to log. */
function overloadOf(error: unknown): { retryAfterSeconds: number } | undefined {
  if (!(error instanceof Error) || error.name !== 'Overloaded') return undefined;
  const seconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return { retryAfterSeconds: typeof seconds === 'number' && seconds >= 1 ? Math.ceil(seconds) : 1 };
}

/** By name as well as class: an embedding app may load a second copy of the core. */
function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'StoreUnavailable') return true;
  }
  return false;
}

function describe(error: Error): string {
  return error.stack ?? `${error.name}: ${error.message}`;
}

export type HttpApp = ReturnType<typeof createHttpApp>;
export type { AppEnv, HttpLogger };

/** `ws://host wss://host` for the request's own host (the scheme the page uses is not known here), or nothing for a host that is not one. */
function sameHostSockets(host: string | undefined): string {
  if (!host || !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return '';
  return `ws://${host} wss://${host}`;
}
