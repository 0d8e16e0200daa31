import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '@message-center/core/crypto';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMessageCenter } from '../src/message-center.js';
import { conversationFlow } from './flow.js';
import { Client, quietLogger, type Running, registerUser, startCenter, tempDir } from './support.js';

describe('the whole server on SQLite, over real sockets', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(): Promise<Running> {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const running = await startCenter({ databaseUrl: `sqlite:${join(dir.path, 'data', 'mc.sqlite')}` });
    cleanups.push(running.stop);
    return running;
  }

  it('delivers, catches up and ends sessions as API.md says', async () => {
    await conversationFlow(await start());
  });

  it('closes WebSockets with 1001 on close()', async () => {
    const running = await start();
    const alice = await registerUser(running.base, 'alice');
    const client = await Client.open(running.wsBase, alice.token);
    await running.center.close();
    expect((await client.closed).code).toBe(1001);
  });

  it('refuses a handshake without a credential with a plain 401', async () => {
    const running = await start();
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${running.wsBase}/api/v1/ws`, { headers });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => reject(new Error('upgraded')));
        socket.on('error', () => {});
      });
    expect(await status({})).toBe(401);
    expect(await status({ Authorization: 'Bearer forged' })).toBe(401);
    const alice = await registerUser(running.base, 'alice');
    expect(await status({ Cookie: `mc_session=${alice.token}`, Origin: 'https://evil.example' })).toBe(403);
  });

  it('mounts under a prefix inside an existing Hono app, WebSocket included', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const center = await createMessageCenter({
      databaseUrl: `sqlite:${join(dir.path, 'mc.sqlite')}`,
      passwordHasher: new ScryptPasswordHasher(TEST_SCRYPT_COST),
      logger: quietLogger,
      webRoot: false,
    });
    const outer = new Hono();
    outer.get('/', (c) => c.text('my own app'));
    outer.route('/chat', center.app);
    const server = serve({ fetch: outer.fetch, port: 0, hostname: '127.0.0.1' });
    center.attachWebSocket(server, outer);
    cleanups.push(async () => {
      await center.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await (await fetch(`${base}/`)).text()).toBe('my own app');
    expect(await (await fetch(`${base}/chat/healthz`)).json()).toEqual({ status: 'ok' });
    const alice = await registerUser(`${base}/chat`, 'alice');
    const client = await Client.open(base.replace('http', 'ws'), alice.token, '/chat/api/v1/ws');
    expect(client.frames[0]).toEqual({ type: 'ready', user: alice.user });
    await client.close();
  });
});
