import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { LOCAL_DELIVERY, type LocalDelivery, type Notification, type Notifier, PORTS } from '@message-center/core';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '@message-center/core/crypto';
import { inMemoryPorts, LocalNotifier } from '@message-center/core/memory';
import { Hono } from 'hono';
import { ContainerModule } from 'inversify';
import { afterEach, describe, expect, it } from 'vitest';
import { createMessageCenter, type MessageCenterOptions } from '../src/index.js';
import { Client, quietLogger, registerUser, sendMessage } from './support.js';

/** A host app that mounts the center under /chat and serves on a real socket. */
async function hostUnderChat(options: MessageCenterOptions) {
  const center = await createMessageCenter({
    passwordHasher: new ScryptPasswordHasher(TEST_SCRYPT_COST),
    logger: quietLogger,
    webRoot: false,
    ...options,
  });
  const host = new Hono();
  host.get('/', (c) => c.text('host'));
  host.route('/chat', center.app);
  const server = serve({ fetch: host.fetch, port: 0, hostname: '127.0.0.1' });
  center.attach(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    center,
    base: `http://127.0.0.1:${port}/chat`,
    wsBase: `ws://127.0.0.1:${port}`,
    async stop() {
      await center.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('createMessageCenter for embedding', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  const start = async (options: MessageCenterOptions) => {
    const running = await hostUnderChat(options);
    stops.push(running.stop);
    return running;
  };

  it("runs on storage: 'memory', its WebSocket following the mount point", async () => {
    const running = await start({ storage: 'memory' });
    const alice = await registerUser(running.base, 'alice');
    const bob = await registerUser(running.base, 'bob');
    const socket = await Client.open(running.wsBase, bob.token, '/chat/api/v1/ws');
    const sent = await sendMessage(running.base, alice, 'bob', 'hi');
    expect(await socket.next((f) => f.type === 'message.created')).toEqual({
      type: 'message.created',
      id: sent.id,
      sender: 'alice',
      recipient: 'bob',
    });
    expect(await (await fetch(`${running.base}/healthz`)).json()).toEqual({ status: 'ok' });
    await socket.close();
  });

  it('takes storage adapter instances', async () => {
    const { users, sessions, messages, throttle, tickets } = inMemoryPorts();
    const running = await start({ storage: { users, sessions, messages, throttle, tickets } });
    const alice = await registerUser(running.base, 'alice');
    expect(await users.findById(alice.user.id)).toMatchObject({ username: 'alice' });
  });

  it('takes a notifier built from the local delivery', async () => {
    const seen: Notification[] = [];
    const notifier = (delivery: LocalDelivery): Notifier => {
      const local = new LocalNotifier(delivery);
      return {
        publish: (n) => {
          seen.push(n);
          return local.publish(n);
        },
      };
    };
    const running = await start({ storage: 'memory', notifier });
    const alice = await registerUser(running.base, 'alice');
    await registerUser(running.base, 'bob');
    await sendMessage(running.base, alice, 'bob', 'hi');
    expect(seen.map((n) => (n.kind === 'event' ? n.event.type : n.kind))).toContain('message.created');
  });

  it('lets a host module rebind a port, with the local delivery at hand', async () => {
    const seen: string[] = [];
    const module = new ContainerModule(({ rebind }) => {
      rebind(PORTS.Notifier).toResolvedValue(
        (delivery: LocalDelivery) => {
          const local = new LocalNotifier(delivery);
          const notifier: Notifier = {
            publish: (n: Notification) => {
              if (n.kind === 'event') seen.push(n.event.type);
              return local.publish(n);
            },
          };
          return notifier;
        },
        [LOCAL_DELIVERY],
      );
    });
    const running = await start({ storage: 'memory', modules: [module] });
    const alice = await registerUser(running.base, 'alice');
    const bob = await registerUser(running.base, 'bob');
    const socket = await Client.open(running.wsBase, bob.token, '/chat/api/v1/ws');
    await sendMessage(running.base, alice, 'bob', 'hi');
    await socket.next((f) => f.type === 'message.created');
    expect(seen).toContain('message.created');
    await socket.close();
  });
});
