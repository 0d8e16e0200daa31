import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '@message-center/core/crypto';
import WebSocket from 'ws';
import { createMessageCenter, type MessageCenter, type MessageCenterOptions } from '../src/message-center.js';

export const PASSWORD = 'correct horse battery';
export const quietLogger = { info: () => {}, error: () => {} };

export interface Running {
  readonly center: MessageCenter;
  readonly server: ServerType;
  readonly base: string;
  readonly wsBase: string;
  stop(): Promise<void>;
}

/** A temporary directory that removes itself. */
export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'mc-server-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The whole server on a real socket on an ephemeral port. */
export async function startCenter(options: MessageCenterOptions): Promise<Running> {
  const center = await createMessageCenter({
    passwordHasher: new ScryptPasswordHasher(TEST_SCRYPT_COST),
    logger: quietLogger,
    webRoot: false,
    ...options,
  });
  const server = serve({ fetch: center.app.fetch, port: 0, hostname: '127.0.0.1' });
  center.attachWebSocket(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    center,
    server,
    base: `http://127.0.0.1:${port}`,
    wsBase: `ws://127.0.0.1:${port}`,
    async stop() {
      await center.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Account {
  readonly user: { id: string; username: string };
  readonly token: string;
}

export async function api(base: string, method: string, path: string, token?: string, json?: unknown): Promise<Response> {
  return fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

export async function registerUser(base: string, username: string): Promise<Account> {
  const res = await api(base, 'POST', '/auth/register', undefined, { username, password: PASSWORD });
  if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Account;
}

export async function logIn(base: string, username: string): Promise<Account> {
  const res = await api(base, 'POST', '/auth/login', undefined, { username, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return (await res.json()) as Account;
}

export async function sendMessage(base: string, from: Account, recipient: string, body: string) {
  const res = await api(base, 'POST', '/messages', from.token, { recipient, body });
  if (res.status !== 201) throw new Error(`send: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; sender: string; recipient: string; body: string; createdAt: string };
}

/** A WebSocket client that keeps every frame, so a test can wait for the one it expects. */
export class Client {
  readonly frames: Record<string, unknown>[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Record<string, unknown>);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(wsBase: string, token: string, path = '/api/v1/ws'): Promise<Client> {
    return Client.ready(new WebSocket(`${wsBase}${path}`, { headers: { Authorization: `Bearer ${token}` } }));
  }

  /** A socket opened with other credentials (a host's cookie), once its `ready` frame is in. */
  static async ready(socket: WebSocket): Promise<Client> {
    const client = new Client(socket);
    await client.next((f) => f.type === 'ready');
    return client;
  }

  /** The first frame (already received or still to come) that matches. */
  async next(match: (frame: Record<string, unknown>) => boolean, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  close(): Promise<unknown> {
    this.socket.close(1000);
    return this.closed;
  }
}
