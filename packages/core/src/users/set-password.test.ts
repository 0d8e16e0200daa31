import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('SetPassword', () => {
  it('replaces the password, ends every session of the user and tells the connections', async () => {
    const core = aCore();
    const first = await core.signUp('alice', 'old password');
    const second = await core.logIn.execute({ username: 'alice', password: 'old password', clientAddress: '::1' });
    if (!second.ok) throw new Error('second login failed');
    const bob = await core.signUp('bob');
    core.published.length = 0;

    expect(await core.setPassword.execute({ username: 'ALICE', password: 'new password' })).toEqual({ ok: true, value: undefined });

    expect((await core.authenticate.execute({ token: first.token })).ok).toBe(false);
    expect((await core.authenticate.execute({ token: second.value.token })).ok).toBe(false);
    expect((await core.authenticate.execute({ token: bob.token })).ok).toBe(true);
    const ended = [first.session.id, second.value.session.id].sort();
    const [notification, ...more] = core.published;
    expect(more).toEqual([]);
    expect(notification?.kind === 'end-sessions' && [...notification.sessionIds].sort()).toEqual(ended);
    const login = (password: string) => core.logIn.execute({ username: 'alice', password, clientAddress: '::1' });
    expect((await login('old password')).ok).toBe(false);
    expect((await login('new password')).ok).toBe(true);
  });

  it('publishes nothing when the user had no session', async () => {
    const core = aCore();
    await core.createUser.execute({ username: 'carol', password: 'long enough' });
    expect((await core.setPassword.execute({ username: 'carol', password: 'new password' })).ok).toBe(true);
    expect(core.published).toEqual([]);
  });

  it('refuses a weak password and an unknown user', async () => {
    const core = aCore();
    await core.createUser.execute({ username: 'carol', password: 'long enough' });
    const weak = await core.setPassword.execute({ username: 'carol', password: 'seven77' });
    expect(!weak.ok && weak.error.kind).toBe('validation-failed');
    expect(await core.setPassword.execute({ username: 'nobody', password: 'long enough' })).toEqual({
      ok: false,
      error: { kind: 'user-not-found' },
    });
  });
});
