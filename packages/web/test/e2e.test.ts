import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetTokenIn, SmtpTestServer } from '../../../test-support/smtp-test-server.js';
import { launchChromium } from './support/browser.js';
import { WEB_ROOT } from './support/dev-server.js';
import { type RunningServer, startServer } from './support/server.js';

const SCREENSHOTS = join(WEB_ROOT, 'test-output/screenshots');
/** The forms of the account recovery, committed for the README and the issue's closing note. */
const DOC_SCREENSHOTS = join(WEB_ROOT, '../../docs/screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const XSS = '<img src=x onerror=alert(1)>';
const PASSWORD = 'correct horse battery';

const suffix = Date.now().toString(36).slice(-5);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;

let server: RunningServer;
let browser: Browser;
let embedSite: Server;
let embedOrigin: string;
let smtp: SmtpTestServer;
const problems: string[] = [];

/** A browser window that fails the test on any dialog (XSS), page error, CSP violation or blocked load. */
async function newWindow(
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to|blocked by CORS/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { context, page };
}

async function openWindow(
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ context: BrowserContext; page: Page }> {
  const window = await newWindow(viewport, colorScheme);
  await window.page.goto(server.origin);
  return window;
}

async function signUp(page: Page, username: string): Promise<void> {
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await expect.poll(() => page.locator('mc-connection-status [part=label]').textContent()).toBe('Connected');
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function openChatFromSearch(page: Page, peer: string): Promise<void> {
  await page.getByRole('tab', { name: 'People' }).click();
  await page.getByLabel('Find people by username').fill(peer.slice(0, 5));
  await page.getByRole('option', { name: peer }).click();
  await page.getByLabel(`Message to ${peer}`).waitFor();
}

function bubbles(page: Page, text: string) {
  return page.locator('mc-conversation li.message .bubble').filter({ hasText: text });
}

function inboxItem(page: Page, peer: string) {
  return page.locator(`mc-inbox button[data-peer="${peer}"]`);
}

async function send(page: Page, peer: string, text: string): Promise<void> {
  const input = page.getByLabel(`Message to ${peer}`);
  await input.fill(text);
  await input.press('Enter');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

async function docShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(DOC_SCREENSHOTS, `${name}.png`) });
}

/** The focused element, looking through shadow roots. */
function deepFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element
      ? `${element.tagName.toLowerCase()}${element.getAttribute('data-peer') ? `[data-peer=${element.getAttribute('data-peer')}]` : ''}`
      : '';
  });
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Build the page and the bundle from source, so the test never runs stale output.
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'error' });
  await build({ configFile: join(WEB_ROOT, 'vite.bundle.config.ts'), logLevel: 'error' });
  ({ embedSite, embedOrigin } = await startEmbeddingSite());
  // A real SMTP server receives the reset mails; PUBLIC_URL defaults to the server's own address.
  smtp = await SmtpTestServer.start();
  server = await startServer({ ALLOWED_ORIGINS: embedOrigin, SMTP_URL: smtp.url });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
  await new Promise((resolve) => embedSite?.close(resolve));
});

/**
 * Another origin embedding the bundle with the two-line snippet of the README,
 * under a CSP that lets scripts and connections reach the server alone and
 * allows no inline style: a bundle that evaluated code, injected `<style>`
 * or loaded from elsewhere would be reported (and fail the test).
 */
async function startEmbeddingSite(): Promise<{ embedSite: Server; embedOrigin: string }> {
  const site = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/site.css') {
      response.writeHead(200, { 'content-type': 'text/css' });
      response.end(
        'body { margin: 0 } h1 { font: 600 1rem system-ui; margin: 0; padding: .5rem 1rem } mc-message-center { height: 600px }',
      );
      return;
    }
    const serverOrigin = url.searchParams.get('server') ?? '';
    const serverSocket = serverOrigin.replace(/^http/, 'ws');
    // A host that signed its user in hands the element a bearer token; base64url needs no escaping, but a test page should not trust that.
    const token = (url.searchParams.get('token') ?? '').replace(/[^A-Za-z0-9_.-]/g, '');
    const element = token
      ? `<mc-message-center base-url="${serverOrigin}" token="${token}"></mc-message-center>`
      : `<mc-message-center base-url="${serverOrigin}" auth="bearer"></mc-message-center>`;
    response.writeHead(200, {
      'content-type': 'text/html',
      'content-security-policy': `default-src 'none'; style-src 'self'; script-src ${serverOrigin}; connect-src ${serverOrigin} ${serverSocket}`,
    });
    response.end(`<!doctype html><html lang="en"><head><title>Some other site</title><link rel="stylesheet" href="/site.css"></head><body>
<h1>Some other site</h1>
<script type="module" src="${serverOrigin}/bundle/message-center.js"></script>
${element}
</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return { embedSite: site, embedOrigin: `http://127.0.0.1:${(site.address() as AddressInfo).port}` };
}

describe('two people chatting through the real server', () => {
  let a: { context: BrowserContext; page: Page };
  let b: { context: BrowserContext; page: Page };

  it('serves the app under its CSP', async () => {
    const response = await fetch(server.origin);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    a = await openWindow(DESKTOP);
    await a.page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await shot(a.page, 'desktop-sign-in');
  });

  it('signs two people up who find each other and exchange messages live', async () => {
    b = await openWindow(DESKTOP);
    await signUp(a.page, alice);
    await signUp(b.page, bob);

    await openChatFromSearch(a.page, bob);
    await send(a.page, bob, `Hi ${bob}, it is ${alice}.`);
    await bubbles(a.page, 'it is').waitFor();

    // Bob's inbox shows it live, unread, without a reload.
    await expect.poll(() => inboxItem(b.page, alice).locator('[part=badge]').textContent(), { timeout: 10_000 }).toBe('1');
    await send(a.page, bob, 'Are you there?');
    await expect.poll(() => inboxItem(b.page, alice).locator('[part=badge]').textContent(), { timeout: 10_000 }).toBe('2');
    await shot(b.page, 'desktop-inbox-unread');

    await inboxItem(b.page, alice).click();
    await bubbles(b.page, 'Are you there?').waitFor();
    await expect.poll(() => b.page.locator('mc-conversation [part=marker]').count()).toBe(1);
    await expect.poll(() => inboxItem(b.page, alice).locator('[part=badge]').count(), { timeout: 10_000 }).toBe(0);

    await send(b.page, alice, `Hello ${alice}! Yes, here.`);
    await bubbles(a.page, 'Yes, here.').waitFor({ timeout: 10_000 });
    await expect.poll(() => a.page.locator('mc-conversation .receipt').textContent(), { timeout: 10_000 }).toBe('Seen');
  });

  it('shows markup as text and runs none of it', async () => {
    await send(a.page, bob, XSS);
    await bubbles(b.page, XSS).waitFor({ timeout: 10_000 });
    expect(await bubbles(b.page, XSS).textContent()).toBe(XSS);
    expect(await b.page.locator('mc-conversation img').count()).toBe(0);
    await send(
      a.page,
      bob,
      'Lines\nkeep their breaks, and long words wrap: supercalifragilisticexpialidocious-supercalifragilisticexpialidocious',
    );
    await bubbles(b.page, 'Lines').waitFor({ timeout: 10_000 });
    await shot(a.page, 'desktop-conversation');
    expect(problems).toEqual([]);
  });

  it('shows the history after a reload', async () => {
    await b.page.reload();
    await inboxItem(b.page, alice).click();
    await bubbles(b.page, 'Are you there?').waitFor();
    expect(await bubbles(b.page, XSS).count()).toBe(1);
    expect(await b.page.locator('mc-conversation li.message').count()).toBe(5);
  });

  it('catches up exactly once after being offline', async () => {
    await expect.poll(() => b.page.locator('mc-connection-status [part=label]').textContent()).toBe('Connected');
    await b.context.setOffline(true);
    await expect.poll(() => b.page.locator('mc-connection-status [part=label]').textContent()).toBe('Offline');
    for (const n of [1, 2, 3]) {
      await send(a.page, bob, `While you were away #${n}`);
      await bubbles(a.page, `While you were away #${n}`).waitFor();
    }
    await b.page.waitForTimeout(500);
    expect(await bubbles(b.page, 'While you were away').count()).toBe(0);
    await b.context.setOffline(false);
    await expect.poll(() => b.page.locator('mc-connection-status [part=label]').textContent(), { timeout: 15_000 }).toBe('Connected');
    await expect
      .poll(() => bubbles(b.page, 'While you were away').allTextContents(), { timeout: 15_000 })
      .toEqual(['While you were away #1', 'While you were away #2', 'While you were away #3']);
    await b.page.waitForTimeout(500);
    expect(await bubbles(b.page, 'While you were away').count()).toBe(3);
    expect(await b.page.locator('mc-conversation li.message').count()).toBe(8);
  });

  it('sends with the keyboard alone', async () => {
    await a.page.reload();
    await a.page.getByRole('button', { name: 'Sign out' }).waitFor();
    let focused = '';
    for (let presses = 0; presses < 20 && focused !== `button[data-peer=${bob}]`; presses++) {
      await a.page.keyboard.press('Tab');
      focused = await deepFocus(a.page);
    }
    expect(focused).toBe(`button[data-peer=${bob}]`);
    await a.page.keyboard.press('Enter');
    await expect.poll(() => deepFocus(a.page)).toBe('textarea');
    await a.page.keyboard.type('Typed without a mouse');
    await a.page.keyboard.press('Enter');
    await bubbles(b.page, 'Typed without a mouse').waitFor({ timeout: 10_000 });
  });

  it('works embedded in a page on another origin (bearer token, WebSocket ticket)', async () => {
    const bundle = await fetch(`${server.origin}/bundle/message-center.js`, { headers: { origin: embedOrigin } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript\b/);
    expect(bundle.headers.get('access-control-allow-origin')).toBe('*');
    // Only the public script is open to every origin; the API still names the allowed one.
    const api = await fetch(`${server.origin}/api/v1/openapi.json`, { headers: { origin: embedOrigin } });
    expect(api.headers.get('access-control-allow-origin')).toBe(embedOrigin);

    const carol = `carol_${suffix}`;
    const { context, page } = await newWindow(DESKTOP);
    await page.goto(`${embedOrigin}/?server=${encodeURIComponent(server.origin)}`);
    await signUp(page, carol);
    await openChatFromSearch(page, bob);
    await send(page, bob, 'Hello from another site');
    await inboxItem(b.page, carol).waitFor({ timeout: 10_000 });
    await inboxItem(b.page, carol).click();
    await bubbles(b.page, 'Hello from another site').waitFor();
    await send(b.page, carol, 'Received across origins');
    await bubbles(page, 'Received across origins').waitFor({ timeout: 10_000 });
    await context.close();
    expect(problems).toEqual([]);
  });

  it("runs signed in by the host's token: no sign-in form, no sign-out, live messages, and an ended session said plainly", async () => {
    const call = (path: string, token: string | undefined, json?: unknown) =>
      fetch(`${server.origin}/api/v1${path}`, {
        method: 'POST',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) },
        ...(json ? { body: JSON.stringify(json) } : {}),
      });
    // Sessions of their own for Bob (the host's token) and Alice; no sign-up, which the per-address limit counts.
    const logIn = async (username: string) =>
      ((await (await call('/auth/login', undefined, { username, password: PASSWORD })).json()) as { token: string }).token;
    const token = await logIn(bob);
    const aliceToken = await logIn(alice);

    const { context, page } = await newWindow(DESKTOP);
    await page.goto(`${embedOrigin}/?server=${encodeURIComponent(server.origin)}&token=${token}`);
    await expect.poll(() => page.locator('mc-connection-status [part=label]').textContent()).toBe('Connected');
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    expect((await call('/messages', aliceToken, { recipient: bob, body: 'For the host-signed user' })).status).toBe(201);
    await inboxItem(page, alice).waitFor({ timeout: 10_000 });
    await inboxItem(page, alice).click();
    await bubbles(page, 'For the host-signed user').waitFor();
    await send(page, alice, 'Answered through the token');
    await expect
      .poll(async () => {
        const history = await fetch(`${server.origin}/api/v1/messages?with=${bob}`, {
          headers: { authorization: `Bearer ${aliceToken}` },
        });
        return ((await history.json()) as { items: { body: string }[] }).items.map((m) => m.body);
      })
      .toContain('Answered through the token');

    // The session ends (the host signed the user out): the socket closes with 4401 and the element says so.
    expect((await call('/auth/logout', token)).status).toBe(204);
    await page.getByText('Your chat session has ended. Reload the page to continue.').waitFor({ timeout: 10_000 });
    await context.close();
    expect(problems).toEqual([]);
  });

  it('follows a dark colour scheme', async () => {
    const dark = await openWindow(DESKTOP, 'dark');
    await signIn(dark.page, bob);
    await inboxItem(dark.page, alice).click();
    await bubbles(dark.page, 'Typed without a mouse').waitFor();
    const colours = await dark.page.evaluate(() => {
      const center = document.querySelector('mc-message-center');
      const conversation = center?.shadowRoot?.querySelector('mc-conversation');
      return {
        page: getComputedStyle(document.body).backgroundColor,
        background: center ? getComputedStyle(center).backgroundColor : '',
        text: center ? getComputedStyle(center).color : '',
        conversation: conversation ? getComputedStyle(conversation).backgroundColor : '',
      };
    });
    expect(colours).toEqual({
      page: 'rgb(15, 19, 28)',
      background: 'rgb(15, 19, 28)',
      text: 'rgb(231, 234, 242)',
      conversation: 'rgb(15, 19, 28)',
    });
    await shot(dark.page, 'desktop-conversation-dark');
    await dark.context.close();
  });

  it('fits a phone', async () => {
    const phone = await openWindow(PHONE);
    await shot(phone.page, 'phone-sign-in');
    await signIn(phone.page, bob);
    await inboxItem(phone.page, alice).waitFor();
    await shot(phone.page, 'phone-inbox');
    await inboxItem(phone.page, alice).click();
    await bubbles(phone.page, 'Typed without a mouse').waitFor();
    expect(await phone.page.locator('mc-inbox').isVisible()).toBe(false);
    await shot(phone.page, 'phone-conversation');
    await phone.page.getByRole('button', { name: 'Back to conversations' }).click();
    await inboxItem(phone.page, alice).waitFor();
    await phone.context.close();
    expect(problems).toEqual([]);
  });
});

describe('presence and typing through the real server', () => {
  // A short grace, so "offline" shows within the test (API.md's 10 s otherwise).
  const GRACE_MS = 1_500;
  let presenceServer: RunningServer;
  beforeAll(async () => {
    presenceServer = await startServer({ PRESENCE_GRACE_MS: String(GRACE_MS) });
  });
  afterAll(async () => {
    await presenceServer?.stop();
  });

  it('shows Bob that Alice is online and typing, clears it when her message arrives, and shows her offline after she leaves', async () => {
    const [writer, reader] = [`pa_${suffix}`, `pb_${suffix}`];
    const aliceWindow = await newWindow(DESKTOP);
    const typingFrames: number[] = [];
    aliceWindow.page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        if (String(payload).includes('"typing"')) typingFrames.push(Date.now());
      }),
    );
    await aliceWindow.page.goto(presenceServer.origin);
    await signUp(aliceWindow.page, writer);
    const bobWindow = await newWindow(DESKTOP);
    await bobWindow.page.goto(presenceServer.origin);
    await signUp(bobWindow.page, reader);
    const bobPage = bobWindow.page;

    // The people list: a dot on Alice's avatar, and the word for screen readers.
    await bobPage.getByRole('tab', { name: 'People' }).click();
    await bobPage.getByLabel('Find people by username').fill(writer);
    const aliceDot = bobPage.locator(`mc-user-list mc-presence-dot[username="${writer}"]`);
    await expect.poll(() => aliceDot.getAttribute('online')).toBe('');
    await bobPage.getByRole('option', { name: new RegExp(`\\bonline\\b.*${writer}|${writer}.*\\bonline\\b`) }).waitFor();
    await bobPage.getByRole('option', { name: new RegExp(writer) }).click();
    const header = bobPage.locator('mc-presence-status [part=text]');
    await expect.poll(() => header.textContent()).toMatch(/^\s*online\s*$/);

    // Alice opens the conversation and types for a while: one typing frame per 3 s at most.
    await openChatFromSearch(aliceWindow.page, reader);
    const input = aliceWindow.page.getByLabel(`Message to ${reader}`);
    const typingStarted = Date.now();
    await input.pressSequentially('Hello Bob, this takes a while to write', { delay: 60 });
    const typing = bobPage.locator('mc-typing-indicator [role=status]');
    await expect.poll(() => typing.textContent(), { timeout: 10_000 }).toContain(`${writer} is typing…`);
    const typedFor = Date.now() - typingStarted;
    expect(typingFrames.length).toBeGreaterThanOrEqual(1);
    expect(typingFrames.length).toBeLessThanOrEqual(Math.floor(typedFor / 3_000) + 1);
    for (let i = 1; i < typingFrames.length; i++) expect((typingFrames[i] ?? 0) - (typingFrames[i - 1] ?? 0)).toBeGreaterThanOrEqual(2_900);
    await shot(bobPage, 'desktop-presence-typing');

    // Her message arrives: "typing…" goes at once, not 6 s later.
    await input.press('Enter');
    await bubbles(bobPage, 'Hello Bob, this takes a while to write').waitFor();
    await expect.poll(() => typing.textContent(), { timeout: 3_000 }).not.toContain('is typing');
    // The inbox row says it too.
    await bobPage.getByRole('tab', { name: 'Chats' }).click();
    await bobPage.getByRole('button', { name: new RegExp(`^${writer}, online`) }).waitFor();

    // Alice leaves; after the grace Bob sees her offline, last seen just now.
    await aliceWindow.context.close();
    const inboxDot = bobPage.locator(`mc-inbox mc-presence-dot[username="${writer}"]`);
    await expect.poll(() => inboxDot.getAttribute('online'), { timeout: GRACE_MS + 10_000 }).toBeNull();
    await expect.poll(() => header.textContent()).toMatch(/last seen just now/);
    await bobPage.getByRole('button', { name: new RegExp(`^${writer}, offline`) }).waitFor();
    await shot(bobPage, 'desktop-presence-offline');
    await bobWindow.context.close();
    expect(problems).toEqual([]);
  });
});

describe('a forgotten password, recovered by mail through a real SMTP server', () => {
  const dave = `dave_${suffix}`;
  const address = `Dave.${suffix}@example.com`;
  const NEW_PASSWORD = 'a brand new password';

  async function signUpWithEmail(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(dave);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Email address').fill(address);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  it('asks for the address, mails a link, and the link sets a new password, signs in and signs every old session out', async () => {
    const old = await openWindow(DESKTOP);
    await signUpWithEmail(old.page);
    await expect.poll(() => old.page.locator('mc-connection-status [part=label]').textContent()).toBe('Connected');

    // Someone who forgot the password, on another computer, with the keyboard alone.
    const { context, page } = await openWindow(DESKTOP);
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    let focused = '';
    for (let presses = 0; presses < 6 && !/^button\.forgot$/.test(focused); presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => {
        let element: Element | null = document.activeElement;
        while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
        return element ? `${element.tagName.toLowerCase()}.${element.className}` : '';
      });
    }
    expect(focused).toBe('button.forgot');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await expect.poll(() => deepFocus(page)).toBe('input');
    await docShot(page, 'desktop-forgot-password');
    await page.keyboard.type(address.toUpperCase());
    await page.keyboard.press('Enter');
    await page.getByText('If that address has an account, a link is on its way').waitFor();
    await docShot(page, 'desktop-reset-link-sent');

    const mail = await smtp.nextMail(15_000);
    expect(mail.envelopeTo).toEqual([`Dave.${suffix}@example.com`]);
    const link = /^(http:\/\/\S+\/#reset=[A-Za-z0-9_-]+)$/m.exec(mail.message.text ?? '')?.[1] ?? '';
    expect(link).toBe(`${server.origin}/#reset=${resetTokenIn(mail)}`);

    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // The token leaves the address bar as soon as it is read.
    expect(new URL(page.url()).hash).toBe('');
    await docShot(page, 'desktop-new-password');
    await page.getByLabel('Username').fill(dave);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByText('must be 8 to 1024 characters').waitFor();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect.poll(() => page.locator('mc-connection-status [part=label]').textContent()).toBe('Connected');

    // The session from before the reset is over: its socket was closed with 4401 and the window says so.
    await old.page.getByText('Your session has ended. Please sign in again.').waitFor({ timeout: 15_000 });

    // The link works once.
    const again = await newWindow(DESKTOP);
    await again.page.goto(link);
    await again.page.getByLabel('Username').fill(dave);
    await again.page.getByLabel('New password', { exact: true }).fill('yet another password');
    await again.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await again.page.getByText('That link has already been used or has expired').waitFor();
    await again.context.close();
    await old.context.close();
    await context.close();
    expect(problems).toEqual([]);
  });

  it('answers an unknown address just the same, and mails nobody', async () => {
    const { context, page } = await openWindow(PHONE);
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email address').fill(`nobody.${suffix}@example.com`);
    await docShot(page, 'phone-forgot-password');
    const before = smtp.received.length;
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText('If that address has an account, a link is on its way').waitFor();
    await page.waitForTimeout(1_000);
    expect(smtp.received).toHaveLength(before);
    await page.getByRole('button', { name: 'Back to sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await context.close();
  });

  it('changes, removes and adds the email, and changes the password, from the account panel', async () => {
    const { context, page } = await openWindow(DESKTOP);
    await page.getByLabel('Username').fill(dave);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await page.getByRole('heading', { name: 'Your account', exact: true }).waitFor();
    await page.getByText(`Now: ${address}`).waitFor();
    await docShot(page, 'desktop-account-panel');

    const panel = page.locator('mc-account-panel');
    await panel.locator('#email').fill(`other.${suffix}@example.com`);
    await panel.locator('#emailPassword').fill('not my password');
    await panel.getByRole('button', { name: 'Save email' }).click();
    await panel.getByText('That is not your current password.').waitFor();
    await panel.locator('#emailPassword').fill(NEW_PASSWORD);
    await panel.getByRole('button', { name: 'Save email' }).click();
    await panel.getByText(`Saved. Password-reset links will go to other.${suffix}@example.com.`).waitFor();

    await panel.locator('#emailPassword').fill(NEW_PASSWORD);
    await panel.getByRole('button', { name: 'Remove email' }).click();
    await panel.getByText('Removed.').waitFor();
    await panel.getByText('None yet.').waitFor();

    // Keyboard only: add it back, then change the password.
    await panel.locator('#email').focus();
    await page.keyboard.type(address);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Enter');
    await panel.getByText(`Saved. Password-reset links will go to ${address}.`).waitFor();
    await panel.locator('#currentPassword').fill(NEW_PASSWORD);
    await panel.locator('#newPassword').fill(PASSWORD);
    await panel.getByRole('button', { name: 'Change password' }).click();
    await panel.getByText('Password changed.').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => deepFocus(page)).toBe('button');
    expect(await page.locator('mc-account-panel').count()).toBe(0);
    await context.close();

    const phone = await openWindow(PHONE);
    await signIn(phone.page, dave);
    await phone.page.getByRole('button', { name: 'Account', exact: true }).click();
    await phone.page.getByText(`Now: ${address}`).waitFor();
    expect(await phone.page.locator('mc-inbox').isVisible()).toBe(false);
    await docShot(phone.page, 'phone-account-panel');
    await phone.page.getByRole('button', { name: 'Close' }).click();
    await phone.page.locator('mc-inbox').waitFor();
    await phone.context.close();
    expect(problems).toEqual([]);
  });
});
