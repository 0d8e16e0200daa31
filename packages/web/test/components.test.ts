import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as Library from '../src/bundle.js';
import { launchChromium } from './support/browser.js';
import { startDevServer } from './support/dev-server.js';
import { aMessage, type FakeMessage, routeApi } from './support/fake-api.js';

declare global {
  interface Window {
    mc: typeof Library;
    // biome-ignore lint/suspicious/noExplicitAny: a scratch pad the tests fill from inside the page
    probe: any;
  }
}

const alice = { id: '1', username: 'alice' };
const bob = { id: '2', username: 'bob' };
const XSS = '<img src=x onerror=alert(1)>';

let server: ViteDevServer;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ({ server, origin } = await startDevServer());
  browser = await launchChromium();
  // One context for the file so the browser cache keeps the transpiled modules between tests.
  context = await browser.newContext({ viewport: { width: 900, height: 700 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openFixture(): Promise<Page> {
  page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${origin}/test/fixture.html`);
  await page.waitForFunction(() => window.mc !== undefined && customElements.get('mc-message-center') !== undefined);
  return page;
}

afterEach(async () => {
  await page?.close();
});

describe('mc-composer', () => {
  it('sends on Enter, adds a line on Shift+Enter, and counts down near the limit', async () => {
    await openFixture();
    await page.evaluate(() => {
      const composer = document.createElement('mc-composer');
      composer.maxLength = 20;
      window.probe = [];
      composer.addEventListener('mc-send', (event) => window.probe.push(event.detail.body));
      document.body.append(composer);
    });
    const input = page.locator('mc-composer textarea');
    await input.focus();
    await page.keyboard.type('hello');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('world  ');
    expect(await input.inputValue()).toBe('hello\nworld  ');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => window.probe)).toEqual(['hello\nworld']);
    expect(await input.inputValue()).toBe('');

    await page.keyboard.type('x'.repeat(17));
    await expect.poll(() => page.locator('mc-composer [part=counter]').textContent()).toContain('3 characters left');
    await page.keyboard.type('😀'.repeat(5)); // code points, not UTF-16 units: 22 in all
    await expect.poll(() => page.locator('mc-composer [part=counter]').textContent()).toContain('2 characters too long');
    expect(await page.locator('mc-composer [part=send]').isDisabled()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => window.probe)).toHaveLength(1);
  });
});

describe('mc-login', () => {
  async function mountLogin(): Promise<void> {
    await page.evaluate(() => {
      const login = document.createElement('mc-login');
      login.api = new window.mc.ApiClient();
      window.probe = [];
      login.addEventListener('mc-signed-in', (event) => window.probe.push(event.detail.user.username));
      document.body.append(login);
    });
  }

  it('shows field errors from problem details and explains the throttle', async () => {
    await openFixture();
    await routeApi(page, ({ url, body }) => {
      const { username } = body as { username: string };
      if (url.pathname.endsWith('/auth/register'))
        return {
          status: 422,
          body: {
            type: '/problems/validation-failed',
            title: 'Validation failed',
            status: 422,
            errors: [{ path: 'body.username', message: 'Usernames are 3–32 characters.' }],
          },
        };
      if (username === 'locked')
        return {
          status: 429,
          headers: { 'retry-after': '600' },
          body: { type: '/problems/rate-limited', title: 'Too many attempts', status: 429 },
        };
      if (username === 'alice') return { status: 200, body: { user: alice, token: 't' } };
      return { status: 401, body: { type: '/problems/unauthenticated', title: 'Unauthenticated', status: 401 } };
    });
    await mountLogin();

    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('ab');
    await page.getByLabel('Password').fill('long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.locator('mc-login .field-error').textContent()).toBe('Usernames are 3–32 characters.');
    expect(await page.getByLabel('Username').getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.getByLabel('Username').fill('locked');
    await page.getByLabel('Password').fill('whatever1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('try again in about 10 minutes');

    await page.getByLabel('Username').fill('mallory');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');

    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.evaluate(() => window.probe)).toEqual(['alice']);
  });
});

describe('mc-user-list', () => {
  it('searches by prefix as one types, pages on scroll and is keyboard navigable', async () => {
    await openFixture();
    const everyone = [
      ...Array.from({ length: 60 }, (_, i) => ({ id: String(i + 10), username: `user${String(i).padStart(2, '0')}` })),
      { id: '99', username: 'zed' },
    ];
    const calls = await routeApi(page, ({ url }) => {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const matching = everyone.filter((user) => user.username.startsWith(q));
      const items = matching.slice(start, start + limit);
      return { status: 200, body: { items, nextCursor: start + limit < matching.length ? String(start + limit) : null } };
    });
    await page.evaluate(() => {
      const list = document.createElement('mc-user-list');
      list.style.cssText = 'display:flex;height:300px';
      list.api = new window.mc.ApiClient();
      window.probe = [];
      list.addEventListener('mc-user-select', (event) => window.probe.push(event.detail.user.username));
      document.body.append(list);
    });
    const options = page.locator('mc-user-list [role=option]');
    await expect.poll(() => options.count()).toBe(30);

    await page.getByLabel('Find people by username').pressSequentially('ze');
    await expect.poll(() => options.allTextContents()).toEqual([expect.stringContaining('zed')]);
    // Debounced: typing two letters quickly asks once for "ze", not for "z" then "ze".
    expect(calls.filter((call) => call.url.searchParams.has('q')).map((call) => call.url.searchParams.get('q'))).toEqual(['ze']);

    await page.getByLabel('Find people by username').fill('user');
    await expect.poll(() => options.count()).toBe(30);
    await page.locator('mc-user-list ul').evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    await expect.poll(() => options.count()).toBe(60);

    await page.getByLabel('Find people by username').press('ArrowDown');
    await page.getByLabel('Find people by username').press('ArrowDown');
    await page.getByLabel('Find people by username').press('Enter');
    expect(await page.evaluate(() => window.probe)).toEqual(['user02']);
  });
});

describe('mc-conversation', () => {
  /** Forty messages, odd ids from bob, even ids from alice, served in pages of 15, newest first. */
  function routeHistory(store: FakeMessage[]) {
    return routeApi(page, ({ method, url }) => {
      if (method === 'POST' && url.pathname.endsWith('/read')) return { status: 204 };
      if (url.pathname.endsWith('/messages') && url.searchParams.get('with') === 'bob') {
        const before = url.searchParams.get('before');
        const newestFirst = [...store].reverse().filter((message) => before === null || Number(message.id) < Number(before));
        const items = newestFirst.slice(0, 15);
        const last = items.at(-1);
        return { status: 200, body: { items, nextCursor: newestFirst.length > 15 && last ? last.id : null } };
      }
      return undefined;
    });
  }

  async function mountConversation(unreadCount: number): Promise<void> {
    await page.evaluate(
      ({ alice, bob, unreadCount }) => {
        const conversation = document.createElement('mc-conversation');
        conversation.style.cssText = 'display:flex;height:420px';
        conversation.client = new window.mc.MessageCenterClient();
        conversation.me = alice;
        conversation.peer = bob;
        conversation.unreadCount = unreadCount;
        document.body.append(conversation);
      },
      { alice, bob, unreadCount },
    );
  }

  const store = Array.from({ length: 40 }, (_, i) =>
    aMessage(i + 1, (i + 1) % 2 === 1 ? 'bob' : 'alice', (i + 1) % 2 === 1 ? 'alice' : 'bob', i + 1 === 39 ? XSS : `message ${i + 1}`),
  );

  it('shows the latest page as text, marks it read, and loads older pages on scroll-up without jumping', async () => {
    await openFixture();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const calls = await routeHistory(store);
    await mountConversation(0);

    const bubbles = page.locator('mc-conversation [part~=bubble]');
    await expect.poll(() => bubbles.count()).toBe(15);
    expect(await page.locator('mc-conversation li[data-id="39"] .bubble').textContent()).toBe(XSS);
    expect(await page.locator('mc-conversation img').count()).toBe(0);
    expect(await page.locator('mc-conversation li.own').count()).toBe(8);
    expect(await page.locator('mc-conversation li.peer').count()).toBe(7);
    expect(await page.locator('mc-conversation [part=day]').count()).toBeGreaterThan(0);
    await expect.poll(() => calls.filter((call) => call.method === 'POST').map((call) => call.body)).toEqual([{ lastReadId: '40' }]);

    const anchor = page.locator('mc-conversation li[data-id="26"]');
    await page.locator('mc-conversation .scroller').evaluate((scroller) => {
      scroller.scrollTop = 60;
    });
    const before = (await anchor.boundingBox())?.y;
    await page.locator('mc-conversation .scroller').evaluate((scroller) => {
      scroller.scrollTop = 0;
    });
    await expect.poll(() => bubbles.count()).toBe(30);
    const after = (await anchor.boundingBox())?.y;
    expect(before).toBeDefined();
    // scrollTop went from 60 to 0 before the page arrived: the anchor stays within those 60px.
    expect(Math.abs((after ?? 0) - ((before ?? 0) + 60))).toBeLessThan(4);
    expect(dialogs).toEqual([]);
  });

  it('puts the “new messages” marker before the first unread message', async () => {
    await openFixture();
    await routeHistory(store);
    await mountConversation(2);
    await expect.poll(() => page.locator('mc-conversation [part=marker]').count()).toBe(1);
    const next = await page.locator('mc-conversation [part=marker] + li').getAttribute('data-id');
    expect(next).toBe('37');
  });
});

describe('client', () => {
  it('reconnects after a drop and catches up so each message is emitted exactly once', async () => {
    await openFixture();
    const store = [aMessage(5, 'bob', 'alice')];
    const calls = await routeApi(page, ({ url }) => {
      if (url.pathname.endsWith('/conversations'))
        return { status: 200, body: { items: [{ peer: bob, lastMessage: store[0], unreadCount: 0 }], nextCursor: null } };
      const after = url.searchParams.get('after');
      if (after !== null)
        return { status: 200, body: { items: store.filter((message) => Number(message.id) > Number(after)), nextCursor: null } };
      const one = store.find((message) => url.pathname.endsWith(`/messages/${message.id}`));
      return one ? { status: 200, body: one } : undefined;
    });
    const sockets: Array<{ send(text: string): void; close(options?: { code?: number }): void }> = [];
    await page.routeWebSocket(/\/api\/v1\/ws/, (socket) => {
      sockets.push(socket);
      socket.send(JSON.stringify({ type: 'ready', user: alice }));
    });
    await page.evaluate(async () => {
      const client = new window.mc.MessageCenterClient({ realtime: { backoff: { baseMs: 40, maxMs: 200 } } });
      window.probe = { ids: [] as string[], statuses: [] as string[], client };
      client.realtime.on('message', (message) => window.probe.ids.push(message.id));
      client.realtime.on('status', (status) => window.probe.statuses.push(status));
      await client.realtime.start();
    });
    await expect.poll(() => page.evaluate(() => window.probe.client.realtime.status)).toBe('connected');

    store.push(aMessage(6, 'alice', 'bob'), aMessage(7, 'bob', 'alice'));
    sockets[0]?.send(JSON.stringify({ type: 'message.created', id: '7', sender: 'bob', recipient: 'alice' }));
    await expect.poll(() => page.evaluate(() => window.probe.ids)).toEqual(['6', '7']);

    sockets[0]?.close({ code: 1011 });
    store.push(aMessage(8, 'bob', 'alice'), aMessage(9, 'bob', 'alice'), aMessage(10, 'alice', 'bob'));
    await expect.poll(() => sockets.length).toBe(2);
    await expect.poll(() => page.evaluate(() => window.probe.ids)).toEqual(['6', '7', '8', '9', '10']);
    sockets[1]?.send(JSON.stringify({ type: 'message.created', id: '9', sender: 'bob', recipient: 'alice' }));
    sockets[1]?.send(JSON.stringify({ type: 'message.created', id: '10', sender: 'alice', recipient: 'bob' }));
    await page.waitForTimeout(150);
    expect(await page.evaluate(() => window.probe.ids)).toEqual(['6', '7', '8', '9', '10']);
    expect(await page.evaluate(() => window.probe.statuses)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(calls.map((call) => call.url.searchParams.get('after')).filter((after) => after !== null)).toContain('7');
  });

  it('retries a transient send with the same clientId and marks a refused one failed with a retry', async () => {
    await openFixture();
    let failuresLeft = 1;
    let refuse = true;
    const calls = await routeApi(page, ({ method, body }) => {
      if (method !== 'POST') return undefined;
      const { recipient, body: text } = body as { recipient: string; body: string };
      if (text === 'refused' && refuse)
        return { status: 422, body: { type: '/problems/validation-failed', title: 'Validation failed', status: 422, detail: 'nope' } };
      if (text === 'flaky' && failuresLeft-- > 0)
        return { status: 503, body: { type: '/problems/unavailable', title: 'Unavailable', status: 503 } };
      return { status: 201, body: aMessage(text === 'flaky' ? 11 : 12, 'alice', recipient, text) };
    });
    await page.evaluate(() => {
      const client = new window.mc.MessageCenterClient({ outbox: { retryBaseMs: 20 } });
      window.probe = { client, sent: [] as string[] };
      client.outbox.on('sent', ({ message }) => window.probe.sent.push(message.body));
      client.outbox.send('bob', 'flaky');
      client.outbox.send('bob', 'refused');
    });
    await expect.poll(() => page.evaluate(() => window.probe.sent)).toEqual(['flaky']);
    await expect
      .poll(() => page.evaluate(() => window.probe.client.outbox.entries.map((entry: { status: string }) => entry.status)))
      .toEqual(['failed']);
    const flaky = calls
      .filter((call) => (call.body as { body: string }).body === 'flaky')
      .map((call) => (call.body as { clientId: string }).clientId);
    expect(flaky).toHaveLength(2);
    expect(flaky[0]).toBe(flaky[1]);
    expect(calls.filter((call) => (call.body as { body: string }).body === 'refused')).toHaveLength(1);

    refuse = false;
    await page.evaluate(() => window.probe.client.outbox.retry(window.probe.client.outbox.entries[0].clientId));
    await expect.poll(() => page.evaluate(() => window.probe.sent)).toEqual(['flaky', 'refused']);
    expect(await page.evaluate(() => window.probe.client.outbox.entries.length)).toBe(0);
  });
});
