import { StoreUnavailable } from '@message-center/core';
import { aSession, aTokenHash, aUser } from '@message-center/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type StorageDatabase } from '../src/database.js';
import { checkHealth } from '../src/health.js';
import { migrate } from '../src/migrate.js';
import { type KyselyStorage, kyselyStorage } from '../src/storage.js';
import { sweepExpired } from '../src/sweep.js';
import { onEveryEngine } from './support/every-engine.js';

const T = Date.parse('2031-05-06T07:08:09.123Z');
const at = (ms: number) => new Date(T + ms);

function behaviour(name: string, database: () => StorageDatabase) {
  describe(name, () => {
    let store: KyselyStorage;
    beforeEach(() => {
      store = kyselyStorage(database());
    });

    it('migrates idempotently: running it again changes nothing and keeps the data', async () => {
      await aUser(store.users, 'kept');
      const again = await migrate(database().db);
      expect(again.results).toEqual([]);
      expect(await store.users.findByUsername('KEPT')).toMatchObject({ username: 'kept' });
    });

    it("forgets a key's failures older than a day when it fails again", async () => {
      const key = { username: 'again', clientAddress: '192.0.2.3' };
      await store.throttle.recordFailure(key, at(-25 * 3_600_000));
      await store.throttle.recordFailure(key, at(-23 * 3_600_000));
      await store.throttle.recordFailure(key, at(0));
      expect(await store.throttle.failuresSince(key, at(-30 * 3_600_000))).toEqual([at(-23 * 3_600_000), at(0)]);
    });

    it('sweeps expired sessions, tickets and old login failures, and nothing live', async () => {
      const user = await aUser(store.users, 'sweeper');
      const expired = await aSession(store.sessions, { user, expiresAt: at(1_000) });
      const live = await aSession(store.sessions, { user, expiresAt: at(10_000) });
      const [oldTicket, newTicket] = [aTokenHash(), aTokenHash()];
      await store.tickets.issue({ ticketHash: oldTicket, userId: user.id, sessionId: live.session.id, expiresAt: at(1_000) });
      await store.tickets.issue({ ticketHash: newTicket, userId: user.id, sessionId: live.session.id, expiresAt: at(10_000) });
      const key = { username: 'sweeper', clientAddress: '192.0.2.1' };
      // A key that never failed again, so only the sweep can remove its old failure.
      const idle = { username: 'idle', clientAddress: '192.0.2.2' };
      await store.throttle.recordFailure(idle, at(-2 * 24 * 3_600_000));
      await store.throttle.recordFailure(key, at(0));

      expect(await sweepExpired(database(), at(5_000))).toEqual({ sessions: 1, tickets: 1, loginFailures: 1 });

      expect(await store.sessions.findById(expired.session.id, at(0))).toBeUndefined();
      expect(await store.sessions.findById(live.session.id, at(0))).toEqual(live.session);
      expect(await store.tickets.redeem(oldTicket, at(0))).toBeUndefined();
      expect(await store.tickets.redeem(newTicket, at(0))).toEqual({ userId: user.id, sessionId: live.session.id });
      expect(await store.throttle.failuresSince(key, at(-3 * 24 * 3_600_000))).toEqual([at(0)]);
      expect(await store.throttle.failuresSince(idle, at(-3 * 24 * 3_600_000))).toEqual([]);
    });

    it("drops a session's tickets with the session", async () => {
      const user = await aUser(store.users, 'revoked');
      const { session } = await aSession(store.sessions, { user, expiresAt: at(10_000) });
      const ticketHash = aTokenHash();
      await store.tickets.issue({ ticketHash, userId: user.id, sessionId: session.id, expiresAt: at(30_000) });
      await store.sessions.revoke(session.id);
      expect(await store.tickets.redeem(ticketHash, at(0))).toBeUndefined();
    });
  });
}

describe('a closed database', () => {
  it('answers StoreUnavailable, as a request racing a shutdown should get', async () => {
    const database = openDatabase('sqlite::memory:');
    await migrate(database.db);
    const store = kyselyStorage(database);
    await database.close();
    await expect(store.users.findByUsername('alice')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(checkHealth(database.db)).rejects.toBeInstanceOf(StoreUnavailable);
  });
});

onEveryEngine((engine, database) => behaviour(`Kysely on ${engine}`, database));
