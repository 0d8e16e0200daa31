import { describe, expect, it } from 'vitest';
import type { Message } from '../messages/message.js';
import { aCore } from '../testing/core-harness.js';

async function bobWroteThree() {
  const core = aCore();
  const alice = await core.signUp('Alice');
  const bob = await core.signUp('bob');
  const sent: Message[] = [];
  for (let i = 0; i < 3; i++) {
    const result = await core.sendMessage.execute({ sender: bob.user, recipient: 'alice', body: `#${i}` });
    if (result.ok) sent.push(result.value.message);
  }
  core.published.length = 0;
  const unread = async () => (await core.ports.messages.conversations({ userId: alice.user.id, limit: 10 }))[0]?.unreadCount;
  return { core, alice: alice.user, bob: bob.user, sent: sent as [Message, Message, Message], unread };
}

describe('MarkRead', () => {
  it('moves the marker and tells both users', async () => {
    const { core, alice, bob, sent, unread } = await bobWroteThree();
    expect(await core.markRead.execute({ reader: alice, peer: 'BOB', lastReadId: sent[1].id })).toEqual({ ok: true, value: undefined });
    expect(await unread()).toBe(1);
    expect(core.published).toEqual([
      {
        kind: 'event',
        userIds: [alice.id, bob.id],
        event: { type: 'conversation.read', reader: 'Alice', peer: 'bob', lastReadId: sent[1].id },
      },
    ]);
  });

  it('publishes nothing when the marker did not move', async () => {
    const { core, alice, sent, unread } = await bobWroteThree();
    await core.markRead.execute({ reader: alice, peer: 'bob', lastReadId: sent[2].id });
    core.published.length = 0;
    expect((await core.markRead.execute({ reader: alice, peer: 'bob', lastReadId: sent[2].id })).ok).toBe(true);
    expect((await core.markRead.execute({ reader: alice, peer: 'bob', lastReadId: sent[0].id })).ok).toBe(true);
    expect(core.published).toEqual([]);
    expect(await unread()).toBe(0);
  });

  it('publishes the clamped marker when asked to read beyond the last message', async () => {
    const { core, alice, sent } = await bobWroteThree();
    await core.markRead.execute({ reader: alice, peer: 'bob', lastReadId: '9223372036854775807' });
    expect(core.published).toEqual([expect.objectContaining({ event: expect.objectContaining({ lastReadId: sent[2].id }) })]);
  });

  it('succeeds quietly between users who never wrote', async () => {
    const { core, bob } = await bobWroteThree();
    await core.signUp('carol');
    expect(await core.markRead.execute({ reader: bob, peer: 'carol', lastReadId: '1' })).toEqual({ ok: true, value: undefined });
    expect(core.published).toEqual([]);
  });

  it('refuses a malformed id and an unknown peer', async () => {
    const { core, alice } = await bobWroteThree();
    for (const lastReadId of ['', 'x', '-1', '1.5', '007']) {
      const result = await core.markRead.execute({ reader: alice, peer: 'bob', lastReadId });
      expect(!result.ok && result.error).toEqual({
        kind: 'validation-failed',
        issues: [{ path: 'lastReadId', message: expect.any(String) }],
      });
    }
    expect(await core.markRead.execute({ reader: alice, peer: 'dave', lastReadId: '1' })).toEqual({
      ok: false,
      error: { kind: 'user-not-found' },
    });
    expect(await core.markRead.execute({ reader: alice, peer: '!!', lastReadId: '1' })).toEqual({
      ok: false,
      error: { kind: 'user-not-found' },
    });
  });
});
