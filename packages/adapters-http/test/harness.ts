import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { CoreConfig, CorePorts, Notification, SessionStore } from '@message-center/core';
import { createUseCasesFrom, OriginPolicy } from '@message-center/core';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '@message-center/core/crypto';
import { FixedClock, InMemorySessionStore, inMemoryPorts, LocalNotifier } from '@message-center/core/memory';
import { createHttpApp, type HttpApp } from '../src/app.js';
import type { OverloadBounds } from '../src/middleware/overload-guard.js';

export const PASSWORD = 'correct horse battery';
export const SAME_ORIGIN = 'http://localhost';

/** Storage ports for one backend; the rest of the ports are the harness's. */
export type StorageFactory = () => Promise<{
  readonly storage: Pick<CorePorts, 'users' | 'sessions' | 'messages' | 'throttle' | 'tickets' | 'resetTokens'>;
  readonly healthCheck: () => Promise<boolean>;
  readonly close: () => Promise<void>;
}>;

export const memoryStorage: StorageFactory = async () => {
  const { users, sessions, messages, throttle, tickets, resetTokens } = inMemoryPorts();
  return { storage: { users, sessions, messages, throttle, tickets, resetTokens }, healthCheck: async () => true, close: async () => {} };
};

export interface HarnessOptions {
  readonly config?: Partial<CoreConfig>;
  readonly allowedOrigins?: readonly string[];
  readonly secureCookies?: boolean;
  readonly storage?: StorageFactory;
  readonly healthCheck?: () => Promise<boolean>;
  readonly overrides?: Partial<CorePorts>;
  readonly overload?: OverloadBounds | false;
  readonly staticAssets?: { readonly root: string };
  readonly embeddableScript?: string;
}

export interface Harness {
  readonly app: HttpApp;
  readonly ports: CorePorts;
  readonly clock: FixedClock;
  /** What the notifier handed to this process's connections. */
  readonly delivered: Notification[];
  readonly logs: Record<string, unknown>[];
  readonly close: () => Promise<void>;
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const delivered: Notification[] = [];
  const logs: Record<string, unknown>[] = [];
  const clock = new FixedClock('2026-01-01T00:00:00.000Z');
  const backend = await (options.storage ?? memoryStorage)();
  const ports: CorePorts = {
    ...inMemoryPorts({ config: options.config }),
    ...backend.storage,
    notifier: new LocalNotifier({ deliver: (n) => delivered.push(n) }),
    hasher: new ScryptPasswordHasher(TEST_SCRYPT_COST),
    clock,
    ...options.overrides,
  };
  const app = createHttpApp({
    useCases: createUseCasesFrom(ports),
    originPolicy: new OriginPolicy(options.allowedOrigins ?? []),
    config: { secureCookies: options.secureCookies ?? false },
    healthCheck: options.healthCheck ?? backend.healthCheck,
    logger: { info: (e) => logs.push(e), error: (e) => logs.push({ level: 'error', ...e }) },
    // Off unless a test is about it: a test machine's own stalls must not turn answers into 503s.
    overload: options.overload ?? false,
    ...(options.staticAssets ? { staticAssets: options.staticAssets } : {}),
    ...(options.embeddableScript ? { embeddableScript: options.embeddableScript } : {}),
  });
  return { app, ports, clock, delivered, logs, close: backend.close };
}

export interface CallOptions {
  readonly json?: unknown;
  readonly body?: string;
  readonly token?: string;
  readonly cookie?: string;
  readonly headers?: Record<string, string>;
}

/** One request through `app.request()`; a cookie request names the app's own origin unless told otherwise. */
export function call(app: HttpApp, method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.cookie !== undefined) {
    headers.Cookie = `mc_session=${options.cookie}`;
    if (method !== 'GET') headers.Origin = SAME_ORIGIN;
  }
  return Promise.resolve(app.request(path, { method, headers: { ...headers, ...options.headers }, body }));
}

export interface Account {
  readonly user: { id: string; username: string };
  readonly token: string;
}

export async function register(app: HttpApp, username: string, password = PASSWORD): Promise<Account> {
  const res = await call(app, 'POST', '/api/v1/auth/register', { json: { username, password } });
  if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Account;
}

export async function send(app: HttpApp, from: Account, recipient: string, body: string, clientId?: string) {
  const res = await call(app, 'POST', '/api/v1/messages', { token: from.token, json: { recipient, body, clientId } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`send: ${res.status} ${await res.text()}`);
  return (await res.json()) as MessageJson;
}

export interface MessageJson {
  id: string;
  sender: string;
  recipient: string;
  body: string;
  createdAt: string;
}

export async function problemOf(res: Response, status: number, slug: string) {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status} ${slug}, got ${res.status}: ${text}`);
  if (!res.headers.get('content-type')?.startsWith('application/problem+json')) throw new Error(`not problem+json: ${text}`);
  const problem = JSON.parse(text) as { type: string; status: number; title: string; detail: string; errors?: { path: string }[] };
  if (problem.type !== `/problems/${slug}` || problem.status !== status) throw new Error(`expected ${slug}: ${text}`);
  return problem;
}

/** An app on a real socket on loopback, for what only a socket shows: aborts, resets, peer addresses. */
export async function listenOnLoopback(app: { fetch: HttpApp['fetch'] }): Promise<{ server: ServerType; port: number }> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A session store whose lookups, once `hold()` is called, wait until `release()`: requests that stay in flight. */
export function heldSessions() {
  let holding = false;
  const waiting: Array<() => void> = [];
  const sessions = new InMemorySessionStore();
  const store: SessionStore = Object.assign(Object.create(sessions) as SessionStore, {
    findByTokenHash: async (hash: string, now: Date) => {
      if (holding) await new Promise<void>((resolve) => waiting.push(resolve));
      return sessions.findByTokenHash(hash, now);
    },
  });
  return {
    store,
    hold: () => {
      holding = true;
    },
    get waiting() {
      return waiting.length;
    },
    release: () => {
      holding = false;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}
