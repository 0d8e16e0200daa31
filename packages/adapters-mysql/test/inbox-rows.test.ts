import { appended, aUser } from '@message-center/core/testing';
import { describe, expect, it } from 'vitest';
import type { StorageDatabase } from '../src/database.js';
import { dialectNamed } from '../src/dialects/index.js';
import { pairOf } from '../src/messages/message-rows.js';
import { kyselyStorage } from '../src/storage.js';
import { onEveryEngine } from './support/every-engine.js';

function behaviour(name: string, database: () => StorageDatabase) {
  describe(name, () => {
    it('does not count as unread a message that commits below the read marker', async () => {
      const { db, dialect: dialectName } = database();
      const store = kyselyStorage(database());
      const alice = await aUser(store.users, 'alice');
      const bob = await aUser(store.users, 'bob');
      // Two sends by alice: the first takes its id, the second commits and bob reads it...
      const pair = pairOf(BigInt(alice.id), BigInt(bob.id));
      const late = await db
        .insertInto('messages')
        .values({
          sender_id: BigInt(alice.id),
          recipient_id: BigInt(bob.id),
          pair_low: pair.low,
          pair_high: pair.high,
          body: 'slow',
          client_id: null,
          created_at: dialectNamed(dialectName).encodeTime(new Date()),
        })
        .executeTakeFirstOrThrow();
      const fast = await appended(store.messages, {
        senderId: alice.id,
        recipient: bob.username,
        body: 'fast',
        clientId: null,
        createdAt: new Date(),
      });
      expect(await store.messages.markRead({ userId: bob.id, peerId: alice.id, lastReadId: fast.message.id })).toEqual({
        lastReadId: fast.message.id,
        moved: true,
      });
      // ...then the first send's transaction reaches its inbox upsert, below bob's marker.
      await dialectNamed(dialectName).upsertInboxRows(db, [
        { userId: BigInt(alice.id), peerId: BigInt(bob.id), lastMessageId: late.insertId as bigint, unreadIncrement: 0 },
        { userId: BigInt(bob.id), peerId: BigInt(alice.id), lastMessageId: late.insertId as bigint, unreadIncrement: 1 },
      ]);

      const [conversation] = await store.messages.conversations({ userId: bob.id, limit: 10 });
      expect(conversation?.lastMessage.id).toBe(fast.message.id);
      expect(conversation?.unreadCount).toBe(0);
    });
  });
}

onEveryEngine((engine, database) => behaviour(`inbox rows on ${engine}`, database));
