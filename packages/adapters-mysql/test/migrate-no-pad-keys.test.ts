import { aNewMessage, appended, aSession, T0 } from '@message-center/core/testing';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { OpenDatabase } from '../src/database.js';
import { dialectNamed } from '../src/dialects/index.js';
import { noPadKeysSchema } from '../src/migrations/0005-no-pad-keys.js';
import { kyselyStorage } from '../src/storage.js';
import { migrateToLatest, onReleasedSchema, rerunHalfFinished } from './support/released-schema.js';
import { aReleasedMessage } from './support/released-sends.js';

/** Users (with addresses and a host id), messages with clientIds and a session, as the released code wrote them. */
async function populate(database: OpenDatabase) {
  const store = kyselyStorage(database);
  const ann = await store.users.create({ username: 'Ann', passwordHash: 'hash-Ann', email: 'Ann@Example.com' });
  const ben = await store.users.create({ username: 'ben', passwordHash: 'hash-ben', email: null });
  const hosted = await store.users.createExternal({ externalId: 'host-1', username: 'cy' });
  if (!ann.ok || !ben.ok || !hosted.ok) throw new Error('test data');
  const first = await aReleasedMessage(database, { from: ann.value, to: ben.value, body: 'first', clientId: 'abc' });
  const second = await aReleasedMessage(database, { from: ben.value, to: ann.value, body: 'second', clientId: 'x y' });
  const session = await aSession(store.sessions, { user: ann.value, expiresAt: new Date(T0 + 3_600_000) });
  return { ann: ann.value, ben: ben.value, messages: [first, second], session };
}

async function collations(database: OpenDatabase): Promise<Record<string, string | null>> {
  const { rows } = await sql<{ name: string; collation: string | null }>`
    select concat(table_name, '.', column_name) as name, collation_name as collation from information_schema.columns
     where table_schema = database() and column_name in ('client_id', 'username', 'username_key', 'email', 'email_key', 'external_id')`.execute(
    database.db,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.collation]));
}

onReleasedSchema('0005', populate, (released) => {
  it('keeps clientIds and other keys that differ by trailing spaces apart on a populated database, keeping every row', async () => {
    const { database, before } = await released();
    const store = kyselyStorage(database);
    if (database.dialect === 'mysql') {
      // What the released schema does: the trailing space is ignored, and the unique key takes it for the first message's.
      const merged = await aReleasedMessage(database, { from: before.ann, to: before.ben, body: 'other', clientId: 'abc ' }).catch(
        (error: unknown) => error,
      );
      console.log(`before 0005 on MariaDB: clientId 'abc ' after 'abc' -> duplicate key ${dialectNamed('mysql').isDuplicateKey(merged)}`);
      expect(dialectNamed('mysql').isDuplicateKey(merged)).toBe(true);
    }

    expect(await migrateToLatest(database)).toContainEqual(['0005-no-pad-keys', 'Success']);
    if (database.dialect === 'mysql') {
      const after = await collations(database);
      console.log(`after 0005: ${JSON.stringify(after)}`);
      expect(new Set(Object.values(after)).size).toBe(1);
      expect(Object.values(after)[0]).toMatch(/^utf8mb4_(nopad_bin|0900_bin)$/);
    }

    // Every row as it was.
    for (const message of before.messages) expect(await store.messages.findById(message.id)).toEqual(message);
    expect(await store.users.findByUsername('ANN')).toEqual({
      id: before.ann.id,
      username: 'Ann',
      passwordHash: 'hash-Ann',
      email: 'Ann@Example.com',
    });
    expect((await store.users.findByEmail('ann@example.com'))?.id).toBe(before.ann.id);
    expect((await store.users.findByExternalId('host-1'))?.username).toBe('cy');
    expect(await store.sessions.findByTokenHash(before.session.tokenHash, new Date(T0))).toEqual(before.session.session);

    // Now distinct, as on SQLite; and the old clientIds still find their messages.
    const spaced = await appended(store.messages, aNewMessage({ from: before.ann, to: before.ben, body: 'spaced', clientId: 'abc ' }));
    console.log(`after 0005 on ${database.dialect}: clientId 'abc ' after 'abc' -> created ${spaced.created}`);
    expect(spaced.created).toBe(true);
    expect(spaced.message.id).not.toBe(before.messages[0]?.id);
    const retry = await appended(store.messages, aNewMessage({ from: before.ann, to: before.ben, body: 'first', clientId: 'abc' }));
    expect(retry).toEqual({ message: before.messages[0], created: false });
    expect(await store.users.findByUsername('ann ')).toBeUndefined();
    expect(await store.users.findByEmail('ann@example.com ')).toBeUndefined();
    expect(await store.users.findByExternalId('host-1 ')).toBeUndefined();
  });

  it('runs again over its own half-finished work (MySQL commits DDL statement by statement)', async () => {
    const { database } = await released();
    await rerunHalfFinished(database, noPadKeysSchema);
    expect((await kyselyStorage(database).users.findByUsername('ben'))?.username).toBe('ben');
  });
});
