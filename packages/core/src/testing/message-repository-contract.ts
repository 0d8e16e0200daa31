import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../messages/message.js';
import type { NewMessage } from '../messages/message-repository.js';
import { isId } from '../shared/ids.js';
import type { User } from '../users/user.js';
import { aConversation, aMessage, aNewMessage, appended, aUser } from './builders.js';
import { type OpenStorage, useStorage } from './storage-fixture.js';

const ids = (messages: readonly { id: string }[]) => messages.map((m) => m.id);
const big = (id: string) => BigInt(id);
const descending = (list: readonly string[]) => [...list].sort((a, b) => (big(b) > big(a) ? 1 : big(b) < big(a) ? -1 : 0));

export function messageRepositoryContract(name: string, open: OpenStorage): void {
  describe(`${name}: MessageRepository contract`, () => {
    const store = useStorage(open);
    const messages = () => store().messages;
    const append = (message: NewMessage) => appended(messages(), message);
    let alice: User;
    let bob: User;
    let carol: User;
    beforeEach(async () => {
      alice = await aUser(store().users, 'Alice');
      bob = await aUser(store().users, 'bob');
      carol = await aUser(store().users, 'carol');
    });

    const unreadOf = async (owner: User, peer: User) =>
      (await messages().conversations({ userId: owner.id, limit: 100 })).find((c) => c.peer.id === peer.id)?.unreadCount;

    describe('append', () => {
      it("stores the message and returns it with both users' ids and usernames", async () => {
        const createdAt = new Date('2031-02-03T04:05:06.789Z');
        const outcome = await append({ senderId: alice.id, recipient: 'bob', body: 'hello', clientId: 'c-1', createdAt });
        expect(outcome.created).toBe(true);
        expect(outcome.message).toEqual({
          id: expect.any(String),
          sender: { id: alice.id, username: 'Alice' },
          recipient: { id: bob.id, username: 'bob' },
          body: 'hello',
          createdAt,
          clientId: 'c-1',
        });
        expect(isId(outcome.message.id)).toBe(true);
        expect(await messages().findById(outcome.message.id)).toEqual(outcome.message);
      });

      it('finds the recipient by username in any letter case, and names both users as stored', async () => {
        const outcome = await append(aNewMessage({ from: bob, to: { ...alice, username: 'aLICE' } }));
        expect(outcome.message.recipient).toEqual({ id: alice.id, username: 'Alice' });
        expect(outcome.message.sender).toEqual({ id: bob.id, username: 'bob' });
      });

      it('answers recipient-not-found for a name no user has, and stores nothing, whatever the clientId', async () => {
        const first = await append(aNewMessage({ from: alice, to: bob, clientId: 'used' }));
        for (const recipient of ['nobody', 'bob ', ' bob', 'bo', 'b'.repeat(33), '', 'bob%', "bob' or '1'='1"]) {
          for (const clientId of [null, 'used', 'fresh']) {
            const refused = await messages().append({ ...aNewMessage({ from: alice, to: bob, clientId }), recipient });
            expect(refused, JSON.stringify({ recipient, clientId })).toEqual({ ok: false, error: 'recipient-not-found' });
          }
        }
        expect(await messages().after({ userId: alice.id, afterId: '0', limit: 100 })).toEqual([first.message]);
        expect(await unreadOf(bob, alice)).toBe(1);
        expect(await append(aNewMessage({ from: alice, to: bob, clientId: 'fresh' }))).toMatchObject({ created: true });
      });

      it('keeps createdAt to the millisecond', async () => {
        for (const iso of ['2031-02-03T04:05:06.001Z', '2031-02-03T04:05:06.999Z', '2031-12-31T23:59:59.500Z']) {
          const message = await aMessage(messages(), { from: alice, to: bob, createdAt: new Date(iso) });
          expect(message.createdAt.toISOString()).toBe(iso);
          expect((await messages().findById(message.id))?.createdAt.toISOString()).toBe(iso);
        }
      });

      it('keeps a null clientId null', async () => {
        const message = await aMessage(messages(), { from: alice, to: bob, clientId: null });
        expect(message.clientId).toBeNull();
        expect((await messages().findById(message.id))?.clientId).toBeNull();
      });

      it('hands out strictly increasing ids', async () => {
        const sent: Message[] = [];
        for (const [from, to] of [
          [alice, bob],
          [bob, carol],
          [carol, alice],
          [alice, bob],
          [bob, alice],
          [carol, bob],
        ] as const) {
          sent.push(await aMessage(messages(), { from, to }));
        }
        for (let i = 1; i < sent.length; i++) {
          expect(big((sent[i] as Message).id) > big((sent[i - 1] as Message).id)).toBe(true);
        }
      });

      it('keeps the body byte for byte: emoji, accents, CJK, bidi controls, newlines', async () => {
        const bodies = [
          '👋🏽 héllo 中文 \u202e',
          'line one\nline two\r\n\ttabbed',
          '𝕳𝖊𝖑𝖑𝖔 👨‍👩‍👧‍👦 ☃ \u00a0x',
          'quotes \' " ` \\ %_',
          'x'.repeat(5000),
          '🎉'.repeat(5000),
        ];
        for (const body of bodies) {
          const message = await aMessage(messages(), { from: alice, to: bob, body });
          expect(message.body).toBe(body);
          expect((await messages().findById(message.id))?.body).toBe(body);
        }
        const stored = await messages().history({ userId: bob.id, peerId: alice.id, limit: 100 });
        expect(stored.map((m) => m.body).reverse()).toEqual(bodies);
      });

      it('answers undefined for an unknown id', async () => {
        await aMessage(messages(), { from: alice, to: bob });
        expect(await messages().findById('987654321')).toBeUndefined();
      });
    });

    describe('idempotency by (sender, clientId)', () => {
      it('returns the first message, not created, when the sender repeats a clientId', async () => {
        const first = await append(aNewMessage({ from: alice, to: bob, body: 'once', clientId: 'k1' }));
        const again = await append(aNewMessage({ from: alice, to: bob, body: 'once', clientId: 'k1' }));
        expect(first.created).toBe(true);
        expect(again).toEqual({ message: first.message, created: false });
        expect(await messages().history({ userId: alice.id, peerId: bob.id, limit: 10 })).toHaveLength(1);
        expect(await unreadOf(bob, alice)).toBe(1);
      });

      it('returns the first message even when the repeat differs in recipient or body', async () => {
        const first = await append(aNewMessage({ from: alice, to: bob, body: 'first', clientId: 'k2' }));
        const other = await append(aNewMessage({ from: alice, to: carol, body: 'second', clientId: 'k2' }));
        expect(other).toEqual({ message: first.message, created: false });
        expect(await messages().conversations({ userId: carol.id, limit: 10 })).toEqual([]);
      });

      it('stores one message for concurrent retries, and every caller gets it', async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 12 }, () => append(aNewMessage({ from: alice, to: bob, body: 'retry', clientId: 'k3' }))),
        );
        expect(outcomes.filter((o) => o.created)).toHaveLength(1);
        expect(new Set(outcomes.map((o) => o.message.id)).size).toBe(1);
        for (const o of outcomes) expect(o.message.body).toBe('retry');
        expect(await messages().history({ userId: alice.id, peerId: bob.id, limit: 50 })).toHaveLength(1);
        expect(await unreadOf(bob, alice)).toBe(1);
      });

      it('treats the same clientId from different senders as different messages', async () => {
        const fromAlice = await append(aNewMessage({ from: alice, to: bob, clientId: 'shared' }));
        const fromCarol = await append(aNewMessage({ from: carol, to: bob, clientId: 'shared' }));
        const fromBob = await append(aNewMessage({ from: bob, to: alice, clientId: 'shared' }));
        expect([fromAlice.created, fromCarol.created, fromBob.created]).toEqual([true, true, true]);
        expect(new Set([fromAlice.message.id, fromCarol.message.id, fromBob.message.id]).size).toBe(3);
      });

      it('never deduplicates messages without a clientId', async () => {
        const a = await append(aNewMessage({ from: alice, to: bob, body: 'same', clientId: null }));
        const b = await append(aNewMessage({ from: alice, to: bob, body: 'same', clientId: null }));
        expect(a.created && b.created).toBe(true);
        expect(a.message.id).not.toBe(b.message.id);
      });

      it('matches clientIds exactly, letter case included', async () => {
        const lower = await append(aNewMessage({ from: alice, to: bob, clientId: 'abc' }));
        const upper = await append(aNewMessage({ from: alice, to: bob, clientId: 'ABC' }));
        expect(upper.created).toBe(true);
        expect(upper.message.id).not.toBe(lower.message.id);
      });

      // MySQL's and MariaDB's PAD SPACE collations compare 'abc' and 'abc ' as equal; the store must not.
      it('keeps clientIds that differ only by trailing spaces apart, and finds each retry its own message', async () => {
        const spellings = ['abc', 'abc ', 'abc  ', ' abc'];
        const first = [];
        for (const clientId of spellings)
          first.push(await append(aNewMessage({ from: alice, to: bob, body: `as ${clientId}|`, clientId })));
        expect(first.map((o) => o.created)).toEqual([true, true, true, true]);
        expect(new Set(first.map((o) => o.message.id)).size).toBe(spellings.length);
        for (const [i, clientId] of spellings.entries()) {
          const again = await append(aNewMessage({ from: alice, to: bob, body: `as ${clientId}|`, clientId }));
          expect(again).toEqual({ message: first[i]?.message, created: false });
          expect(again.message.clientId).toBe(clientId);
        }
      });
    });

    describe('history', () => {
      it('lists one conversation, both directions, newest first, and nothing else', async () => {
        const between = await aConversation(messages(), { between: [alice, bob], count: 6, alternate: true });
        await aMessage(messages(), { from: alice, to: carol });
        await aMessage(messages(), { from: carol, to: bob });
        const expected = descending(ids(between));
        expect(ids(await messages().history({ userId: alice.id, peerId: bob.id, limit: 100 }))).toEqual(expected);
        expect(ids(await messages().history({ userId: bob.id, peerId: alice.id, limit: 100 }))).toEqual(expected);
      });

      it('returns full messages', async () => {
        const sent = await aMessage(messages(), { from: bob, to: alice, body: 'full', clientId: 'c' });
        expect(await messages().history({ userId: alice.id, peerId: bob.id, limit: 1 })).toEqual([sent]);
      });

      it('pages by beforeId across 35 messages without gaps or duplicates', async () => {
        const sent = await aConversation(messages(), { between: [alice, bob], count: 35, alternate: true });
        await aMessage(messages(), { from: carol, to: alice });
        const seen: string[] = [];
        let beforeId: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await messages().history({ userId: alice.id, peerId: bob.id, limit: 10, ...(beforeId ? { beforeId } : {}) });
          seen.push(...ids(page));
          if (page.length < 10) break;
          beforeId = (page[page.length - 1] as Message).id;
        }
        expect(seen).toEqual(descending(ids(sent)));
      });

      it('starts strictly below beforeId, which need not be a message of the conversation', async () => {
        const sent = await aConversation(messages(), { between: [alice, bob], count: 3 });
        const elsewhere = await aMessage(messages(), { from: carol, to: alice });
        const later = await aMessage(messages(), { from: alice, to: bob });
        const [m0, m1] = sent as [Message, Message, Message];
        expect(ids(await messages().history({ userId: alice.id, peerId: bob.id, beforeId: (sent[2] as Message).id, limit: 10 }))).toEqual([
          m1.id,
          m0.id,
        ]);
        expect(ids(await messages().history({ userId: alice.id, peerId: bob.id, beforeId: elsewhere.id, limit: 10 }))).toEqual(
          descending(ids(sent)),
        );
        expect(ids(await messages().history({ userId: alice.id, peerId: bob.id, beforeId: m0.id, limit: 10 }))).toEqual([]);
        expect(ids(await messages().history({ userId: alice.id, peerId: bob.id, beforeId: '9223372036854775807', limit: 1 }))).toEqual([
          later.id,
        ]);
      });

      it('is empty for two users who never wrote to each other', async () => {
        await aMessage(messages(), { from: alice, to: bob });
        expect(await messages().history({ userId: bob.id, peerId: carol.id, limit: 10 })).toEqual([]);
      });
    });

    describe('after', () => {
      it("lists what the user sent and received above the id, oldest first, and no one else's", async () => {
        const m1 = await aMessage(messages(), { from: alice, to: bob });
        const m2 = await aMessage(messages(), { from: bob, to: carol });
        const m3 = await aMessage(messages(), { from: carol, to: alice });
        const m4 = await aMessage(messages(), { from: alice, to: carol });
        expect(ids(await messages().after({ userId: alice.id, afterId: '0', limit: 100 }))).toEqual([m1.id, m3.id, m4.id]);
        expect(ids(await messages().after({ userId: bob.id, afterId: '0', limit: 100 }))).toEqual([m1.id, m2.id]);
        expect(ids(await messages().after({ userId: alice.id, afterId: m1.id, limit: 100 }))).toEqual([m3.id, m4.id]);
        expect(ids(await messages().after({ userId: alice.id, afterId: m2.id, limit: 100 }))).toEqual([m3.id, m4.id]);
        expect(ids(await messages().after({ userId: alice.id, afterId: m4.id, limit: 100 }))).toEqual([]);
        expect(await messages().after({ userId: alice.id, afterId: m3.id, limit: 100 })).toEqual([m4]);
      });

      it('pages by the last id without gaps or duplicates', async () => {
        const sent = await aConversation(messages(), { between: [alice, bob], count: 23, alternate: true });
        const seen: string[] = [];
        let afterId = '0';
        for (let pages = 0; pages < 10; pages++) {
          const page = await messages().after({ userId: bob.id, afterId, limit: 5 });
          seen.push(...ids(page));
          if (page.length < 5) break;
          afterId = (page[page.length - 1] as Message).id;
        }
        expect(seen).toEqual(ids(sent));
      });

      it('never lets a reader that polls during concurrent sends skip one', async () => {
        // Clients catch up from the greatest id they have seen. If a message could
        // become visible after a greater id of the same user, it would be lost to them.
        const senders = [bob, carol, ...(await Promise.all([1, 2, 3, 4, 5].map(() => aUser(store().users))))];
        let sending = true;
        const sends = Promise.all(
          senders.map(async (sender) => {
            const stored: string[] = [];
            for (let n = 0; n < 30; n++) stored.push((await aMessage(messages(), { from: sender, to: alice })).id);
            return stored;
          }),
        ).finally(() => {
          sending = false;
        });

        const seen: string[] = [];
        let afterId = '0';
        const poll = async () => {
          const page = await messages().after({ userId: alice.id, afterId, limit: 500 });
          seen.push(...ids(page));
          if (page.length > 0) afterId = (page[page.length - 1] as Message).id;
        };
        while (sending) await poll();
        await poll();

        const sent = (await sends).flat();
        expect(seen).toHaveLength(sent.length);
        expect([...seen].sort()).toEqual([...sent].sort());
      });
    });

    describe('conversations', () => {
      it('lists one row per peer, most recent last message first', async () => {
        await aMessage(messages(), { from: alice, to: bob });
        const toCarol = await aMessage(messages(), { from: alice, to: carol });
        const fromBob = await aMessage(messages(), { from: bob, to: alice, body: 'latest' });
        const rows = await messages().conversations({ userId: alice.id, limit: 10 });
        expect(rows.map((r) => [r.peer, r.lastMessage])).toEqual([
          [{ id: bob.id, username: 'bob' }, fromBob],
          [{ id: carol.id, username: 'carol' }, toCarol],
        ]);
        const bobs = await messages().conversations({ userId: bob.id, limit: 10 });
        expect(bobs.map((r) => [r.peer.username, r.lastMessage.id])).toEqual([['Alice', fromBob.id]]);
      });

      it('is empty for a user without messages', async () => {
        await aMessage(messages(), { from: alice, to: bob });
        expect(await messages().conversations({ userId: carol.id, limit: 10 })).toEqual([]);
      });

      it('pages by beforeLastMessageId without gaps or duplicates', async () => {
        const peers: User[] = [];
        for (let i = 0; i < 13; i++) peers.push(await aUser(store().users, `peer${i}`));
        for (const [i, peer] of peers.entries()) await aMessage(messages(), i % 2 ? { from: alice, to: peer } : { from: peer, to: alice });
        // Renewed conversations move to the front.
        await aMessage(messages(), { from: peers[3] as User, to: alice });
        await aMessage(messages(), { from: alice, to: peers[0] as User });
        const all = await messages().conversations({ userId: alice.id, limit: 100 });
        expect(all).toHaveLength(13);
        expect(all.slice(0, 2).map((r) => r.peer.username)).toEqual(['peer0', 'peer3']);
        expect(descending(all.map((r) => r.lastMessage.id))).toEqual(all.map((r) => r.lastMessage.id));

        const seen: string[] = [];
        let beforeLastMessageId: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await messages().conversations({
            userId: alice.id,
            limit: 4,
            ...(beforeLastMessageId ? { beforeLastMessageId } : {}),
          });
          seen.push(...page.map((r) => r.peer.username));
          if (page.length < 4) break;
          beforeLastMessageId = page[page.length - 1]?.lastMessage.id;
        }
        expect(seen).toEqual(all.map((r) => r.peer.username));
      });
    });

    describe('unread counts and read markers', () => {
      it("counts one more unread for the recipient per message, never the sender's own", async () => {
        await aMessage(messages(), { from: alice, to: bob });
        await aMessage(messages(), { from: alice, to: bob });
        expect(await unreadOf(bob, alice)).toBe(2);
        expect(await unreadOf(alice, bob)).toBe(0);
        await aMessage(messages(), { from: bob, to: alice });
        expect(await unreadOf(bob, alice)).toBe(2);
        expect(await unreadOf(alice, bob)).toBe(1);
      });

      it('answers undefined when the two never exchanged a message', async () => {
        await aMessage(messages(), { from: alice, to: bob });
        expect(await messages().markRead({ userId: alice.id, peerId: carol.id, lastReadId: '1' })).toBeUndefined();
        expect(await messages().conversations({ userId: carol.id, limit: 10 })).toEqual([]);
      });

      it('moves the marker up and recounts the peer messages above it', async () => {
        const sent = await aConversation(messages(), { between: [alice, bob], count: 5 });
        const [, m1, , m3] = sent as [Message, Message, Message, Message, Message];
        expect(await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: m1.id })).toEqual({
          lastReadId: m1.id,
          moved: true,
        });
        expect(await unreadOf(bob, alice)).toBe(3);
        expect(await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: m3.id })).toEqual({
          lastReadId: m3.id,
          moved: true,
        });
        expect(await unreadOf(bob, alice)).toBe(1);
      });

      it('never moves the marker backwards', async () => {
        const [m0, m1, m2] = (await aConversation(messages(), { between: [alice, bob], count: 3 })) as [Message, Message, Message];
        await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: m1.id });
        expect(await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: m0.id })).toEqual({
          lastReadId: m1.id,
          moved: false,
        });
        expect(await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: m1.id })).toEqual({
          lastReadId: m1.id,
          moved: false,
        });
        expect(await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: '0' })).toEqual({
          lastReadId: m1.id,
          moved: false,
        });
        expect(await unreadOf(bob, alice)).toBe(1);
        expect(await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: m2.id })).toEqual({
          lastReadId: m2.id,
          moved: true,
        });
      });

      it("clamps the marker to the conversation's last message", async () => {
        const [, last] = (await aConversation(messages(), { between: [alice, bob], count: 2 })) as [Message, Message];
        const elsewhere = await aMessage(messages(), { from: carol, to: bob });
        expect(await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: '9223372036854775807' })).toEqual({
          lastReadId: last.id,
          moved: true,
        });
        expect(await unreadOf(bob, alice)).toBe(0);
        expect(await unreadOf(bob, carol)).toBe(1);
        // Clamped, so a message arriving later is still unread.
        expect(big(elsewhere.id) > big(last.id)).toBe(true);
        await aMessage(messages(), { from: alice, to: bob });
        expect(await unreadOf(bob, alice)).toBe(1);
        expect(await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: last.id })).toEqual({
          lastReadId: last.id,
          moved: false,
        });
      });

      it("does not count the reader's own messages above the marker", async () => {
        const fromAlice = await aMessage(messages(), { from: alice, to: bob });
        await aMessage(messages(), { from: bob, to: alice });
        await aMessage(messages(), { from: bob, to: alice });
        await aMessage(messages(), { from: alice, to: bob });
        await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: fromAlice.id });
        expect(await unreadOf(bob, alice)).toBe(1);
        expect(await unreadOf(alice, bob)).toBe(2);
      });

      it("moves only the reader's marker", async () => {
        const [, last] = (await aConversation(messages(), { between: [alice, bob], count: 2, alternate: true })) as [Message, Message];
        await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: last.id });
        expect(await unreadOf(bob, alice)).toBe(0);
        expect(await unreadOf(alice, bob)).toBe(1);
        expect(await messages().markRead({ userId: alice.id, peerId: bob.id, lastReadId: last.id })).toEqual({
          lastReadId: last.id,
          moved: true,
        });
        expect(await unreadOf(alice, bob)).toBe(0);
      });

      it('keeps the unread count exact under 50 concurrent appends to one conversation', async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, (_, i) => append(aNewMessage({ from: alice, to: bob, body: `burst ${i}` }))),
        );
        expect(new Set(outcomes.map((o) => o.message.id)).size).toBe(50);
        expect(await unreadOf(bob, alice)).toBe(50);
        expect(await unreadOf(alice, bob)).toBe(0);
        const [row] = await messages().conversations({ userId: bob.id, limit: 10 });
        expect(row?.lastMessage.id).toBe(descending(ids(outcomes.map((o) => o.message)))[0]);
        expect(await messages().history({ userId: bob.id, peerId: alice.id, limit: 100 })).toHaveLength(50);
      });

      it('keeps both unread counts exact when both write concurrently, and when reading meanwhile', async () => {
        const first = await aMessage(messages(), { from: alice, to: bob });
        await Promise.all([
          ...Array.from({ length: 20 }, () => append(aNewMessage({ from: alice, to: bob }))),
          ...Array.from({ length: 15 }, () => append(aNewMessage({ from: bob, to: alice }))),
          messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: first.id }),
        ]);
        expect(await unreadOf(alice, bob)).toBe(15);
        const history = await messages().history({ userId: bob.id, peerId: alice.id, limit: 100 });
        const read = await messages().markRead({ userId: bob.id, peerId: alice.id, lastReadId: first.id });
        const marker = read?.lastReadId ?? '0';
        const expected = history.filter((m) => m.sender.id === alice.id && big(m.id) > big(marker)).length;
        expect(await unreadOf(bob, alice)).toBe(expected);
        expect(expected).toBe(20);
      });
    });
  });
}
