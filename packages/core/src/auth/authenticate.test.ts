import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('Authenticate', () => {
  it('turns a live token into its user and session', async () => {
    const core = aCore();
    const alice = await core.signUp('Alice');
    expect(await core.authenticate.execute({ token: alice.token })).toEqual({
      ok: true,
      value: { user: alice.user, session: alice.session },
    });
  });

  it('refuses a token once its session has expired', async () => {
    const core = aCore({ sessionTtlMs: 60_000 });
    const alice = await core.signUp('alice');
    core.clock.advance(59_999);
    expect((await core.authenticate.execute({ token: alice.token })).ok).toBe(true);
    core.clock.advance(1);
    expect(await core.authenticate.execute({ token: alice.token })).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
  });

  it('refuses a revoked session', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    await core.ports.sessions.revoke(alice.session.id);
    expect(await core.authenticate.execute({ token: alice.token })).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
  });

  it('refuses unknown, empty and absurdly long tokens', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    for (const token of ['', 'x', `${alice.token}x`, alice.token.slice(1), core.ports.tokenGenerator.hash(alice.token), 'x'.repeat(513)]) {
      expect(await core.authenticate.execute({ token })).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
    }
  });

  it('refuses a session whose user is gone', async () => {
    const core = aCore();
    const session = await core.ports.sessions.create({
      tokenHash: core.ports.tokenGenerator.hash('orphan'),
      userId: '999',
      expiresAt: new Date('2099-01-01'),
    });
    expect(session.userId).toBe('999');
    expect(await core.authenticate.execute({ token: 'orphan' })).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
  });

  it('tells a live session from a revoked or expired one', async () => {
    const core = aCore({ sessionTtlMs: 60_000 });
    const alice = await core.signUp('alice');
    const bob = await core.signUp('bob');
    expect(await core.authenticate.sessionIsLive(alice.session.id)).toBe(true);
    await core.logOut.execute({ session: alice.session });
    expect(await core.authenticate.sessionIsLive(alice.session.id)).toBe(false);
    core.clock.advance(60_000);
    expect(await core.authenticate.sessionIsLive(bob.session.id)).toBe(false);
    expect(await core.authenticate.sessionIsLive('999')).toBe(false);
  });
});
