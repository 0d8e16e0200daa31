import type { PasswordResetMail } from '@message-center/core';
import { afterEach, describe, expect, it } from 'vitest';
import { resetTokenIn, SmtpTestServer, type SmtpTestServerOptions } from '../../../test-support/smtp-test-server.js';
import { ConsoleMailer } from '../src/console-mailer.js';
import { escapeHtml, renderMail, resetLink } from '../src/render.js';
import { MailDeliveryFailed, SmtpMailer } from '../src/smtp-mailer.js';

const TOKEN = 'Zm9vYmFyYmF6cXV4LXRva2VuLW9mLTQzLWNoYXJhY3Q';
const aResetMail = (overrides: Partial<PasswordResetMail> = {}): PasswordResetMail => ({
  kind: 'password-reset',
  to: 'Alice@Example.com',
  username: 'alice',
  token: TOKEN,
  expiresAt: new Date(Date.now() + 30 * 60_000),
  ...overrides,
});
const FROM = 'Message Center <no-reply@chat.example>';
const PUBLIC_URL = 'https://chat.example/';

describe('SmtpMailer against a real SMTP server', () => {
  let server: SmtpTestServer | undefined;
  let mailer: SmtpMailer | undefined;
  afterEach(async () => {
    mailer?.close();
    await server?.close();
    mailer = server = undefined;
  });
  const start = async (options: SmtpTestServerOptions = {}, url?: (serverUrl: string) => string) => {
    server = await SmtpTestServer.start(options);
    mailer = new SmtpMailer({ url: url ? url(server.url) : server.url, from: FROM, publicUrl: PUBLIC_URL, timeoutMs: 5_000 });
    return { server, mailer };
  };

  it('delivers a reset mail with a plain-text and an HTML body, upgraded with STARTTLS when offered', async () => {
    const { server, mailer } = await start();
    await mailer.send(aResetMail());
    const mail = await server.nextMail();
    expect(mail.encrypted).toBe(true);
    expect(mail.envelopeFrom).toBe('no-reply@chat.example');
    // nodemailer writes the domain in lower case; the mailbox part stays as the user typed it.
    expect(mail.envelopeTo).toEqual(['Alice@example.com']);
    expect(mail.message.subject).toBe('Reset your Message Center password');
    expect(mail.message.from?.text).toBe('"Message Center" <no-reply@chat.example>');
    expect(mail.message.text).toContain(`https://chat.example/#reset=${TOKEN}`);
    expect(mail.message.text).toMatch(/within 30 minutes/);
    expect(mail.message.html).toContain(`<a href="https://chat.example/#reset=${TOKEN}">`);
    expect(resetTokenIn(mail)).toBe(TOKEN);
    expect(mailer.stats).toEqual({ sent: 1, failed: 0 });
  });

  it('sends in the clear when the server offers no STARTTLS', async () => {
    const { server, mailer } = await start({ starttls: false });
    await mailer.send(aResetMail());
    expect((await server.nextMail()).encrypted).toBe(false);
  });

  it('speaks TLS from the start on smtps://, and logs in with the credentials of the URL', async () => {
    const { server, mailer } = await start({ secure: true, auth: { user: 'mailer', pass: 's3cret/+' } });
    await mailer.send(aResetMail());
    const mail = await server.nextMail();
    expect(mail.encrypted).toBe(true);
    expect(resetTokenIn(mail)).toBe(TOKEN);
  });

  it('fails, counted and without the token in its message, when the server refuses the mail or the login', async () => {
    const refused = await start({ refuseWith: 550 });
    const failure = await refused.mailer.send(aResetMail()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MailDeliveryFailed);
    expect(String((failure as Error).message)).toMatch(/550/);
    expect(String((failure as Error).message)).not.toContain(TOKEN);
    expect(refused.mailer.stats).toEqual({ sent: 0, failed: 1 });
    mailer?.close();
    await server?.close();

    const wrongLogin = await start({ auth: { user: 'mailer', pass: 'right' } }, (url) => url.replace('mailer:right', 'mailer:wrong'));
    await expect(wrongLogin.mailer.send(aResetMail())).rejects.toBeInstanceOf(MailDeliveryFailed);
    expect(wrongLogin.server.received).toEqual([]);
  });

  it('fails when nothing listens at the address', async () => {
    const { server: probe } = await start();
    const deadUrl = probe.url;
    await probe.close();
    server = undefined;
    const dead = new SmtpMailer({ url: deadUrl, from: FROM, publicUrl: PUBLIC_URL, timeoutMs: 2_000 });
    await expect(dead.send(aResetMail())).rejects.toBeInstanceOf(MailDeliveryFailed);
    expect(dead.stats.failed).toBe(1);
    dead.close();
  });
});

describe('rendering', () => {
  it('builds the link from the public URL with or without a trailing slash', () => {
    expect(resetLink('http://127.0.0.1:8000', 'abc')).toBe('http://127.0.0.1:8000/#reset=abc');
    expect(resetLink('https://chat.example/app/', 'abc')).toBe('https://chat.example/app/#reset=abc');
  });

  it('escapes every interpolated value in the HTML body', () => {
    const { html, text } = renderMail(aResetMail({ username: '<b>"x"&\'y\'</b>' }), 'https://chat.example/?a=1&b=<2>');
    expect(html).toContain('&lt;b&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).toContain('href="https://chat.example/?a=1&amp;b=&lt;2&gt;/#reset=');
    expect(text).toContain('<b>"x"&\'y\'</b>');
    expect(escapeHtml('&<>"\'')).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('ConsoleMailer', () => {
  it('prints the whole mail, link included, to standard output', async () => {
    const printed: string[] = [];
    await new ConsoleMailer({ from: FROM, publicUrl: 'http://127.0.0.1:8000' }, (text) => printed.push(text)).send(aResetMail());
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('To: Alice@Example.com');
    expect(printed[0]).toContain('Subject: Reset your Message Center password');
    expect(printed[0]).toContain(`http://127.0.0.1:8000/#reset=${TOKEN}`);
  });
});
