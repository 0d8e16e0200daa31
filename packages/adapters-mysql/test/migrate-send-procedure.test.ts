import { aNewMessage, appended } from '@message-center/core/testing';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { OpenDatabase } from '../src/database.js';
import { SEND_PROCEDURE, sendProcedureSchema } from '../src/migrations/0006-send-procedure.js';
import { kyselyStorage } from '../src/storage.js';
import { migrateToLatest, onReleasedSchema, rerunHalfFinished } from './support/released-schema.js';
import { aReleasedMessage } from './support/released-sends.js';

/** Two users and their conversation so far, sent the way the released code sent them. */
async function populate(database: OpenDatabase) {
  const store = kyselyStorage(database);
  const ann = await store.users.create({ username: 'Ann', passwordHash: 'hash-Ann' });
  const ben = await store.users.create({ username: 'ben', passwordHash: 'hash-ben' });
  if (!ann.ok || !ben.ok) throw new Error('test data');
  const messages = [
    await aReleasedMessage(database, { from: ann.value, to: ben.value, body: 'first', clientId: 'k1' }),
    await aReleasedMessage(database, { from: ben.value, to: ann.value, body: 'second' }),
    await aReleasedMessage(database, { from: ann.value, to: ben.value, body: 'third' }),
  ];
  return { ann: ann.value, ben: ben.value, messages };
}

onReleasedSchema('0006', populate, (released) => {
  it('takes sends on from where the released code left them: ids, inbox rows and clientIds', async () => {
    const { database, before } = await released();

    expect(await migrateToLatest(database)).toEqual([['0006-send-procedure', 'Success']]);
    if (database.dialect === 'mysql') {
      const { rows } = await sql<{ security: string }>`
        select security_type as security from information_schema.routines
         where routine_schema = database() and routine_name = ${SEND_PROCEDURE}`.execute(database.db);
      expect(rows).toEqual([{ security: 'INVOKER' }]);
    }

    const store = kyselyStorage(database);
    const next = await appended(store.messages, aNewMessage({ from: before.ann, to: { ...before.ben, username: 'BEN' }, body: 'fourth' }));
    expect(next.created).toBe(true);
    expect(BigInt(next.message.id) > BigInt(before.messages[2]?.id ?? '0')).toBe(true);
    expect(next.message.recipient).toEqual(before.ben);
    const [inbox] = await store.messages.conversations({ userId: before.ben.id, limit: 10 });
    expect([inbox?.lastMessage, inbox?.unreadCount]).toEqual([next.message, 3]);
    // A retry of a message sent before the change still finds it.
    const retry = await appended(store.messages, aNewMessage({ from: before.ann, to: before.ben, body: 'first', clientId: 'k1' }));
    expect(retry).toEqual({ message: before.messages[0], created: false });
    expect(await store.messages.append(aNewMessage({ from: before.ann, to: { id: '0', username: 'nobody' } }))).toEqual({
      ok: false,
      error: 'recipient-not-found',
    });
  });

  it('runs again over its own half-finished work', async () => {
    const { database, before } = await released();
    await rerunHalfFinished(database, sendProcedureSchema);
    const sent = await appended(kyselyStorage(database).messages, aNewMessage({ from: before.ben, to: before.ann }));
    expect(sent.created).toBe(true);
  });
});
