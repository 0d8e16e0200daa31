import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('CreateUser', () => {
  it('creates a user even when registration is closed, and opens no session', async () => {
    const core = aCore({ allowRegistration: false });
    const result = await core.createUser.execute({ username: 'admin', password: 'long enough' });
    expect(result).toEqual({ ok: true, value: { id: expect.any(String), username: 'admin' } });
    const id = result.ok ? result.value.id : '';
    expect(await core.ports.sessions.revokeAllForUser(id)).toEqual([]);
    const login = await core.logIn.execute({ username: 'admin', password: 'long enough', clientAddress: '::1' });
    expect(login.ok).toBe(true);
  });

  it('refuses invalid input and taken names like registration does', async () => {
    const core = aCore();
    await core.createUser.execute({ username: 'admin', password: 'long enough' });
    expect(await core.createUser.execute({ username: 'Admin', password: 'long enough' })).toEqual({
      ok: false,
      error: { kind: 'username-taken' },
    });
    const invalid = await core.createUser.execute({ username: 'x', password: 'short' });
    expect(!invalid.ok && invalid.error.kind === 'validation-failed' && invalid.error.issues.map((i) => i.path)).toEqual([
      'username',
      'password',
    ]);
  });
});
