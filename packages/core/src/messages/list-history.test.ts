import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../shared/cursor.js';
import { aCore } from '../testing/core-harness.js';
import { HISTORY_PAGE_MAX } from './list-history.js';
import type { Message } from './message.js';

async function conversation(count: number, config = {}) {
  const core = aCore(config);
  const alice = await core.signUp('alice');
  const bob = await core.signUp('Bob');
  const carol = await core.signUp('carol');
  const sent: Message[] = [];
  for (let i = 0; i < count; i++) {
    const [from, to] = i % 2 ? [bob.user, 'alice'] : [alice.user, 'bob'];
    const result = await core.sendMessage.execute({ sender: from, recipient: to, body: `#${i}` });
    if (result.ok) sent.push(result.value.message);
  }
  await core.sendMessage.execute({ sender: carol.user, recipient: 'alice', body: 'elsewhere' });
  return { core, alice: alice.user, bob: bob.user, sent };
}

const ids = (items: readonly Message[]) => items.map((m) => m.id);

describe('ListHistory', () => {
  it('lists one conversation newest first, MESSAGES_TO_LOAD by default', async () => {
    const { core, alice, sent } = await conversation(20);
    const result = await core.listHistory.execute({ viewer: alice, peer: 'BOB' });
    if (!result.ok) throw new Error(result.error.kind);
    expect(ids(result.value.items)).toEqual(ids(sent).reverse().slice(0, 15));
    expect(result.value.nextCursor).toEqual(expect.any(String));
  });

  it('takes the default page size from the configuration', async () => {
    const { core, alice } = await conversation(5, { messagesToLoad: 2 });
    const result = await core.listHistory.execute({ viewer: alice, peer: 'bob' });
    expect(result.ok && result.value.items).toHaveLength(2);
  });

  it('pages to older messages with cursors, without gaps or duplicates, and ends with null', async () => {
    const { core, alice, sent } = await conversation(35);
    const seen: string[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const result = await core.listHistory.execute({ viewer: alice, peer: 'bob', limit: 10, ...(before ? { before } : {}) });
      if (!result.ok) throw new Error(result.error.kind);
      seen.push(...ids(result.value.items));
      if (result.value.nextCursor === null) break;
      before = result.value.nextCursor;
    }
    expect(seen).toEqual(ids(sent).reverse());
  });

  it('gives no cursor when everything fit', async () => {
    const { core, alice } = await conversation(3);
    expect(await core.listHistory.execute({ viewer: alice, peer: 'bob', limit: 3 })).toEqual({
      ok: true,
      value: { items: expect.any(Array), nextCursor: null },
    });
  });

  it('is empty between users who never wrote', async () => {
    const { core, bob } = await conversation(2);
    expect(await core.listHistory.execute({ viewer: bob, peer: 'carol' })).toEqual({ ok: true, value: { items: [], nextCursor: null } });
  });

  it.each([0, -1, 1.5])('refuses the limit %s', async (limit) => {
    const { core, alice } = await conversation(1);
    const result = await core.listHistory.execute({ viewer: alice, peer: 'bob', limit });
    expect(!result.ok && result.error).toEqual({ kind: 'validation-failed', issues: [{ path: 'limit', message: expect.any(String) }] });
  });

  it(`clamps the limit at ${HISTORY_PAGE_MAX}`, async () => {
    const { core, alice } = await conversation(HISTORY_PAGE_MAX + 3);
    const result = await core.listHistory.execute({ viewer: alice, peer: 'bob', limit: 1000 });
    expect(result.ok && result.value.items).toHaveLength(HISTORY_PAGE_MAX);
  });

  it('refuses a cursor it did not make', async () => {
    const { core, alice } = await conversation(1);
    for (const before of ['12', 'garbage!', encodeCursor('abc'), encodeCursor('-1'), '']) {
      const result = await core.listHistory.execute({ viewer: alice, peer: 'bob', before });
      expect(!result.ok && result.error).toEqual({ kind: 'validation-failed', issues: [{ path: 'before', message: expect.any(String) }] });
    }
  });

  it('answers user-not-found for an unknown or malformed peer', async () => {
    const { core, alice } = await conversation(1);
    expect(await core.listHistory.execute({ viewer: alice, peer: 'dave' })).toEqual({ ok: false, error: { kind: 'user-not-found' } });
    expect(await core.listHistory.execute({ viewer: alice, peer: 'a b' })).toEqual({ ok: false, error: { kind: 'user-not-found' } });
  });
});
