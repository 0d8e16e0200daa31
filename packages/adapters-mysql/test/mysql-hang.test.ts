import { Overloaded, StoreUnavailable } from '@message-center/core';
import { aUser } from '@message-center/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { type OpenDatabase, openDatabase } from '../src/database.js';
import { checkHealth } from '../src/health.js';
import { type KyselyStorage, kyselyStorage } from '../src/storage.js';
import { clearTables } from './support/clear-tables.js';
import { adminConnection } from './support/mysql-server.js';
import { describeMysql, useMysqlDatabase } from './support/mysql-suite.js';

/** What the contract allows a send on a silent store; each store call must answer well within it. */
const CONTRACT_MS = 2_000;

const settle = async <T>(work: Promise<T>) => {
  const started = Date.now();
  const outcome = await work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, ms: Date.now() - started };
};

/**
 * The suite's database behind a TCP proxy the test can freeze (`proxy().hang()`),
 * opened with these URL parameters; the proxy resumes and the tables are cleared after each test.
 */
function behindProxy(mysql: ReturnType<typeof useMysqlDatabase>, parameters: Record<string, string>) {
  let proxy: TcpProxy;
  let database: OpenDatabase;
  let store: KyselyStorage;
  beforeAll(async () => {
    const proxied = await TcpProxy.inFrontOf(mysql().databaseUrl);
    proxy = proxied.proxy;
    const url = new URL(proxied.url);
    for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
    database = openDatabase(url.toString());
    store = kyselyStorage(database);
  });
  afterAll(async () => {
    proxy.resume();
    await database.close();
    await proxy.cut();
  });
  afterEach(async () => {
    proxy.resume();
    await clearTables(mysql().database.db);
  });
  return { proxy: () => proxy, database: () => database, store: () => store };
}

/** Healed: the same pool works again, on fresh connections, for a send from `sender` to bob. */
async function expectToSendAgain(store: KyselyStorage, sender: { id: string }) {
  const sent = await store.messages.append({ senderId: sender.id, recipient: 'bob', body: 'after', clientId: null, createdAt: new Date() });
  expect(sent.ok && sent.value.created).toBe(true);
}

describeMysql('MySQL that stops answering (connections hang instead of failing)', () => {
  const mysql = useMysqlDatabase();
  // A small pool, so a test can tell queueing for a connection from waiting on one.
  const { proxy, database: hung, store } = behindProxy(mysql, { connectionLimit: '4' });

  it('fails every kind of call with StoreUnavailable (or, queued behind the 4 busy connections, Overloaded) within the budget', async () => {
    const direct = kyselyStorage(mysql().database);
    const alice = await aUser(direct.users, 'alice');
    const bob = await aUser(direct.users, 'bob');
    // Warm: the pool holds open connections, which go silent with the rest.
    await checkHealth(hung().db);

    proxy().hang();
    const calls = [
      ...Array.from({ length: 12 }, (_, i) =>
        store().messages.append({ senderId: alice.id, recipient: 'bob', body: `hung ${i}`, clientId: `c${i}`, createdAt: new Date() }),
      ),
      store().users.findByUsername('bob'),
      store().messages.after({ userId: bob.id, afterId: '0', limit: 10 }),
      checkHealth(hung().db),
    ];
    const outcomes = await Promise.all(calls.map((call) => settle(call as Promise<unknown>)));
    for (const outcome of outcomes) {
      // A call that found all 4 connections busy cannot tell a hung server from a saturated one: both are 503.
      const error = (outcome as { error?: unknown }).error;
      expect(error instanceof StoreUnavailable || error instanceof Overloaded).toBe(true);
      expect(outcome.ms).toBeLessThan(CONTRACT_MS);
    }
    expect(outcomes.filter((o) => (o as { error?: unknown }).error instanceof StoreUnavailable).length).toBeGreaterThanOrEqual(4);
    // A send is one CALL whose COMMIT is the server's: a CALL the partition held may still reach the
    // server when it heals, and commit then, as a COMMIT whose answer was lost would. What the clients
    // do about a 503, retry with the same clientId, must then end with each message stored exactly once.
    proxy().resume();
    const retries = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store().messages.append({ senderId: alice.id, recipient: 'bob', body: `hung ${i}`, clientId: `c${i}`, createdAt: new Date() }),
      ),
    );
    expect(retries.every((retry) => retry.ok)).toBe(true);
    const stored = await direct.messages.after({ userId: bob.id, afterId: '0', limit: 100 });
    expect(stored.map((m) => m.body).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `hung ${i}`).sort());
    expect((await direct.messages.conversations({ userId: bob.id, limit: 10 }))[0]?.unreadCount).toBe(12);

    // Healed: the same pool works again, on fresh connections.
    await expectToSendAgain(store(), alice);
  });

  /** alice and bob on a healthy pool, and someone holding bob's inbox row: a send to bob inserts its message and then waits on that row. */
  async function aliceWithBobsInboxRowHeld() {
    const direct = kyselyStorage(mysql().database);
    const alice = await aUser(direct.users, 'alice');
    const bob = await aUser(direct.users, 'bob');
    await checkHealth(hung().db);
    const blocker = await holdInboxRowOf(bob, alice);
    return { direct, alice, bob, blocker };
  }

  async function holdInboxRowOf(owner: { id: string }, peer: { id: string }) {
    const blocker = await adminConnection(mysql().databaseUrl);
    await blocker.query(
      'insert into conversations (user_id, peer_id, last_message_id, last_read_id, unread_count) values (?, ?, 0, 0, 0)',
      [owner.id, peer.id],
    );
    await blocker.query('start transaction');
    await blocker.query('select * from conversations where user_id = ? for update', [owner.id]);
    return {
      release: async () => {
        await blocker.query('rollback');
        await blocker.end();
      },
    };
  }

  it('rolls back a send that waited on a lock past its budget: the 503 leaves nothing behind', async () => {
    const { direct, alice, bob, blocker } = await aliceWithBobsInboxRowHeld();
    const outcome = await settle(
      store().messages.append({ senderId: alice.id, recipient: 'bob', body: 'too late', clientId: 'late', createdAt: new Date() }),
    );
    expect(outcome).toMatchObject({ error: expect.any(StoreUnavailable) });
    expect(outcome.ms).toBeLessThan(CONTRACT_MS);
    // The server goes on with the statement the caller gave up on; once the lock is free it must roll back, not commit.
    await blocker.release();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await direct.messages.after({ userId: bob.id, afterId: '0', limit: 10 })).toEqual([]);
    // The row the blocker made, untouched: no unread count for a message that does not exist.
    expect(await direct.messages.conversations({ userId: bob.id, limit: 10 })).toEqual([]);
  });

  it('keeps a send whole when its answer is lost after the store took it: the 503 is followed by a retry that finds it', async () => {
    const { direct, alice, bob, blocker } = await aliceWithBobsInboxRowHeld();
    const sending = settle(
      store().messages.append({ senderId: alice.id, recipient: 'bob', body: 'half way', clientId: 'lost', createdAt: new Date() }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The partition: the server finishes the send within its budget, but its answer never arrives.
    proxy().hang();
    await blocker.release();

    const outcome = await sending;
    expect(outcome).toMatchObject({ error: expect.any(StoreUnavailable) });
    expect(outcome.ms).toBeLessThan(CONTRACT_MS);
    proxy().resume();
    // Committed by the server, as a COMMIT whose answer is lost would be: the message and both inbox rows, or nothing.
    const stored = await direct.messages.after({ userId: bob.id, afterId: '0', limit: 10 });
    expect(stored.map((m) => m.body)).toEqual(['half way']);
    const [row] = await direct.messages.conversations({ userId: bob.id, limit: 10 });
    expect([row?.lastMessage.id, row?.unreadCount]).toEqual([stored[0]?.id, 1]);
    // The client's retry with the same clientId gets the stored message, not a second one.
    const retry = await store().messages.append({
      senderId: alice.id,
      recipient: 'bob',
      body: 'half way',
      clientId: 'lost',
      createdAt: new Date(),
    });
    expect(retry).toEqual({ ok: true, value: { message: stored[0], created: false } });
  });
});

describeMysql('MySQL with every pooled connection busy (API.md, "Limits and overload")', () => {
  const mysql = useMysqlDatabase();
  const { proxy, database: small, store } = behindProxy(mysql, { connectionLimit: '2', poolWaitTimeout: '50', operationTimeout: '1500' });

  it('refuses with Overloaded, after poolWaitTimeout and long before the budget, a call that queues for a connection; writes nothing for it', async () => {
    const direct = kyselyStorage(mysql().database);
    const alice = await aUser(direct.users, 'alice');
    const bob = await aUser(direct.users, 'bob');
    // Opening connections is not queueing: two calls at once on a cold pool both get one.
    await Promise.all([checkHealth(small().db), checkHealth(small().db)]);

    // Both connections busy (their answers held back), a third call would only queue behind them.
    proxy().hang();
    const busy = [settle(store().users.findByUsername('bob')), settle(store().users.findByUsername('alice'))];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queued = await settle(
      store().messages.append({ senderId: alice.id, recipient: 'bob', body: 'queued', clientId: null, createdAt: new Date() }),
    );
    expect(queued).toMatchObject({ error: expect.any(Overloaded) });
    expect(queued.ms).toBeLessThan(1_000);
    for (const outcome of await Promise.all(busy)) expect(outcome).toMatchObject({ error: expect.any(StoreUnavailable) });

    proxy().resume();
    expect(await direct.messages.after({ userId: bob.id, afterId: '0', limit: 10 })).toEqual([]);
    // The connections given up on were dropped: the pool opens new ones and answers again.
    await expectToSendAgain(store(), alice);
  });
});

describe('the budget applies to repository calls only', () => {
  it('is a positive number of milliseconds from the URL', async () => {
    const { operationTimeoutOf, DEFAULT_OPERATION_TIMEOUT_MS } = await import('../src/database.js');
    expect(operationTimeoutOf('mysql://u@h/db')).toBe(DEFAULT_OPERATION_TIMEOUT_MS);
    expect(operationTimeoutOf('mysql://u@h/db?operationTimeout=250')).toBe(250);
    expect(() => operationTimeoutOf('mysql://u:s3cret@h/db?operationTimeout=0')).toThrow(
      /^database url: operationTimeout must be a positive integer$/,
    );
  });

  it('bounds the wait for a busy pool by poolWaitTimeout from the URL', async () => {
    const { poolWaitTimeoutOf, DEFAULT_POOL_WAIT_TIMEOUT_MS } = await import('../src/database.js');
    expect(poolWaitTimeoutOf('mysql://u@h/db')).toBe(DEFAULT_POOL_WAIT_TIMEOUT_MS);
    expect(poolWaitTimeoutOf('mysql://u@h/db?poolWaitTimeout=40')).toBe(40);
  });
});
