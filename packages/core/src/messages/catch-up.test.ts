import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';
import { CATCH_UP_PAGE } from './catch-up.js';
import type { Message } from './message.js';

async function traffic(count: number) {
  const core = aCore();
  const alice = await core.signUp('alice');
  const bob = await core.signUp('bob');
  const carol = await core.signUp('carol');
  const mine: Message[] = [];
  for (let i = 0; i < count; i++) {
    const result = await core.sendMessage.execute(
      i % 3 === 0 ? { sender: alice.user, recipient: 'bob', body: 'a' } : { sender: carol.user, recipient: 'alice', body: 'c' },
    );
    if (result.ok) mine.push(result.value.message);
    await core.sendMessage.execute({ sender: bob.user, recipient: 'carol', body: 'not for alice' });
  }
  return { core, alice: alice.user, mine };
}

const ids = (items: readonly Message[]) => items.map((m) => m.id);

describe('CatchUp', () => {
  it("lists the viewer's messages after an id, oldest first", async () => {
    const { core, alice, mine } = await traffic(6);
    expect(await core.catchUp.execute({ viewer: alice, after: '0' })).toEqual({ ok: true, value: { items: mine, nextCursor: null } });
    const from = (mine[2] as Message).id;
    const result = await core.catchUp.execute({ viewer: alice, after: from });
    expect(result.ok && ids(result.value.items)).toEqual(ids(mine.slice(3)));
  });

  it('hands back the last id as the cursor, to pass as `after`', async () => {
    const { core, alice, mine } = await traffic(11);
    const seen: string[] = [];
    let after = '0';
    for (let pages = 0; pages < 10; pages++) {
      const result = await core.catchUp.execute({ viewer: alice, after, limit: 4 });
      if (!result.ok) throw new Error(result.error.kind);
      seen.push(...ids(result.value.items));
      if (result.value.nextCursor === null) break;
      expect(result.value.nextCursor).toBe(result.value.items[result.value.items.length - 1]?.id);
      after = result.value.nextCursor;
    }
    expect(seen).toEqual(ids(mine));
  });

  it.each(['', 'abc', '-1', '01', '1e3', '9223372036854775808'])('refuses the id %j', async (after) => {
    const { core, alice } = await traffic(1);
    const result = await core.catchUp.execute({ viewer: alice, after });
    expect(!result.ok && result.error).toEqual({ kind: 'validation-failed', issues: [{ path: 'after', message: expect.any(String) }] });
  });

  it.each([0, -1, 1.5])('refuses the limit %s', async (limit) => {
    const { core, alice } = await traffic(1);
    const result = await core.catchUp.execute({ viewer: alice, after: '0', limit });
    expect(!result.ok && result.error.kind).toBe('validation-failed');
  });

  it('defaults and clamps the limit', async () => {
    expect(CATCH_UP_PAGE).toEqual({ default: 100, max: 500 });
    const { core, alice } = await traffic(1);
    const clamped = await core.catchUp.execute({ viewer: alice, after: '0', limit: 10_000 });
    expect(clamped.ok && clamped.value.items).toHaveLength(1);
  });
});
