import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('RelayTyping', () => {
  it("publishes to the named user's connections only, and stores nothing", async () => {
    const core = aCore();
    const alice = (await core.signUp('alice')).user;
    const bob = (await core.signUp('bob')).user;
    expect(await core.relayTyping.execute({ from: alice, to: 'BOB' })).toBe(true);
    expect(core.published).toEqual([{ kind: 'event', userIds: [bob.id], event: { type: 'typing', from: 'alice' } }]);
  });

  it('ignores an unknown name, a malformed one, and oneself', async () => {
    const core = aCore();
    const alice = (await core.signUp('alice')).user;
    for (const to of ['nobody', 'x', 'ALICE']) expect(await core.relayTyping.execute({ from: alice, to })).toBe(false);
    expect(core.published).toEqual([]);
  });
});
