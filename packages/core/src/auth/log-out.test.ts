import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('LogOut', () => {
  it('revokes that session only and tells its connections to close', async () => {
    const core = aCore();
    const first = await core.signUp('alice');
    const second = await core.logIn.execute({ username: 'alice', password: 'correct horse battery', clientAddress: '::1' });
    if (!second.ok) throw new Error(second.error.kind);

    await core.logOut.execute({ session: first.session });

    expect((await core.authenticate.execute({ token: first.token })).ok).toBe(false);
    expect((await core.authenticate.execute({ token: second.value.token })).ok).toBe(true);
    expect(core.published).toEqual([{ kind: 'end-sessions', sessionIds: [first.session.id] }]);
  });
});
