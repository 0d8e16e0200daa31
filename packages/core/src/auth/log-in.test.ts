import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';
import { LOGIN_THROTTLE_POLICY } from './log-in.js';

const HERE = '203.0.113.7';
const ELSEWHERE = '203.0.113.8';

async function withAlice() {
  const core = aCore();
  await core.createUser.execute({ username: 'Alice', password: 'right password' });
  const logIn = (password: string, clientAddress = HERE, username = 'alice') => core.logIn.execute({ username, password, clientAddress });
  const failTimes = async (n: number, clientAddress = HERE, username = 'alice') => {
    for (let i = 0; i < n; i++) expect((await logIn('wrong password', clientAddress, username)).ok).toBe(false);
  };
  return { core, logIn, failTimes };
}

describe('LogIn', () => {
  it('starts a session for the right password, whatever the letter case of the name', async () => {
    const { core, logIn } = await withAlice();
    const result = await logIn('right password', HERE, 'ALICE');
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value.user).toEqual({ id: expect.any(String), username: 'Alice' });
    const auth = await core.authenticate.execute({ token: result.value.token });
    expect(auth.ok && auth.value.session).toEqual(result.value.session);
  });

  it('answers a wrong password and an unknown or malformed user alike', async () => {
    const { logIn } = await withAlice();
    const invalid = { ok: false, error: { kind: 'invalid-credentials' } };
    expect(await logIn('wrong password')).toEqual(invalid);
    expect(await logIn('right password', HERE, 'bob')).toEqual(invalid);
    expect(await logIn('right password', HERE, 'not a name!')).toEqual(invalid);
    expect(await logIn('')).toEqual(invalid);
    expect(await logIn('x'.repeat(5000))).toEqual(invalid);
  });

  it(`blocks a name from an address after ${LOGIN_THROTTLE_POLICY.maxFailures} failures, even with the right password`, async () => {
    const { logIn, failTimes } = await withAlice();
    await failTimes(LOGIN_THROTTLE_POLICY.maxFailures - 1);
    expect((await logIn('wrong password')).ok).toBe(false);
    const blocked = await logIn('right password');
    expect(!blocked.ok && blocked.error.kind).toBe('login-throttled');
  });

  it('counts failures per lower-case name, so case games win nothing', async () => {
    const { logIn, failTimes } = await withAlice();
    await failTimes(5, HERE, 'alice');
    await failTimes(5, HERE, 'ALICE');
    const blocked = await logIn('right password', HERE, 'Alice');
    expect(!blocked.ok && blocked.error.kind).toBe('login-throttled');
  });

  it('does not block the name from another address, nor another name from this one', async () => {
    const { core, logIn, failTimes } = await withAlice();
    await core.createUser.execute({ username: 'bob', password: 'bobs password' });
    await failTimes(LOGIN_THROTTLE_POLICY.maxFailures);
    expect((await logIn('right password', ELSEWHERE)).ok).toBe(true);
    expect((await logIn('bobs password', HERE, 'bob')).ok).toBe(true);
  });

  it('throttles unknown names too', async () => {
    const { logIn, failTimes } = await withAlice();
    await failTimes(LOGIN_THROTTLE_POLICY.maxFailures, HERE, 'nobody');
    const blocked = await logIn('anything', HERE, 'nobody');
    expect(!blocked.ok && blocked.error.kind).toBe('login-throttled');
  });

  it('says when to retry, and lets the user in once the oldest failures leave the window', async () => {
    const { core, logIn } = await withAlice();
    const { maxFailures, windowMs } = LOGIN_THROTTLE_POLICY;
    for (let i = 0; i < maxFailures; i++) {
      await logIn('wrong password');
      core.clock.advance(10_000);
    }
    // The first failure was at t=0; it is now t=100 s, so the block lasts until windowMs.
    const blocked = await logIn('right password');
    expect(blocked).toEqual({ ok: false, error: { kind: 'login-throttled', retryAfterSeconds: (windowMs - maxFailures * 10_000) / 1000 } });

    core.clock.advance(windowMs - maxFailures * 10_000 - 1);
    const almost = await logIn('right password');
    expect(almost).toEqual({ ok: false, error: { kind: 'login-throttled', retryAfterSeconds: 1 } });
    core.clock.advance(1);
    expect((await logIn('right password')).ok).toBe(true);
  });

  it('rounds the retry time up to a whole second, at least one', async () => {
    const { core, logIn, failTimes } = await withAlice();
    await failTimes(LOGIN_THROTTLE_POLICY.maxFailures);
    core.clock.advance(LOGIN_THROTTLE_POLICY.windowMs - 1_500);
    expect(await logIn('right password')).toEqual({ ok: false, error: { kind: 'login-throttled', retryAfterSeconds: 2 } });
  });

  it('does not count attempts refused while blocked', async () => {
    const { core, logIn, failTimes } = await withAlice();
    await failTimes(LOGIN_THROTTLE_POLICY.maxFailures);
    core.clock.advance(LOGIN_THROTTLE_POLICY.windowMs / 2);
    for (let i = 0; i < 5; i++) await logIn('wrong password');
    core.clock.advance(LOGIN_THROTTLE_POLICY.windowMs / 2);
    expect((await logIn('right password')).ok).toBe(true);
  });

  it(`lets no more than ${LOGIN_THROTTLE_POLICY.maxFailures} of a burst of simultaneous attempts try a password`, async () => {
    const { logIn } = await withAlice();
    const burst = await Promise.all(Array.from({ length: 30 }, () => logIn('wrong password')));
    const tried = burst.filter((result) => !result.ok && result.error.kind === 'invalid-credentials');
    expect(tried.length).toBeLessThanOrEqual(LOGIN_THROTTLE_POLICY.maxFailures);
    expect(burst.length - tried.length).toBeGreaterThanOrEqual(30 - LOGIN_THROTTLE_POLICY.maxFailures);
    const after = await logIn('right password');
    expect(!after.ok && after.error.kind).toBe('login-throttled');
  });

  it('forgets the failures after a success', async () => {
    const { logIn, failTimes } = await withAlice();
    await failTimes(LOGIN_THROTTLE_POLICY.maxFailures - 1);
    expect((await logIn('right password')).ok).toBe(true);
    await failTimes(LOGIN_THROTTLE_POLICY.maxFailures - 1);
    expect((await logIn('right password')).ok).toBe(true);
  });

  it('starts a new session with each login', async () => {
    const { logIn } = await withAlice();
    const first = await logIn('right password');
    const second = await logIn('right password');
    expect(first.ok && second.ok && first.value.session.id !== second.value.session.id && first.value.token !== second.value.token).toBe(
      true,
    );
  });
});
