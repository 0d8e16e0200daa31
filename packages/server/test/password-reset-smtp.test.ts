import { afterEach, describe, expect, it } from 'vitest';
import { resetTokenIn, SmtpTestServer } from '../../../test-support/smtp-test-server.js';
import { type Account, api, Client, logIn, PASSWORD, type Running, registerUser, startCenter, tempDir } from './support.js';

/**
 * The reset by mail from end to end: the real server on a socket, on an
 * SQLite file, sending through a real SMTP server that the test reads.
 */
describe('password reset through a real SMTP server', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(smtpOptions: Parameters<typeof SmtpTestServer.start>[0] = {}) {
    const smtp = await SmtpTestServer.start(smtpOptions);
    cleanups.push(() => smtp.close());
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const logs: Record<string, unknown>[] = [];
    const running: Running = await startCenter({
      databaseUrl: `sqlite:${dir.path}/mc.sqlite`,
      mail: { smtpUrl: smtp.url, from: 'Message Center <no-reply@chat.test>', publicUrl: 'http://chat.test:8000' },
      logger: { info: (e) => logs.push(e), error: (e) => logs.push({ level: 'error', ...e }) },
    });
    cleanups.push(() => running.stop());
    return { smtp, running, logs };
  }

  async function withEmail(base: string, username: string, email: string): Promise<Account> {
    const res = await api(base, 'POST', '/auth/register', undefined, { username, password: PASSWORD, email });
    expect(res.status).toBe(201);
    return (await res.json()) as Account;
  }

  it('mails a link whose token sets a new password and ends every session, closing their sockets with 4401', async () => {
    const { smtp, running, logs } = await start();
    const { base, wsBase } = running;
    const alice = await withEmail(base, 'alice', 'Alice@Example.com');
    const laptop = await logIn(base, 'alice');
    const bob = await registerUser(base, 'bob');
    const [aliceSocket, laptopSocket, bobSocket] = await Promise.all([
      Client.open(wsBase, alice.token),
      Client.open(wsBase, laptop.token),
      Client.open(wsBase, bob.token),
    ]);
    cleanups.push(() => bobSocket.socket.close());

    expect((await api(base, 'POST', '/auth/password-reset', undefined, { email: 'alice@EXAMPLE.com' })).status).toBe(202);
    const mail = await smtp.nextMail();
    expect(mail.envelopeTo).toEqual(['Alice@example.com']);
    expect(mail.message.subject).toBe('Reset your Message Center password');
    expect(mail.message.text).toMatch(/^http:\/\/chat\.test:8000\/#reset=[A-Za-z0-9_-]{43}$/m);
    expect(mail.message.html).toContain('href="http://chat.test:8000/#reset=');
    const token = resetTokenIn(mail);

    const confirmed = await api(base, 'POST', '/auth/password-reset/confirm', undefined, { token, newPassword: 'a brand new password' });
    expect(confirmed.status).toBe(204);
    expect((await aliceSocket.closed).code).toBe(4401);
    expect((await laptopSocket.closed).code).toBe(4401);
    expect(bobSocket.socket.readyState).toBe(bobSocket.socket.OPEN);
    expect((await api(base, 'GET', '/auth/me', alice.token)).status).toBe(401);
    expect((await api(base, 'GET', '/auth/me', laptop.token)).status).toBe(401);

    const again = await api(base, 'POST', '/auth/password-reset/confirm', undefined, { token, newPassword: 'and another one' });
    expect(again.status).toBe(422);
    expect(((await again.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['token']);
    expect((await api(base, 'POST', '/auth/login', undefined, { username: 'alice', password: 'a brand new password' })).status).toBe(200);
    // The token went into the mail and nowhere else.
    expect(JSON.stringify(logs)).not.toContain(token);
  });

  it('answers an unknown address exactly as a known one, and mails nobody', async () => {
    const { smtp, running } = await start();
    await withEmail(running.base, 'alice', 'alice@example.com');
    const unknown = await api(running.base, 'POST', '/auth/password-reset', undefined, { email: 'nobody@example.com' });
    const known = await api(running.base, 'POST', '/auth/password-reset', undefined, { email: 'alice@example.com' });
    expect([unknown.status, await unknown.text()]).toEqual([202, '']);
    expect([known.status, await known.text()]).toEqual([202, '']);
    const mail = await smtp.nextMail();
    expect(mail.envelopeTo).toEqual(['alice@example.com']);
    await running.center.background.settled();
    expect(smtp.received).toHaveLength(1);
  });

  it('takes no longer to answer for a known address than for an unknown one: the mail goes out after the answer', async () => {
    // The SMTP server holds each mail for a while; a request that waited for it would show.
    const { running, smtp } = await start({ holdMs: 1_500 });
    await withEmail(running.base, 'alice', 'alice@example.com');
    const timed = async (email: string) => {
      const started = performance.now();
      const res = await api(running.base, 'POST', '/auth/password-reset', undefined, { email });
      expect(res.status).toBe(202);
      return performance.now() - started;
    };
    const known = await timed('alice@example.com');
    const unknown = await timed('nobody@example.com');
    expect(known).toBeLessThan(1_000);
    expect(unknown).toBeLessThan(1_000);
    expect(smtp.received).toHaveLength(0);
    expect((await smtp.nextMail()).envelopeTo).toEqual(['alice@example.com']);
  });

  it('logs and counts a refused mail, and still answers 202', async () => {
    const { running, logs } = await start({ refuseWith: 550 });
    await withEmail(running.base, 'alice', 'alice@example.com');
    const res = await api(running.base, 'POST', '/auth/password-reset', undefined, { email: 'alice@example.com' });
    expect(res.status).toBe(202);
    await running.center.background.settled();
    expect(running.center.background.failures).toBe(1);
    expect(logs).toContainEqual({
      level: 'error',
      msg: 'password-reset mail failed',
      error: expect.stringMatching(/MailDeliveryFailed.*550/),
    });
  });
});
