import { describe, expect, it } from 'vitest';
import type { PasswordResetMail } from '../mail/mailer.js';
import { aCore, DEFAULT_TEST_PASSWORD } from '../testing/core-harness.js';
import { RESET_TOKEN_TTL_MS } from './reset-token-store.js';

async function aliceWithEmail() {
  const core = aCore();
  const alice = await core.signUp('alice');
  await core.ports.users.setEmail(alice.user.id, 'Alice@Example.com');
  const second = await core.logIn.execute({ username: 'alice', password: DEFAULT_TEST_PASSWORD, clientAddress: '::1' });
  if (!second.ok) throw new Error(second.error.kind);
  const bob = await core.signUp('bob');
  return { core, alice, second: second.value, bob };
}

async function requestAndRead(core: ReturnType<typeof aCore>, email: string): Promise<PasswordResetMail | undefined> {
  const before = core.mailbox.sent.length;
  expect(await core.requestPasswordReset.execute({ email, clientAddress: '198.51.100.1' })).toEqual({ ok: true, value: undefined });
  await core.background.settled();
  return core.mailbox.sent[before];
}

describe('RequestPasswordReset', () => {
  it('mails a link to the stored address, whatever the letter case asked', async () => {
    const { core } = await aliceWithEmail();
    const mail = await requestAndRead(core, 'ALICE@example.COM');
    expect(mail).toEqual({
      kind: 'password-reset',
      to: 'Alice@Example.com',
      username: 'alice',
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date(core.clock.now().getTime() + RESET_TOKEN_TTL_MS),
    });
  });

  it('answers the same for an unknown address, and sends nothing', async () => {
    const { core } = await aliceWithEmail();
    expect(await requestAndRead(core, 'nobody@example.com')).toBeUndefined();
  });

  it('sends nothing before it has answered', async () => {
    const { core } = await aliceWithEmail();
    await core.requestPasswordReset.execute({ email: 'alice@example.com', clientAddress: '198.51.100.1' });
    expect(core.mailbox.sent).toEqual([]);
    await core.background.settled();
    expect(core.mailbox.sent).toHaveLength(1);
  });

  it('refuses a malformed address', async () => {
    const { core } = await aliceWithEmail();
    expect(await core.requestPasswordReset.execute({ email: 'not an address', clientAddress: '198.51.100.1' })).toMatchObject({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'email' }] },
    });
  });

  it('answers even when the store fails: the failure is the background runner’s to report', async () => {
    const { core } = await aliceWithEmail();
    core.ports.users.findByEmail = async () => {
      throw new Error('store down');
    };
    expect((await core.requestPasswordReset.execute({ email: 'alice@example.com', clientAddress: '198.51.100.1' })).ok).toBe(true);
    await core.background.settled();
    expect(core.background.failures).toBe(1);
  });
});

describe('ResetPassword', () => {
  it('sets the new password, spends the token and ends every session of the user', async () => {
    const { core, alice, second, bob } = await aliceWithEmail();
    const mail = (await requestAndRead(core, 'alice@example.com')) as PasswordResetMail;
    core.published.length = 0;

    expect(await core.resetPassword.execute({ token: mail.token, newPassword: 'a brand new password' })).toEqual({
      ok: true,
      value: undefined,
    });

    expect((await core.authenticate.execute({ token: alice.token })).ok).toBe(false);
    expect((await core.authenticate.execute({ token: second.token })).ok).toBe(false);
    expect((await core.authenticate.execute({ token: bob.token })).ok).toBe(true);
    expect(core.published).toEqual([{ kind: 'end-sessions', sessionIds: expect.arrayContaining([alice.session.id, second.session.id]) }]);
    const login = (password: string) => core.logIn.execute({ username: 'alice', password, clientAddress: '::2' });
    expect((await login(DEFAULT_TEST_PASSWORD)).ok).toBe(false);
    expect((await login('a brand new password')).ok).toBe(true);
    expect(await core.resetPassword.execute({ token: mail.token, newPassword: 'yet another password' })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'token' }] },
    });
  });

  it('keeps an older link valid when a newer one is sent, and spends both once either is used', async () => {
    const { core } = await aliceWithEmail();
    const older = (await requestAndRead(core, 'alice@example.com')) as PasswordResetMail;
    const newer = (await requestAndRead(core, 'alice@example.com')) as PasswordResetMail;
    expect(older.token).not.toBe(newer.token);
    expect((await core.resetPassword.execute({ token: older.token, newPassword: 'from the older link' })).ok).toBe(true);
    expect((await core.resetPassword.execute({ token: newer.token, newPassword: 'from the newer link' })).ok).toBe(false);
  });

  it('refuses an expired token: 30 minutes and not a millisecond more', async () => {
    const { core } = await aliceWithEmail();
    const mail = (await requestAndRead(core, 'alice@example.com')) as PasswordResetMail;
    core.clock.advance(RESET_TOKEN_TTL_MS);
    expect(await core.resetPassword.execute({ token: mail.token, newPassword: 'too late for this' })).toMatchObject({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'token' }] },
    });
  });

  it('refuses a weak password without spending the token', async () => {
    const { core } = await aliceWithEmail();
    const mail = (await requestAndRead(core, 'alice@example.com')) as PasswordResetMail;
    expect(await core.resetPassword.execute({ token: mail.token, newPassword: 'short' })).toMatchObject({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'newPassword' }] },
    });
    expect((await core.resetPassword.execute({ token: mail.token, newPassword: 'long enough now' })).ok).toBe(true);
  });

  it.each(['', 'x'.repeat(600), 'not-a-token-anyone-was-sent'])('refuses the unknown token %#', async (token) => {
    const { core, alice } = await aliceWithEmail();
    expect(await core.resetPassword.execute({ token, newPassword: 'a brand new password' })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'token' }] },
    });
    expect((await core.authenticate.execute({ token: alice.token })).ok).toBe(true);
  });
});
