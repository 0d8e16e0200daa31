import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../shared/cursor.js';
import { aCore } from '../testing/core-harness.js';
import type { User } from '../users/user.js';
import { CONVERSATIONS_PAGE } from './list-conversations.js';

async function inbox(peerCount: number) {
  const core = aCore();
  const alice = await core.signUp('alice');
  const peers: User[] = [];
  for (let i = 0; i < peerCount; i++) {
    const peer = await core.signUp(`peer${i}`);
    peers.push(peer.user);
    await core.sendMessage.execute({ sender: peer.user, recipient: 'alice', body: `from ${i}` });
  }
  return { core, alice: alice.user, peers };
}

describe('ListConversations', () => {
  it('lists one row per peer, most recent first, with unread counts', async () => {
    const { core, alice, peers } = await inbox(3);
    await core.sendMessage.execute({ sender: peers[0] as User, recipient: 'alice', body: 'again' });
    const reply = await core.sendMessage.execute({ sender: alice, recipient: 'peer1', body: 'reply' });
    const result = await core.listConversations.execute({ viewer: alice });
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value.items.map((c) => [c.peer.username, c.unreadCount])).toEqual([
      ['peer1', 1],
      ['peer0', 2],
      ['peer2', 1],
    ]);
    expect(result.value.items[0]?.lastMessage).toEqual(reply.ok && reply.value.message);
    expect(result.value.nextCursor).toBeNull();
  });

  it('pages with cursors without gaps or duplicates', async () => {
    const { core, alice, peers } = await inbox(7);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const result = await core.listConversations.execute({ viewer: alice, limit: 3, ...(cursor ? { cursor } : {}) });
      if (!result.ok) throw new Error(result.error.kind);
      seen.push(...result.value.items.map((c) => c.peer.username));
      if (result.value.nextCursor === null) break;
      cursor = result.value.nextCursor;
    }
    expect(seen).toEqual(peers.map((p) => p.username).reverse());
  });

  it.each([0, -1, 1.5])('refuses the limit %s', async (limit) => {
    const { core, alice } = await inbox(1);
    const result = await core.listConversations.execute({ viewer: alice, limit });
    expect(!result.ok && result.error).toEqual({ kind: 'validation-failed', issues: [{ path: 'limit', message: expect.any(String) }] });
  });

  it('defaults and clamps the limit', async () => {
    const { core, alice } = await inbox(CONVERSATIONS_PAGE.default + 1);
    const byDefault = await core.listConversations.execute({ viewer: alice });
    expect(byDefault.ok && byDefault.value.items).toHaveLength(CONVERSATIONS_PAGE.default);
    const clamped = await core.listConversations.execute({ viewer: alice, limit: 1_000_000 });
    expect(clamped.ok && clamped.value.items).toHaveLength(CONVERSATIONS_PAGE.default + 1);
    expect(CONVERSATIONS_PAGE.max).toBe(100);
  });

  it('refuses a cursor it did not make', async () => {
    const { core, alice } = await inbox(1);
    for (const cursor of ['5', '', 'bad cursor', encodeCursor('x'), encodeCursor('')]) {
      const result = await core.listConversations.execute({ viewer: alice, cursor });
      expect(!result.ok && result.error).toEqual({ kind: 'validation-failed', issues: [{ path: 'cursor', message: expect.any(String) }] });
    }
  });
});
