import type { PasswordResetMail } from '@message-center/core';
import { type BackgroundTasks, InMemoryMailbox } from '@message-center/core/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { type Account, call, type Harness, harness, PASSWORD, problemOf, register, type StorageFactory } from './harness.js';

const RESET_TTL_MS = 30 * 60 * 1000;

/**
 * API.md's rows for the account email and the reset by mail, against one
 * storage backend. Mails land in an in-memory mailbox here; the server's
 * tests deliver them through a real SMTP server.
 */
export function describeAccountEmailApi(backend: string, storage: StorageFactory) {
  describe(`account email and password reset on ${backend}`, () => {
    const open: Harness[] = [];
    const start = async () => {
      const h = await harness({ storage, overrides: { mailer: new InMemoryMailbox() } });
      open.push(h);
      return h;
    };
    afterEach(async () => {
      for (const h of open.splice(0)) await h.close();
    });
    const mailbox = (h: Harness) => h.ports.mailer as InMemoryMailbox;
    const settled = (h: Harness) => (h.ports.background as BackgroundTasks).settled();
    const me = async (h: Harness, account: Account) => (await call(h.app, 'GET', '/api/v1/auth/me', { token: account.token })).json();
    const putEmail = (h: Harness, account: Account, email: string | null, currentPassword = PASSWORD) =>
      call(h.app, 'PUT', '/api/v1/auth/email', { token: account.token, json: { email, currentPassword } });
    const requestReset = (h: Harness, email: unknown) => call(h.app, 'POST', '/api/v1/auth/password-reset', { json: { email } });
    const confirm = (h: Harness, token: unknown, newPassword: unknown) =>
      call(h.app, 'POST', '/api/v1/auth/password-reset/confirm', { json: { token, newPassword } });
    const aliceWithEmail = async (h: Harness) => {
      const res = await call(h.app, 'POST', '/api/v1/auth/register', {
        json: { username: 'alice', password: PASSWORD, email: 'Alice@Example.com' },
      });
      expect(res.status).toBe(201);
      return (await res.json()) as Account;
    };
    const mailedToken = async (h: Harness, email: string) => {
      const before = mailbox(h).sent.length;
      expect((await requestReset(h, email)).status).toBe(202);
      await settled(h);
      const mail = mailbox(h).sent[before] as PasswordResetMail | undefined;
      if (!mail) throw new Error('no mail was sent');
      return mail.token;
    };

    describe('POST /auth/register with email', () => {
      it('keeps the address, shown only to its owner by GET /auth/me', async () => {
        const h = await start();
        const alice = await aliceWithEmail(h);
        expect(await me(h, alice)).toEqual({ user: alice.user, email: 'Alice@Example.com' });
        const bob = await register(h.app, 'bob');
        expect(await me(h, bob)).toEqual({ user: bob.user, email: null });
        const users = await (await call(h.app, 'GET', '/api/v1/users', { token: bob.token })).text();
        expect(users).not.toContain('Example.com');
      });

      it('answers 409 email-taken for an address taken in any letter case, and creates no user', async () => {
        const h = await start();
        await aliceWithEmail(h);
        const res = await call(h.app, 'POST', '/api/v1/auth/register', {
          json: { username: 'eve', password: PASSWORD, email: 'ALICE@example.COM' },
        });
        await problemOf(res, 409, 'email-taken');
        await problemOf(
          await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'eve', password: PASSWORD } }),
          401,
          'unauthenticated',
        );
      });

      it('answers 422 naming the email for a malformed or over-long address; null or absent is no address', async () => {
        const h = await start();
        for (const email of ['no-at-sign', 'two@@example.com', `${'x'.repeat(251)}@a.b`, 7]) {
          const res = await call(h.app, 'POST', '/api/v1/auth/register', { json: { username: 'carol', password: PASSWORD, email } });
          expect((await problemOf(res, 422, 'validation-failed')).errors?.map((e) => e.path)).toEqual(['email']);
        }
        const res = await call(h.app, 'POST', '/api/v1/auth/register', { json: { username: 'carol', password: PASSWORD, email: null } });
        expect(res.status).toBe(201);
        expect(await me(h, (await res.json()) as Account)).toMatchObject({ email: null });
      });
    });

    describe('PUT /auth/email', () => {
      it('adds, changes and removes the address with the current password (204)', async () => {
        const h = await start();
        const alice = await register(h.app, 'alice');
        expect((await putEmail(h, alice, 'alice@example.com')).status).toBe(204);
        expect(await me(h, alice)).toMatchObject({ email: 'alice@example.com' });
        expect((await putEmail(h, alice, 'Alice@Example.org')).status).toBe(204);
        expect(await me(h, alice)).toMatchObject({ email: 'Alice@Example.org' });
        expect((await putEmail(h, alice, null)).status).toBe(204);
        expect(await me(h, alice)).toMatchObject({ email: null });
      });

      it('answers 401 without a session, 409 for a taken address, 422 for a bad one or a wrong password, changing nothing', async () => {
        const h = await start();
        await aliceWithEmail(h);
        const bob = await register(h.app, 'bob');
        await putEmail(h, bob, 'bob@example.com');
        await problemOf(
          await call(h.app, 'PUT', '/api/v1/auth/email', { json: { email: 'x@y', currentPassword: PASSWORD } }),
          401,
          'unauthenticated',
        );
        await problemOf(await putEmail(h, bob, 'alice@EXAMPLE.com'), 409, 'email-taken');
        expect((await problemOf(await putEmail(h, bob, 'not an address'), 422, 'validation-failed')).errors?.[0]?.path).toBe('email');
        expect((await problemOf(await putEmail(h, bob, 'new@example.com', 'wrong password'), 422, 'validation-failed')).errors).toEqual([
          { path: 'currentPassword', message: expect.any(String) },
        ]);
        await problemOf(
          await call(h.app, 'PUT', '/api/v1/auth/email', { token: bob.token, json: { email: 'x@y' } }),
          422,
          'validation-failed',
        );
        expect(await me(h, bob)).toMatchObject({ email: 'bob@example.com' });
      });

      it('needs an allowed Origin when authenticated by cookie (CSRF)', async () => {
        const h = await start();
        const alice = await register(h.app, 'alice');
        const res = await call(h.app, 'PUT', '/api/v1/auth/email', {
          cookie: alice.token,
          json: { email: 'alice@example.com', currentPassword: PASSWORD },
          headers: { Origin: 'https://evil.example' },
        });
        await problemOf(res, 403, 'forbidden');
        expect(await me(h, alice)).toMatchObject({ email: null });
      });
    });

    describe('POST /auth/password-reset and /confirm', () => {
      it('mails a token for a known address, and the token sets a new password and ends every session', async () => {
        const h = await start();
        const alice = await aliceWithEmail(h);
        const token = await mailedToken(h, 'alice@example.com');
        expect(mailbox(h).sent[0]).toMatchObject({ kind: 'password-reset', to: 'Alice@Example.com', username: 'alice' });

        expect((await confirm(h, token, 'a brand new password')).status).toBe(204);
        await problemOf(await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token }), 401, 'unauthenticated');
        expect(h.delivered).toContainEqual({ kind: 'end-sessions', sessionIds: [expect.any(String)] });
        await problemOf(
          await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: PASSWORD } }),
          401,
          'unauthenticated',
        );
        expect(
          (await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: 'a brand new password' } })).status,
        ).toBe(200);
      });

      it('answers 202 for an unknown address too, and sends nothing', async () => {
        const h = await start();
        await aliceWithEmail(h);
        const res = await requestReset(h, 'nobody@example.com');
        expect(res.status).toBe(202);
        expect(await res.text()).toBe('');
        await settled(h);
        expect(mailbox(h).sent).toEqual([]);
      });

      it('answers 422 for a malformed or over-long address', async () => {
        const h = await start();
        for (const email of ['nope', `${'x'.repeat(251)}@a.b`, '', null]) {
          expect((await problemOf(await requestReset(h, email), 422, 'validation-failed')).errors?.[0]?.path).toBe('email');
        }
      });

      it('answers 422 on token for a spent, an expired or an unknown token, and on newPassword for a weak one, changing nothing', async () => {
        const h = await start();
        const alice = await aliceWithEmail(h);
        const paths = async (res: Response) => (await problemOf(res, 422, 'validation-failed')).errors?.map((e) => e.path);

        const weak = await mailedToken(h, 'alice@example.com');
        expect(await paths(await confirm(h, weak, 'short'))).toEqual(['newPassword']);
        expect(await me(h, alice)).toMatchObject({ email: 'Alice@Example.com' });

        expect(await paths(await confirm(h, 'not-a-token-anyone-was-sent', 'a brand new password'))).toEqual(['token']);
        expect(await paths(await confirm(h, '', 'a brand new password'))).toEqual(['token']);

        const expired = await mailedToken(h, 'alice@example.com');
        h.clock.advance(RESET_TTL_MS);
        expect(await paths(await confirm(h, expired, 'a brand new password'))).toEqual(['token']);
        // The link refused for weakness was still good until it expired with the other.
        expect(await paths(await confirm(h, weak, 'a brand new password'))).toEqual(['token']);
        expect((await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token })).status).toBe(200);

        const spent = await mailedToken(h, 'alice@example.com');
        expect((await confirm(h, spent, 'the first new password')).status).toBe(204);
        expect(await paths(await confirm(h, spent, 'the second new password'))).toEqual(['token']);
        expect(
          (await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: 'the first new password' } })).status,
        ).toBe(200);
      });

      it('keeps an older link valid when a newer one is requested', async () => {
        const h = await start();
        await aliceWithEmail(h);
        const older = await mailedToken(h, 'alice@example.com');
        const newer = await mailedToken(h, 'ALICE@example.com');
        expect(newer).not.toBe(older);
        expect((await confirm(h, older, 'from the older link')).status).toBe(204);
      });

      it('answers 422 for bodies of the wrong shape', async () => {
        const h = await start();
        await problemOf(
          await call(h.app, 'POST', '/api/v1/auth/password-reset/confirm', { json: { token: 'x' } }),
          422,
          'validation-failed',
        );
        await problemOf(await call(h.app, 'POST', '/api/v1/auth/password-reset', { json: {} }), 422, 'validation-failed');
      });
    });
  });
}
