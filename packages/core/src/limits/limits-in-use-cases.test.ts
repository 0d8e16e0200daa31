import { describe, expect, it } from 'vitest';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '../crypto/scrypt-password-hasher.js';
import { InMemoryRateLimiters } from '../memory/in-memory-rate-limiters.js';
import { Overloaded } from '../shared/errors.js';
import { aCore, DEFAULT_TEST_PASSWORD } from '../testing/core-harness.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import { createLimits, DEFAULT_LIMITS, type LimitSettings } from './limits.js';

const HERE = '203.0.113.7';
const ELSEWHERE = '203.0.113.8';

function limited(settings: Partial<LimitSettings>) {
  return aCore({}, { limits: createLimits(new InMemoryRateLimiters(), { ...DEFAULT_LIMITS, ...settings }) });
}

const refusedFor = (result: { ok: boolean; error?: unknown }) => {
  expect(result).toMatchObject({ ok: false, error: { kind: 'rate-limited' } });
  return (result.error as { retryAfterSeconds: number }).retryAfterSeconds;
};

describe('the limits, as the use cases apply them', () => {
  it('sends: a user gets bursts of three times MESSAGE_RATE, then a wait; other users are not touched', async () => {
    const core = limited({ messageRate: 2 });
    const alice = await core.signUp('alice');
    const bob = await core.signUp('bob');
    const send = (from: typeof alice, to: string) => core.sendMessage.execute({ sender: from.user, recipient: to, body: 'hi' });
    for (let i = 0; i < 6; i++) expect((await send(alice, 'bob')).ok).toBe(true);
    const wait = refusedFor(await send(alice, 'bob'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(3);
    expect((await send(bob, 'alice')).ok).toBe(true);
  });

  it('registrations: counts accounts made per client address; refused input is given back', async () => {
    const core = limited({ registrationRate: 2 });
    const register = (username: string, clientAddress = HERE, password = DEFAULT_TEST_PASSWORD) =>
      core.registerUser.execute({ username, password, clientAddress });
    expect((await register('alice')).ok).toBe(true);
    expect(await register('bad name!')).toMatchObject({ ok: false, error: { kind: 'validation-failed' } });
    expect(await register('ALICE')).toMatchObject({ ok: false, error: { kind: 'username-taken' } });
    expect((await register('bob')).ok).toBe(true);
    expect(refusedFor(await register('carol'))).toBeGreaterThan(3500);
    expect((await register('carol', ELSEWHERE)).ok).toBe(true);
  });

  it('failed logins per client address: across usernames, a success gives its attempt back', async () => {
    const core = limited({ loginFailuresPerAddress: 3 });
    await core.createUser.execute({ username: 'alice', password: DEFAULT_TEST_PASSWORD });
    const logIn = (username: string, password: string, clientAddress = HERE) => core.logIn.execute({ username, password, clientAddress });
    expect(await logIn('nobody1', 'wrong password')).toMatchObject({ ok: false, error: { kind: 'invalid-credentials' } });
    expect((await logIn('alice', DEFAULT_TEST_PASSWORD)).ok).toBe(true);
    expect(await logIn('nobody2', 'wrong password')).toMatchObject({ ok: false, error: { kind: 'invalid-credentials' } });
    expect(await logIn('alice', 'wrong password')).toMatchObject({ ok: false, error: { kind: 'invalid-credentials' } });
    // The third failure was the last allowed: even the right password waits now.
    expect(refusedFor(await logIn('alice', DEFAULT_TEST_PASSWORD))).toBeGreaterThan(800);
    expect((await logIn('alice', DEFAULT_TEST_PASSWORD, ELSEWHERE)).ok).toBe(true);
  });

  it('wrong current passwords: one count per user across password and email changes; a right one is given back', async () => {
    const core = limited({ wrongPasswordsPerUser: 3 });
    const alice = await core.signUp('alice');
    const changePassword = (currentPassword: string) =>
      core.changePassword.execute({ ...alice, currentPassword, newPassword: 'a new password' });
    const changeEmail = (currentPassword: string) => core.changeEmail.execute({ ...alice, email: 'alice@example.com', currentPassword });
    expect(await changePassword('wrong password')).toMatchObject({ ok: false, error: { kind: 'wrong-current-password' } });
    expect((await changeEmail(DEFAULT_TEST_PASSWORD)).ok).toBe(true);
    expect(await changeEmail('wrong password')).toMatchObject({ ok: false, error: { kind: 'wrong-current-password' } });
    expect(await changePassword('wrong password')).toMatchObject({ ok: false, error: { kind: 'wrong-current-password' } });
    expect(refusedFor(await changePassword(DEFAULT_TEST_PASSWORD))).toBeGreaterThan(800);
    expect(refusedFor(await changeEmail(DEFAULT_TEST_PASSWORD))).toBeGreaterThan(800);
    expect(await core.ports.users.findByUsername('alice')).toMatchObject({ email: 'alice@example.com' });
  });

  it('reset requests: per email address regardless of case, known or not, and per client address', async () => {
    const core = limited({ passwordResetsPerEmail: 2, passwordResetsPerAddress: 4 });
    await core.registerUser.execute({
      username: 'alice',
      password: DEFAULT_TEST_PASSWORD,
      email: 'alice@example.com',
      clientAddress: HERE,
    });
    const request = (email: string, clientAddress = HERE) => core.requestPasswordReset.execute({ email, clientAddress });
    expect((await request('alice@example.com')).ok).toBe(true);
    expect((await request('ALICE@example.com', ELSEWHERE)).ok).toBe(true);
    expect(refusedFor(await request('Alice@Example.com', ELSEWHERE))).toBeGreaterThan(3500);
    // An unknown address is counted exactly alike, so a refusal tells nothing either.
    expect((await request('nobody@example.com')).ok).toBe(true);
    expect((await request('nobody@example.com')).ok).toBe(true);
    refusedFor(await request('nobody@example.com'));
    // HERE has asked four times now (the refused one too): its own limit.
    refusedFor(await request('someone@example.com'));
    expect((await request('someone@example.com', ELSEWHERE)).ok).toBe(true);
    await core.background.settled();
    expect(core.mailbox.sent.map((mail) => mail.to)).toEqual(['alice@example.com', 'alice@example.com']);
  });

  it('a hash refused for lack of capacity spends no limit and counts as no failed login, per address or per username', async () => {
    const real = new ScryptPasswordHasher(TEST_SCRYPT_COST);
    let refuse = false;
    const hasher: PasswordHasher = {
      hash: (password) => (refuse ? Promise.reject(new Overloaded(2)) : real.hash(password)),
      verify: (password, hash) => (refuse ? Promise.reject(new Overloaded(2)) : real.verify(password, hash)),
    };
    const core = aCore({}, { hasher, limits: createLimits(new InMemoryRateLimiters(), { ...DEFAULT_LIMITS, loginFailuresPerAddress: 1 }) });
    await core.createUser.execute({ username: 'alice', password: DEFAULT_TEST_PASSWORD });
    refuse = true;
    // The first unknown name hashes the decoy, and that hash is refused.
    await expect(core.logIn.execute({ username: 'nobody', password: 'guess one', clientAddress: HERE })).rejects.toBeInstanceOf(Overloaded);
    // Nor is a refused login a failure of that username: twelve of them, then the right password still gets in.
    for (let i = 0; i < 12; i++) {
      await expect(core.logIn.execute({ username: 'alice', password: DEFAULT_TEST_PASSWORD, clientAddress: HERE })).rejects.toBeInstanceOf(
        Overloaded,
      );
    }
    refuse = false;
    expect((await core.logIn.execute({ username: 'alice', password: DEFAULT_TEST_PASSWORD, clientAddress: HERE })).ok).toBe(true);
    // Neither the refused decoy stayed cached nor the address's one allowed failure was spent.
    expect(await core.logIn.execute({ username: 'nobody', password: 'guess two', clientAddress: HERE })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-credentials' },
    });
  });
});
