import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { DEFAULT_OVERLOAD_BOUNDS } from '@message-center/adapters-http';
import { DEFAULT_MAX_WAITING_HASHES, HISTORY_PAGE_MAX, type LimitSettings, normalizeOrigin } from '@message-center/core';

/** The standalone server's settings, from the environment variables of API.md. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** `mysql://…`, or `sqlite:<path>`; the embedded SQLite file when unset. */
  readonly databaseUrl: string;
  readonly redisUrl: string | undefined;
  /** Channels of one deployment on a shared Redis; `message-center` by default. */
  readonly redisChannelPrefix: string | undefined;
  readonly messagesToLoad: number;
  readonly maxMessageLength: number;
  readonly allowedOrigins: readonly string[];
  readonly allowRegistration: boolean;
  readonly sessionTtlHours: number;
  /** The address people open; links in mails point there. */
  readonly publicUrl: string;
  /** `smtp://…` or `smtps://…`; unset: mails are printed to standard output. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** API requests are refused with 503 past this event-loop delay (ms) or this many in flight; 0 turns either off. */
  readonly overloadMaxDelayMs: number;
  readonly overloadMaxInFlight: number;
  /** Server processes sharing the port; above 1 needs `redisUrl`. */
  readonly workers: number;
  /** How long a user's last connection may be gone before watchers see them offline. */
  readonly presenceGraceMs: number;
  /** Open WebSockets per user (across processes with Redis); the handshake past it gets 429. 0: no limit. */
  readonly maxConnectionsPerUser: number;
  /** Frames per second a WebSocket may send, sustained (bursts twice that); past it, 1008. 0: no limit. */
  readonly wsFrameRate: number;
  /** The limits of API.md "Limits and overload"; 0 turns each off. */
  readonly limits: LimitSettings;
  /** Password hashes computed at once, and how many may wait for a slot before 503; 0 turns either bound off. */
  readonly passwordHashing: { readonly concurrency: number; readonly maxWaiting: number };
  /** Proxies whose `X-Forwarded-For` names the client. */
  readonly trustProxy: readonly string[];
}

export const DEFAULT_MAIL_FROM = 'Message Center <no-reply@localhost>';
export const MAX_WORKERS = 64;

export const DEFAULT_DATABASE_URL = 'sqlite:./data/message-center.sqlite';

/** API.md's WebSocket limits: `MAX_CONNECTIONS_PER_USER` and `WS_FRAME_RATE`. */
export const DEFAULT_WEBSOCKET_LIMITS = { maxConnectionsPerUser: 20, frameRate: 20 } as const;

/** A bad setting: the message names the variable, for a one-line error at start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): ServerConfig {
  const port = integer(env, 'PORT', 8000, 0, 65535);
  const host = text(env, 'HOST', '127.0.0.1');
  return {
    port,
    host,
    databaseUrl: databaseUrl(env),
    redisUrl: redisUrl(env),
    redisChannelPrefix: raw(env, 'REDIS_CHANNEL_PREFIX'),
    messagesToLoad: integer(env, 'MESSAGES_TO_LOAD', 15, 1, HISTORY_PAGE_MAX),
    // A body larger than this could not fit the 64 KiB request limit anyway.
    maxMessageLength: integer(env, 'MAX_MESSAGE_LENGTH', 5000, 1, 65536),
    allowedOrigins: origins(env),
    allowRegistration: boolean(env, 'ALLOW_REGISTRATION', true),
    sessionTtlHours: positiveNumber(env, 'SESSION_TTL_HOURS', 336),
    publicUrl: publicUrl(env, host, port),
    smtpUrl: smtpUrl(env),
    mailFrom: text(env, 'MAIL_FROM', DEFAULT_MAIL_FROM),
    overloadMaxDelayMs: integer(env, 'OVERLOAD_MAX_DELAY_MS', DEFAULT_OVERLOAD_BOUNDS.maxEventLoopDelayMs, 0, 60_000),
    overloadMaxInFlight: integer(env, 'OVERLOAD_MAX_IN_FLIGHT', DEFAULT_OVERLOAD_BOUNDS.maxInFlight, 0, 1_000_000),
    workers: integer(env, 'WORKERS', 1, 1, MAX_WORKERS),
    presenceGraceMs: integer(env, 'PRESENCE_GRACE_MS', 10_000, 0, 3_600_000),
    maxConnectionsPerUser: integer(env, 'MAX_CONNECTIONS_PER_USER', DEFAULT_WEBSOCKET_LIMITS.maxConnectionsPerUser, 0, 1_000_000),
    wsFrameRate: integer(env, 'WS_FRAME_RATE', DEFAULT_WEBSOCKET_LIMITS.frameRate, 0, 1_000_000),
    limits: limits(env),
    passwordHashing: {
      concurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', availableParallelism(), 0, 1024),
      maxWaiting: integer(env, 'PASSWORD_HASH_QUEUE', DEFAULT_MAX_WAITING_HASHES, 0, 1_000_000),
    },
    trustProxy: proxies(env),
  };
}

/** High enough for a benchmark to set them far above its load ("limits on, but high"). */
const MAX_LIMIT = 1_000_000_000;

function limits(env: Env): LimitSettings {
  return {
    messageRate: integer(env, 'MESSAGE_RATE', 10, 0, MAX_LIMIT),
    registrationRate: integer(env, 'REGISTRATION_RATE', 20, 0, MAX_LIMIT),
    loginFailuresPerAddress: integer(env, 'LOGIN_FAILURES_PER_ADDRESS', 100, 0, MAX_LIMIT),
    wrongPasswordsPerUser: integer(env, 'WRONG_PASSWORDS_PER_USER', 10, 0, MAX_LIMIT),
    passwordResetsPerEmail: integer(env, 'PASSWORD_RESETS_PER_EMAIL', 5, 0, MAX_LIMIT),
    passwordResetsPerAddress: integer(env, 'PASSWORD_RESETS_PER_ADDRESS', 20, 0, MAX_LIMIT),
  };
}

function proxies(env: Env): string[] {
  const value = raw(env, 'TRUST_PROXY');
  if (value === undefined) return [];
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((proxy) => {
      if (isIP(proxy.replace(/^\[(.*)\]$/, '$1')) === 0) {
        throw new ConfigError('TRUST_PROXY', `must be comma-separated IP addresses of your proxies, like 10.0.0.2 (got ${shown(proxy)})`);
      }
      return proxy;
    });
}

/** Unset and empty are the same: `FOO= cmd` is how people clear a variable. */
function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max} (got ${shown(value)})`);
  }
  return n;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = /^[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new ConfigError(name, `must be a positive number (got ${shown(value)})`);
  return n;
}

function text(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false (got ${shown(value)})`);
}

function databaseUrl(env: Env): string {
  const value = raw(env, 'DATABASE_URL');
  if (value === undefined) return DEFAULT_DATABASE_URL;
  if (/^(mysql|mariadb):\/\/[^/]/.test(value) || value.startsWith('sqlite:')) {
    try {
      if (!value.startsWith('sqlite:')) new URL(value);
      return value;
    } catch {
      // Falls through to the error below.
    }
  }
  // The value may hold a password: it is not echoed.
  throw new ConfigError('DATABASE_URL', 'must be mysql://user:password@host:3306/database (or sqlite:<path>)');
}

function redisUrl(env: Env): string | undefined {
  const value = raw(env, 'REDIS_URL');
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if ((url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname) return value;
  } catch {
    // Falls through to the error below.
  }
  throw new ConfigError('REDIS_URL', 'must be redis://host:6379 (or rediss://)');
}

function origins(env: Env): string[] {
  const value = raw(env, 'ALLOWED_ORIGINS');
  if (value === undefined) return [];
  return value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
    .map((origin) => {
      const normalized = normalizeOrigin(origin);
      if (normalized === undefined || normalized === 'null') {
        throw new ConfigError('ALLOWED_ORIGINS', `must be comma-separated origins like https://chat.example.com (got ${shown(origin)})`);
      }
      return normalized;
    });
}

function publicUrl(env: Env, host: string, port: number): string {
  const value = raw(env, 'PUBLIC_URL');
  if (value === undefined) return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    const url = new URL(value);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname && !url.search && !url.hash)
      return value.replace(/\/+$/, '');
  } catch {
    // Falls through to the error below.
  }
  throw new ConfigError(
    'PUBLIC_URL',
    `must be an http:// or https:// address without query or fragment, like https://chat.example.com (got ${shown(value)})`,
  );
}

function smtpUrl(env: Env): string | undefined {
  const value = raw(env, 'SMTP_URL');
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if ((url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname) return value;
  } catch {
    // Falls through to the error below.
  }
  // The value may hold a password: it is not echoed.
  throw new ConfigError('SMTP_URL', 'must be smtp://user:password@host:587 (STARTTLS when offered) or smtps://user:password@host:465');
}
