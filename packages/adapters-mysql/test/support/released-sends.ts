import type { Message } from '@message-center/core';
import { aNewMessage, type MessageSpec } from '@message-center/core/testing';
import type { StorageDatabase } from '../../src/database.js';
import { dialectNamed } from '../../src/dialects/index.js';
import { appendInTransaction } from '../../src/messages/append-in-transaction.js';
import { kyselyStorage } from '../../src/storage.js';

/**
 * A message sent the way the code released before migration 0006 sent one on
 * MySQL too: statement by statement in one transaction. A schema of that
 * release has no send procedure to call. Throws what the engine throws (a
 * duplicate clientId included).
 */
export async function aReleasedMessage(database: StorageDatabase, spec: MessageSpec): Promise<Message> {
  const stored = await appendInTransaction(database.db, dialectNamed(database.dialect), aNewMessage(spec));
  if (!stored) throw new Error(`test data: no user named ${spec.to.username}`);
  const message = await kyselyStorage(database).messages.findById(stored.id);
  if (!message) throw new Error('test data: the message just sent is not there');
  return message;
}
