import { describe, expect, it } from 'vitest';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '../crypto/scrypt-password-hasher.js';
import { inMemoryPorts } from '../memory/in-memory-ports.js';
import { ManualClock } from '../memory/manual-clock.js';
import type { LocalDelivery } from '../notifications/notifier.js';
import { DEFAULT_TEST_PASSWORD } from '../testing/core-harness.js';
import { createUseCasesFrom } from '../wiring/core-container.js';
import { type Authenticator, CachedAuthenticate } from './cached-authenticate.js';

const TTL_MS = 5_000;
const unauthenticated = { ok: false, error: { kind: 'unauthenticated' } };

/** The core on in-memory ports, with the cache in the delivery path as the server wires it. */
function aCachedCore(sessionTtlMs = 3_600_000) {
  const clock = new ManualClock('2030-01-01T00:00:00.000Z');
  let delivery: LocalDelivery = { deliver: () => {} };
  const ports = inMemoryPorts({
    clock,
    hasher: new ScryptPasswordHasher(TEST_SCRYPT_COST),
    delivery: { deliver: (n) => delivery.deliver(n) },
    config: { sessionTtlMs },
  });
  const useCases = createUseCasesFrom(ports);
  const cached = new CachedAuthenticate(useCases.authenticate, clock, { ttlMs: TTL_MS });
  delivery = cached.delivery({ deliver: () => {} });
  const signUp = async (username: string) => {
    await useCases.createUser.execute({ username, password: DEFAULT_TEST_PASSWORD });
    const signedIn = await useCases.logIn.execute({ username, password: DEFAULT_TEST_PASSWORD, clientAddress: '198.51.100.1' });
    if (!signedIn.ok) throw new Error('set-up');
    return signedIn.value;
  };
  return { clock, ports, useCases, cached, signUp };
}

describe('CachedAuthenticate', () => {
  it('answers a token it has seen from memory until its time is up', async () => {
    const core = aCachedCore();
    const alice = await core.signUp('alice');
    expect((await core.cached.execute({ token: alice.token })).ok).toBe(true);
    // Revoked behind the cache's back (no notification): only the cache can still say yes.
    await core.ports.sessions.revoke(alice.session.id);
    expect((await core.cached.execute({ token: alice.token })).ok).toBe(true);
    core.clock.advance(TTL_MS);
    expect(await core.cached.execute({ token: alice.token })).toEqual(unauthenticated);
  });

  it('refuses a token at once after a logout, which publishes end-sessions', async () => {
    const core = aCachedCore();
    const alice = await core.signUp('alice');
    expect((await core.cached.execute({ token: alice.token })).ok).toBe(true);
    await core.useCases.logOut.execute({ session: alice.session });
    expect(await core.cached.execute({ token: alice.token })).toEqual(unauthenticated);
  });

  it('refuses the other sessions at once after a password change, and keeps the caller’s', async () => {
    const core = aCachedCore();
    const here = await core.signUp('alice');
    const there = await core.useCases.logIn.execute({ username: 'alice', password: DEFAULT_TEST_PASSWORD, clientAddress: '198.51.100.1' });
    if (!there.ok) throw new Error('set-up');
    expect((await core.cached.execute({ token: there.value.token })).ok).toBe(true);
    expect((await core.cached.execute({ token: here.token })).ok).toBe(true);
    const changed = await core.useCases.changePassword.execute({
      ...here,
      currentPassword: DEFAULT_TEST_PASSWORD,
      newPassword: 'another password',
    });
    expect(changed.ok).toBe(true);
    expect(await core.cached.execute({ token: there.value.token })).toEqual(unauthenticated);
    expect((await core.cached.execute({ token: here.token })).ok).toBe(true);
  });

  it('never serves a session past its expiry', async () => {
    const core = aCachedCore(1_000);
    const alice = await core.signUp('alice');
    expect((await core.cached.execute({ token: alice.token })).ok).toBe(true);
    core.clock.advance(1_000);
    expect(await core.cached.execute({ token: alice.token })).toEqual(unauthenticated);
  });

  it('does not keep an answer read while a revocation arrived', async () => {
    const core = aCachedCore();
    const alice = await core.signUp('alice');
    let release: () => void = () => {};
    const slow: Authenticator = {
      execute: async (input) => {
        const answer = await core.useCases.authenticate.execute(input);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return answer;
      },
      sessionIsLive: (id) => core.useCases.authenticate.sessionIsLive(id),
    };
    const cached = new CachedAuthenticate(slow, core.clock, { ttlMs: TTL_MS });
    const pending = cached.execute({ token: alice.token });
    await new Promise((resolve) => setImmediate(resolve));
    await core.ports.sessions.revoke(alice.session.id);
    cached.forgetSessions([alice.session.id]);
    release();
    expect((await pending).ok).toBe(true); // It read the store before the revocation...
    expect(cached.size).toBe(0); // ...but that answer is not remembered.
    expect(await core.cached.execute({ token: alice.token })).toEqual(unauthenticated);
  });

  it('forgets everything when told notifications may have been lost, and stays bounded', async () => {
    const core = aCachedCore();
    const small = new CachedAuthenticate(core.useCases.authenticate, core.clock, { ttlMs: TTL_MS, maxEntries: 2 });
    const tokens = [];
    for (const name of ['alice', 'bob', 'carol']) tokens.push((await core.signUp(name)).token);
    for (const token of tokens) await small.execute({ token });
    expect(small.size).toBe(2);
    small.forgetAll();
    expect(small.size).toBe(0);
  });

  it('always asks the store whether a session is live', async () => {
    const core = aCachedCore();
    const alice = await core.signUp('alice');
    await core.cached.execute({ token: alice.token });
    await core.ports.sessions.revoke(alice.session.id);
    expect(await core.cached.sessionIsLive(alice.session.id)).toBe(false);
  });
});
