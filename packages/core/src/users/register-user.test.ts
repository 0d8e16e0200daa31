import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('RegisterUser', () => {
  it('creates the user and starts a session whose token hash is what the store keeps', async () => {
    const core = aCore();
    const result = await core.registerUser.execute({ username: 'Alice', password: 'long enough', clientAddress: '198.51.100.1' });
    if (!result.ok) throw new Error(result.error.kind);
    const { user, token, session } = result.value;
    expect(user).toEqual({ id: expect.any(String), username: 'Alice' });
    expect(session.userId).toBe(user.id);
    expect(session.expiresAt.getTime()).toBe(core.clock.now().getTime() + core.ports.config.sessionTtlMs);
    const stored = await core.ports.sessions.findByTokenHash(core.ports.tokenGenerator.hash(token), core.clock.now());
    expect(stored).toEqual(session);
    expect(token).not.toBe(core.ports.tokenGenerator.hash(token));
  });

  it('stores a hash the hasher accepts, never the password', async () => {
    const core = aCore();
    await core.registerUser.execute({ username: 'alice', password: 'long enough', clientAddress: '198.51.100.1' });
    const account = await core.ports.users.findByUsername('alice');
    expect(account?.passwordHash).not.toContain('long enough');
    expect(await core.ports.hasher.verify('long enough', account?.passwordHash ?? '')).toBe(true);
  });

  it('reports an invalid username and an invalid password together', async () => {
    const result = await aCore().registerUser.execute({ username: 'a b', password: 'short', clientAddress: '198.51.100.1' });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'validation-failed',
        issues: [
          { path: 'username', message: expect.any(String) },
          { path: 'password', message: expect.any(String) },
        ],
      },
    });
  });

  it.each(['ab', 'x'.repeat(33), 'émile', 'with space', 'semi;colon', ''])('refuses the username %j', async (username) => {
    const result = await aCore().registerUser.execute({ username, password: 'long enough', clientAddress: '198.51.100.1' });
    expect(!result.ok && result.error.kind).toBe('validation-failed');
  });

  it('refuses a taken username, in any letter case', async () => {
    const core = aCore();
    await core.registerUser.execute({ username: 'alice', password: 'long enough', clientAddress: '198.51.100.1' });
    for (const username of ['alice', 'ALICE', 'Alice']) {
      expect(await core.registerUser.execute({ username, password: 'other password', clientAddress: '198.51.100.1' })).toEqual({
        ok: false,
        error: { kind: 'username-taken' },
      });
    }
  });

  it('lets one of two concurrent registrations of a name win', async () => {
    const core = aCore();
    const results = await Promise.all([
      core.registerUser.execute({ username: 'bob', password: 'long enough', clientAddress: '198.51.100.1' }),
      core.registerUser.execute({ username: 'BOB', password: 'long enough', clientAddress: '198.51.100.1' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.kind === 'username-taken')).toHaveLength(1);
  });

  it('is refused when registration is closed, before any other check', async () => {
    const core = aCore({ allowRegistration: false });
    expect(await core.registerUser.execute({ username: 'alice', password: 'long enough', clientAddress: '198.51.100.1' })).toEqual({
      ok: false,
      error: { kind: 'registration-closed' },
    });
    expect(await core.registerUser.execute({ username: '!', password: '', clientAddress: '198.51.100.1' })).toEqual({
      ok: false,
      error: { kind: 'registration-closed' },
    });
    expect(await core.ports.users.findByUsername('alice')).toBeUndefined();
  });
});
