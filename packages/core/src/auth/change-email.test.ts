import { describe, expect, it } from 'vitest';
import { aCore, DEFAULT_TEST_PASSWORD } from '../testing/core-harness.js';

describe('ChangeEmail and ShowAccount', () => {
  it('adds, changes and removes the caller’s address, shown to the caller alone', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    expect(await core.showAccount.execute(alice)).toEqual({ user: alice.user, email: null });
    const change = (email: string | null) => core.changeEmail.execute({ ...alice, email, currentPassword: DEFAULT_TEST_PASSWORD });

    expect(await change('Alice@Example.com')).toEqual({ ok: true, value: undefined });
    expect(await core.showAccount.execute(alice)).toEqual({ user: alice.user, email: 'Alice@Example.com' });
    expect((await change('alice@example.org')).ok).toBe(true);
    expect((await core.showAccount.execute(alice)).email).toBe('alice@example.org');
    expect((await change(null)).ok).toBe(true);
    expect((await core.showAccount.execute(alice)).email).toBeNull();
  });

  it('refuses a wrong current password, a bad address and a taken one, changing nothing', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    const bob = await core.signUp('bob');
    await core.ports.users.setEmail(bob.user.id, 'bob@example.com');
    await core.ports.users.setEmail(alice.user.id, 'alice@example.com');

    expect(await core.changeEmail.execute({ ...alice, email: 'new@example.com', currentPassword: 'not my password' })).toEqual({
      ok: false,
      error: { kind: 'wrong-current-password' },
    });
    expect(await core.changeEmail.execute({ ...alice, email: 'no-at-sign', currentPassword: DEFAULT_TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'email' }] },
    });
    expect(await core.changeEmail.execute({ ...alice, email: 'BOB@example.com', currentPassword: DEFAULT_TEST_PASSWORD })).toEqual({
      ok: false,
      error: { kind: 'email-taken' },
    });
    expect((await core.showAccount.execute(alice)).email).toBe('alice@example.com');
  });

  it('lets registration take an address, and refuses one already taken', async () => {
    const core = aCore();
    expect(
      (
        await core.registerUser.execute({
          username: 'carol',
          password: DEFAULT_TEST_PASSWORD,
          email: 'carol@example.com',
          clientAddress: '198.51.100.1',
        })
      ).ok,
    ).toBe(true);
    expect(
      await core.registerUser.execute({
        username: 'dave',
        password: DEFAULT_TEST_PASSWORD,
        email: 'CAROL@example.com',
        clientAddress: '198.51.100.1',
      }),
    ).toEqual({
      ok: false,
      error: { kind: 'email-taken' },
    });
    expect(await core.ports.users.findByUsername('dave')).toBeUndefined();
    expect(
      await core.registerUser.execute({
        username: 'dave',
        password: DEFAULT_TEST_PASSWORD,
        email: `${'x'.repeat(251)}@a.b`,
        clientAddress: '198.51.100.1',
      }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'email' }] },
    });
  });

  it('lets the administrator set and clear an address by username', async () => {
    const core = aCore();
    const erin = await core.signUp('erin');
    expect(await core.setEmail.execute({ username: 'ERIN', email: 'erin@example.com' })).toEqual({ ok: true, value: undefined });
    expect((await core.showAccount.execute(erin)).email).toBe('erin@example.com');
    expect(await core.setEmail.execute({ username: 'nobody', email: 'n@example.com' })).toEqual({
      ok: false,
      error: { kind: 'user-not-found' },
    });
    expect((await core.setEmail.execute({ username: 'erin', email: null })).ok).toBe(true);
    expect((await core.showAccount.execute(erin)).email).toBeNull();
  });
});
