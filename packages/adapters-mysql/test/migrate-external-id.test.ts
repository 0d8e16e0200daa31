import { aSession, T0 } from '@message-center/core/testing';
import { expect, it } from 'vitest';
import type { OpenDatabase } from '../src/database.js';
import { externalIdSchema } from '../src/migrations/0004-external-id.js';
import { kyselyStorage } from '../src/storage.js';
import { migrateToLatest, onReleasedSchema, rerunHalfFinished } from './support/released-schema.js';
import { aReleasedMessage } from './support/released-sends.js';

/** Users (one with an address), messages and a session, written as the released code wrote them. */
async function populate(database: OpenDatabase) {
  const store = kyselyStorage(database);
  const created = [];
  for (const username of ['Ann', 'ben', 'Cy']) {
    const user = await store.users.create({
      username,
      passwordHash: `hash-${username}`,
      email: username === 'Ann' ? 'ann@example.com' : null,
    });
    if (!user.ok) throw new Error('test data');
    created.push(user.value);
  }
  const [ann, ben] = created as [(typeof created)[0], (typeof created)[0]];
  const message = await aReleasedMessage(database, { from: ann, to: ben, body: 'before the change' });
  const session = await aSession(store.sessions, { user: ann, expiresAt: new Date(T0 + 3_600_000) });
  return { ann, ben, message, session };
}

onReleasedSchema('0004', populate, (released) => {
  it('adds the external id to a populated database, keeping every row, and runs only once', async () => {
    const { database, before } = await released();

    expect(await migrateToLatest(database)).toContainEqual(['0004-external-id', 'Success']);

    const store = kyselyStorage(database);
    expect(await store.users.findByUsername('ANN')).toEqual({
      id: before.ann.id,
      username: 'Ann',
      passwordHash: 'hash-Ann',
      email: 'ann@example.com',
    });
    expect(await store.messages.findById(before.message.id)).toEqual(before.message);
    expect(await store.sessions.findByTokenHash(before.session.tokenHash, new Date(T0))).toEqual(before.session.session);

    // Users who signed up here have no host id; any number of them may lack one, and a host's user joins them.
    const hosted = await store.users.createExternal({ externalId: 'host-1', username: 'dee' });
    expect(hosted.ok).toBe(true);
    expect((await store.users.findByExternalId('host-1'))?.username).toBe('dee');
    expect(await store.users.createExternal({ externalId: 'host-2', username: 'BEN' })).toEqual({ ok: false, error: 'username-taken' });
    expect(await store.users.createExternal({ externalId: 'host-1', username: 'eve' })).toEqual({ ok: false, error: 'external-id-taken' });
  });

  it('runs again over its own half-finished work (MySQL commits DDL statement by statement)', async () => {
    const { database } = await released();
    await rerunHalfFinished(database, externalIdSchema);
    expect(await kyselyStorage(database).users.findByExternalId('anything')).toBeUndefined();
  });
});
