import { describe, expect, it } from 'vitest';
import { aCore, DEFAULT_TEST_PASSWORD } from '../testing/core-harness.js';
import { MAX_PASSWORD_LENGTH } from '../users/password.js';
import { ChangePassword } from './change-password.js';

async function aliceWithTwoSessions() {
  const core = aCore();
  const current = await core.signUp('alice');
  const other = await core.logIn.execute({ username: 'alice', password: DEFAULT_TEST_PASSWORD, clientAddress: '::1' });
  const bob = await core.signUp('bob');
  if (!other.ok) throw new Error(other.error.kind);
  core.published.length = 0;
  return { core, current, other: other.value, bob };
}

describe('ChangePassword', () => {
  it('changes the password, keeps the current session and ends the others', async () => {
    const { core, current, other, bob } = await aliceWithTwoSessions();
    const result = await core.changePassword.execute({ ...current, currentPassword: DEFAULT_TEST_PASSWORD, newPassword: 'a new password' });
    expect(result).toEqual({ ok: true, value: undefined });

    expect((await core.authenticate.execute({ token: current.token })).ok).toBe(true);
    expect((await core.authenticate.execute({ token: other.token })).ok).toBe(false);
    expect((await core.authenticate.execute({ token: bob.token })).ok).toBe(true);
    expect(core.published).toEqual([{ kind: 'end-sessions', sessionIds: [other.session.id] }]);
    const login = (password: string) => core.logIn.execute({ username: 'alice', password, clientAddress: '::1' });
    expect((await login(DEFAULT_TEST_PASSWORD)).ok).toBe(false);
    expect((await login('a new password')).ok).toBe(true);
  });

  it('publishes nothing when no other session existed', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    expect(
      (await core.changePassword.execute({ ...alice, currentPassword: DEFAULT_TEST_PASSWORD, newPassword: 'a new password' })).ok,
    ).toBe(true);
    expect(core.published).toEqual([]);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const { core, current, other } = await aliceWithTwoSessions();
    for (const currentPassword of ['wrong password', '', 'x'.repeat(2000)]) {
      expect(await core.changePassword.execute({ ...current, currentPassword, newPassword: 'a new password' })).toEqual({
        ok: false,
        error: { kind: 'wrong-current-password' },
      });
    }
    expect((await core.authenticate.execute({ token: other.token })).ok).toBe(true);
    expect(core.published).toEqual([]);
    expect((await core.logIn.execute({ username: 'alice', password: DEFAULT_TEST_PASSWORD, clientAddress: '::1' })).ok).toBe(true);
  });

  it('refuses a weak new password on the newPassword field', async () => {
    const { core, current } = await aliceWithTwoSessions();
    expect(await core.changePassword.execute({ ...current, currentPassword: DEFAULT_TEST_PASSWORD, newPassword: 'short' })).toEqual({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'newPassword', message: expect.any(String) }] },
    });
    expect(core.published).toEqual([]);
  });
});

describe('ChangePassword with an over-long current password', () => {
  it('refuses it without hashing it', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    const verified: number[] = [];
    const counting = {
      hash: (password: string) => core.ports.hasher.hash(password),
      verify: (password: string, hash: string) => {
        verified.push(password.length);
        return core.ports.hasher.verify(password, hash);
      },
    };
    const changePassword = new ChangePassword(core.ports.users, counting, core.ports.limits, core.ports.sessions, core.ports.notifier);
    const result = await changePassword.execute({
      ...alice,
      currentPassword: 'x'.repeat(MAX_PASSWORD_LENGTH + 1),
      newPassword: 'a new password',
    });
    expect(result).toEqual({ ok: false, error: { kind: 'wrong-current-password' } });
    expect(verified).toEqual([]);
    expect((await changePassword.execute({ ...alice, currentPassword: DEFAULT_TEST_PASSWORD, newPassword: 'a new password' })).ok).toBe(
      true,
    );
    expect(verified).toEqual([DEFAULT_TEST_PASSWORD.length]);
  });
});
