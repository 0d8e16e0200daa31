import { aSession, aTokenHash, T0 } from '@message-center/core/testing';
import { expect, it } from 'vitest';
import type { OpenDatabase } from '../src/database.js';
import { dialectNamed } from '../src/dialects/index.js';
import { accountEmailSchema } from '../src/migrations/0003-account-email.js';
import { kyselyStorage } from '../src/storage.js';
import { migrateToLatest, onReleasedSchema, rerunHalfFinished } from './support/released-schema.js';
import { aReleasedMessage } from './support/released-sends.js';

/** Users, messages and sessions written the way the released code wrote them (no email columns). */
async function populate(database: OpenDatabase) {
  const { db } = database;
  const dialect = dialectNamed(database.dialect);
  const ids: string[] = [];
  for (const username of ['Ann', 'ben', 'Cy']) {
    const inserted = await db
      .insertInto('users')
      .values({
        username,
        username_key: username.toLowerCase(),
        password_hash: `hash-${username}`,
        created_at: dialect.encodeTime(new Date(T0)),
      })
      .executeTakeFirstOrThrow();
    ids.push(String(inserted.insertId));
  }
  const [ann, ben] = [
    { id: ids[0] as string, username: 'Ann' },
    { id: ids[1] as string, username: 'ben' },
  ];
  const store = kyselyStorage(database);
  const messages = [
    await aReleasedMessage(database, { from: ann, to: ben, body: 'before the change' }),
    await aReleasedMessage(database, { from: ben, to: ann }),
  ];
  const session = await aSession(store.sessions, { user: ann, expiresAt: new Date(T0 + 3_600_000) });
  return { ann, ben, messages, session };
}

onReleasedSchema('0003', populate, (released) => {
  it('adds the email column and the reset tokens to a populated database, keeping every row', async () => {
    const { database, before } = await released();

    expect(await migrateToLatest(database)).toContainEqual(['0003-account-email', 'Success']);

    const store = kyselyStorage(database);
    expect(await store.users.findByUsername('ANN')).toEqual({ id: before.ann.id, username: 'Ann', passwordHash: 'hash-Ann', email: null });
    expect(await store.messages.findById(before.messages[0]?.id as string)).toEqual(before.messages[0]);
    expect(await store.sessions.findByTokenHash(before.session.tokenHash, new Date(T0))).toEqual(before.session.session);

    // Every user had no address; each may now take one, unique regardless of case.
    expect(await store.users.setEmail(before.ann.id, 'Ann@Example.com')).toBe(true);
    expect(await store.users.setEmail(before.ben.id, 'ann@example.COM')).toBe(false);
    expect((await store.users.findByEmail('ANN@EXAMPLE.COM'))?.username).toBe('Ann');
    const tokenHash = aTokenHash();
    await store.resetTokens.issue({ tokenHash, userId: before.ann.id, expiresAt: new Date(T0 + 60_000) });
    expect(await store.resetTokens.redeem(tokenHash, new Date(T0))).toBe(before.ann.id);
  });

  it('runs again over its own half-finished work (MySQL commits DDL statement by statement)', async () => {
    const { database } = await released();
    await rerunHalfFinished(database, accountEmailSchema);
    expect((await kyselyStorage(database).users.findByUsername('cy'))?.email).toBeNull();
  });
});
