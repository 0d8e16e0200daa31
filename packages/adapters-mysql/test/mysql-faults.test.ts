import { StoreUnavailable } from '@message-center/core';
import { aMessage, aUser } from '@message-center/core/testing';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../src/database.js';
import { checkHealth } from '../src/health.js';
import { kyselyStorage } from '../src/storage.js';
import { StorageError } from '../src/store-errors.js';
import { clearTables } from './support/clear-tables.js';
import { adminConnection } from './support/mysql-server.js';
import { describeMysql, useMysqlDatabase } from './support/mysql-suite.js';

/** A port on this machine that nothing listens on: connecting is refused at once. */
const NOTHING_LISTENS = 'mysql://root@127.0.0.1:1/nowhere?connectTimeout=1000';
/** An address that routes nowhere: without a connect timeout this would hang for minutes. */
const BLACK_HOLE = 'mysql://root@10.255.255.1:3306/nowhere?connectTimeout=800';

describe('MySQL that cannot be reached', () => {
  let database: OpenDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  for (const [what, url] of [
    ['a refused port', NOTHING_LISTENS],
    ['an unroutable address', BLACK_HOLE],
  ] as const) {
    it(`gives StoreUnavailable quickly for ${what}, from every kind of call`, async () => {
      database = openDatabase(url);
      const store = kyselyStorage(database);
      const started = Date.now();
      await expect(store.users.findByUsername('alice')).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(
        store.messages.append({ senderId: '1', recipient: 'bob', body: 'x', clientId: null, createdAt: new Date() }),
      ).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(checkHealth(database.db)).rejects.toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  }

  it('says nothing about the cause in the message the edge might show', async () => {
    database = openDatabase(NOTHING_LISTENS);
    const failure = await kyselyStorage(database)
      .users.findById('1')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailable);
    expect((failure as Error).message).toBe('the store is unavailable');
  });
});

describeMysql('MySQL connections killed mid-test', () => {
  const mysql = useMysqlDatabase();
  let database: OpenDatabase;
  beforeAll(async () => {
    // A pool of one connection, so the connection we kill is the one the next call would use.
    const url = new URL(mysql().databaseUrl);
    url.searchParams.set('connectionLimit', '1');
    database = openDatabase(url.toString());
    return () => database.close();
  });
  afterEach(async () => clearTables(database.db));

  const connectionId = async () => String((await sql<{ id: string }>`select connection_id() as id`.execute(database.db)).rows[0]?.id);
  const kill = async (id: string) => {
    const admin = await adminConnection(mysql().serverUrl);
    try {
      await admin.query('KILL ?', [Number(id)]);
    } finally {
      await admin.end();
    }
  };

  it('recovers when an idle pooled connection is killed: the next call fails cleanly or succeeds, the one after succeeds', async () => {
    const store = kyselyStorage(database);
    const alice = await aUser(store.users, 'alice');
    const before = await connectionId();
    await kill(before);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const first = await store.users.findById(alice.id).catch((error: unknown) => error);
    if (first instanceof Error) expect(first).toBeInstanceOf(StoreUnavailable);
    else expect(first).toEqual({ id: alice.id, username: 'alice', passwordHash: 'hash-of-alice', email: null });

    expect(await store.users.findById(alice.id)).toMatchObject({ id: alice.id });
    expect(await connectionId()).not.toBe(before);
  });

  it('turns a connection killed during a call into StoreUnavailable, and the next call succeeds', async () => {
    const store = kyselyStorage(database);
    const alice = await aUser(store.users, 'alice');
    const bob = await aUser(store.users, 'bob');
    const sent = await aMessage(store.messages, { from: alice, to: bob });
    const victim = await connectionId();

    // Someone else holds bob's inbox row, so markRead waits on it inside the server until we kill it.
    const blocker = await adminConnection(mysql().databaseUrl);
    try {
      await blocker.query('start transaction');
      await blocker.query('select * from conversations where user_id = ? and peer_id = ? for update', [bob.id, alice.id]);
      const pending = store.messages.markRead({ userId: bob.id, peerId: alice.id, lastReadId: sent.id }).catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await kill(victim);
      const outcome = await pending;
      expect(outcome).toBeInstanceOf(StoreUnavailable);
      expect((outcome as Error).message).not.toMatch(/select|conversations/i);
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }

    expect(await store.messages.markRead({ userId: bob.id, peerId: alice.id, lastReadId: sent.id })).toEqual({
      lastReadId: sent.id,
      moved: true,
    });
    await expect(checkHealth(database.db)).resolves.toBeUndefined();
  });

  it('reports a broken query as a StorageError that names no SQL', async () => {
    const { guarded } = await import('../src/store-errors.js');
    const { mysqlDialect } = await import('../src/dialects/mysql.js');
    const failure = await guarded(mysqlDialect, () => sql`select * from no_such_table`.execute(database.db)).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).not.toBeInstanceOf(StoreUnavailable);
    expect((failure as Error).message).toBe('storage operation failed (ER_NO_SUCH_TABLE)');
  });
});
