import { afterEach, describe, expect, it } from 'vitest';
import {
  type Account,
  call,
  type Harness,
  type HarnessOptions,
  harness,
  type MessageJson,
  PASSWORD,
  problemOf,
  register,
  SAME_ORIGIN,
  type StorageFactory,
  send,
} from './harness.js';

/**
 * Every row of API.md's REST tables, run against one storage backend. The
 * in-memory run and the SQLite run share it, so both stores answer alike.
 */
export function describeApi(backend: string, storage: StorageFactory) {
  describe(`REST API on ${backend}`, () => {
    const open: Harness[] = [];
    const start = async (options: HarnessOptions = {}) => {
      const h = await harness({ storage, ...options });
      open.push(h);
      return h;
    };
    afterEach(async () => {
      for (const h of open.splice(0)) await h.close();
    });

    describe('POST /auth/register', () => {
      it('creates the user, answers 201 {user, token} and sets the session cookie', async () => {
        const { app } = await start();
        const res = await call(app, 'POST', '/api/v1/auth/register', { json: { username: 'Alice', password: PASSWORD } });
        expect(res.status).toBe(201);
        const body = (await res.json()) as Account;
        expect(body.user).toEqual({ id: expect.stringMatching(/^[0-9]+$/), username: 'Alice' });
        expect(body.token).toMatch(/^\S{40,}$/);
        const cookie = res.headers.get('set-cookie') ?? '';
        expect(cookie).toContain(`mc_session=${body.token}`);
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        expect(cookie).toMatch(/Path=\//);
        expect(cookie).not.toMatch(/Secure/);
        const me = await call(app, 'GET', '/api/v1/auth/me', { cookie: body.token });
        expect(await me.json()).toEqual({ user: body.user, email: null });
      });

      it('names the cookie __Host-mc_session and marks it Secure behind HTTPS; either name is the one session cookie', async () => {
        const { app } = await start();
        const res = await call(app, 'POST', '/api/v1/auth/register', {
          json: { username: 'alice', password: PASSWORD },
          headers: { 'X-Forwarded-Proto': 'https' },
        });
        const { token } = (await res.json()) as Account;
        expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^__Host-mc_session=${token}; .*Path=/.*Secure`));
        const forced = await (await start({ secureCookies: true })).app;
        const again = await call(forced, 'POST', '/api/v1/auth/register', { json: { username: 'bob', password: PASSWORD } });
        expect(again.headers.get('set-cookie')).toMatch(/^__Host-mc_session=.*Secure/);

        const me = (cookie: string) => call(app, 'GET', '/api/v1/auth/me', { headers: { Cookie: cookie } });
        expect((await me(`__Host-mc_session=${token}`)).status).toBe(200);
        // A plain cookie left from before HTTPS with the same session is the same credential; another session beside it is none.
        expect((await me(`mc_session=${token}; __Host-mc_session=${token}`)).status).toBe(200);
        expect((await me(`mc_session=planted; __Host-mc_session=${token}`)).status).toBe(401);

        const out = await call(app, 'POST', '/api/v1/auth/logout', {
          headers: { Cookie: `__Host-mc_session=${token}`, Origin: SAME_ORIGIN, 'X-Forwarded-Proto': 'https' },
        });
        expect(out.status).toBe(204);
        expect(out.headers.get('set-cookie')).toMatch(/__Host-mc_session=;.*Max-Age=0/);
      });

      it('answers 422 for a bad username or password, naming the fields', async () => {
        const { app } = await start();
        const res = await call(app, 'POST', '/api/v1/auth/register', { json: { username: 'a b', password: 'short' } });
        const problem = await problemOf(res, 422, 'validation-failed');
        expect(problem.errors?.map((e) => e.path).sort()).toEqual(['password', 'username']);
        await problemOf(await call(app, 'POST', '/api/v1/auth/register', { json: { username: 'alice' } }), 422, 'validation-failed');
        await problemOf(
          await call(app, 'POST', '/api/v1/auth/register', { json: { username: 7, password: PASSWORD } }),
          422,
          'validation-failed',
        );
        await problemOf(await call(app, 'POST', '/api/v1/auth/register', { json: ['alice', PASSWORD] }), 422, 'validation-failed');
        await problemOf(
          await call(app, 'POST', '/api/v1/auth/register', { body: 'username=alice', headers: { 'Content-Type': 'text/plain' } }),
          422,
          'validation-failed',
        );
      });

      it('answers 409 username-taken, whatever the letter case', async () => {
        const { app } = await start();
        await register(app, 'alice');
        const res = await call(app, 'POST', '/api/v1/auth/register', { json: { username: 'ALICE', password: PASSWORD } });
        await problemOf(res, 409, 'username-taken');
      });

      it('answers 403 forbidden when registration is closed', async () => {
        const { app } = await start({ config: { allowRegistration: false } });
        const res = await call(app, 'POST', '/api/v1/auth/register', { json: { username: 'alice', password: PASSWORD } });
        await problemOf(res, 403, 'forbidden');
      });
    });

    describe('POST /auth/login', () => {
      it('answers 200 {user, token} with a new session and cookie', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        const res = await call(app, 'POST', '/api/v1/auth/login', { json: { username: 'ALICE', password: PASSWORD } });
        expect(res.status).toBe(200);
        const body = (await res.json()) as Account;
        expect(body.user).toEqual(alice.user);
        expect(body.token).not.toBe(alice.token);
        expect(res.headers.get('set-cookie')).toContain(`mc_session=${body.token}`);
      });

      it('answers the same 401 for an unknown user and a wrong password', async () => {
        const { app } = await start();
        await register(app, 'alice');
        const unknown = await problemOf(
          await call(app, 'POST', '/api/v1/auth/login', { json: { username: 'nobody', password: PASSWORD } }),
          401,
          'unauthenticated',
        );
        const wrong = await problemOf(
          await call(app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: 'wrong password' } }),
          401,
          'unauthenticated',
        );
        expect(unknown).toEqual(wrong);
      });

      it('answers 429 with Retry-After after 10 failures from one address, even for the right password, until the window passes', async () => {
        const h = await start();
        await register(h.app, 'alice');
        const attempt = (password: string) => call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password } });
        for (let i = 0; i < 10; i++) expect((await attempt('wrong password')).status).toBe(401);
        const blocked = await attempt(PASSWORD);
        await problemOf(blocked.clone(), 429, 'rate-limited');
        const retryAfter = Number(blocked.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        h.clock.advance(15 * 60 * 1000 + 1);
        expect((await attempt(PASSWORD)).status).toBe(200);
      });

      it('clears the failures on success', async () => {
        const h = await start();
        await register(h.app, 'alice');
        const attempt = (password: string) => call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password } });
        for (let i = 0; i < 9; i++) await attempt('wrong password');
        expect((await attempt(PASSWORD)).status).toBe(200);
        for (let i = 0; i < 9; i++) expect((await attempt('wrong password')).status).toBe(401);
        expect((await attempt(PASSWORD)).status).toBe(200);
      });

      it('answers 422 for a body of the wrong shape', async () => {
        const { app } = await start();
        await problemOf(await call(app, 'POST', '/api/v1/auth/login', { json: { username: 'alice' } }), 422, 'validation-failed');
      });
    });

    describe('POST /auth/logout', () => {
      it('answers 204, revokes the session, clears the cookie and ends its sockets', async () => {
        const h = await start();
        const alice = await register(h.app, 'alice');
        const res = await call(h.app, 'POST', '/api/v1/auth/logout', { cookie: alice.token });
        expect(res.status).toBe(204);
        expect(res.headers.get('set-cookie')).toMatch(/mc_session=;.*Max-Age=0/);
        await problemOf(await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token }), 401, 'unauthenticated');
        expect(h.delivered).toContainEqual({ kind: 'end-sessions', sessionIds: [expect.any(String)] });
      });

      it('answers 401 without a session', async () => {
        const { app } = await start();
        await problemOf(await call(app, 'POST', '/api/v1/auth/logout'), 401, 'unauthenticated');
        await problemOf(await call(app, 'POST', '/api/v1/auth/logout', { token: 'nope' }), 401, 'unauthenticated');
      });
    });

    describe('GET /auth/me', () => {
      it('answers 200 {user} by bearer or cookie, 401 otherwise', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        expect(await (await call(app, 'GET', '/api/v1/auth/me', { token: alice.token })).json()).toEqual({ user: alice.user, email: null });
        await problemOf(await call(app, 'GET', '/api/v1/auth/me'), 401, 'unauthenticated');
        await problemOf(await call(app, 'GET', '/api/v1/auth/me', { token: `${alice.token}x` }), 401, 'unauthenticated');
        await problemOf(await call(app, 'GET', '/api/v1/auth/me', { cookie: 'forged' }), 401, 'unauthenticated');
        const basic = await call(app, 'GET', '/api/v1/auth/me', {
          headers: { Authorization: 'Basic YTpi', Cookie: `mc_session=${alice.token}` },
        });
        await problemOf(basic, 401, 'unauthenticated');
      });

      it('answers 401 once the session has expired', async () => {
        const h = await start({ config: { sessionTtlMs: 60_000 } });
        const alice = await register(h.app, 'alice');
        h.clock.advance(60_001);
        await problemOf(await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token }), 401, 'unauthenticated');
      });
    });

    describe('POST /auth/password', () => {
      it('answers 204 and revokes every other session of the user, keeping this one', async () => {
        const h = await start();
        const alice = await register(h.app, 'alice');
        const other = (await (
          await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: PASSWORD } })
        ).json()) as Account;
        const res = await call(h.app, 'POST', '/api/v1/auth/password', {
          token: alice.token,
          json: { currentPassword: PASSWORD, newPassword: 'a new password' },
        });
        expect(res.status).toBe(204);
        expect((await call(h.app, 'GET', '/api/v1/auth/me', { token: alice.token })).status).toBe(200);
        await problemOf(await call(h.app, 'GET', '/api/v1/auth/me', { token: other.token }), 401, 'unauthenticated');
        expect(h.delivered).toContainEqual({ kind: 'end-sessions', sessionIds: [expect.any(String)] });
        const oldLogin = await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: PASSWORD } });
        expect(oldLogin.status).toBe(401);
        const newLogin = await call(h.app, 'POST', '/api/v1/auth/login', { json: { username: 'alice', password: 'a new password' } });
        expect(newLogin.status).toBe(200);
      });

      it('answers 422 for a wrong current password or a weak new one, 401 without a session', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        const wrong = await call(app, 'POST', '/api/v1/auth/password', {
          token: alice.token,
          json: { currentPassword: 'not it at all', newPassword: 'a new password' },
        });
        expect((await problemOf(wrong, 422, 'validation-failed')).errors).toEqual([
          { path: 'currentPassword', message: expect.any(String) },
        ]);
        const weak = await call(app, 'POST', '/api/v1/auth/password', {
          token: alice.token,
          json: { currentPassword: PASSWORD, newPassword: 'short' },
        });
        expect((await problemOf(weak, 422, 'validation-failed')).errors?.[0]?.path).toBe('newPassword');
        const anonymous = await call(app, 'POST', '/api/v1/auth/password', {
          json: { currentPassword: PASSWORD, newPassword: 'a new password' },
        });
        await problemOf(anonymous, 401, 'unauthenticated');
      });
    });

    describe('POST /auth/ws-ticket', () => {
      it('answers 200 {ticket}, redeemable once for the session', async () => {
        const h = await start();
        const alice = await register(h.app, 'alice');
        const res = await call(h.app, 'POST', '/api/v1/auth/ws-ticket', { token: alice.token });
        expect(res.status).toBe(200);
        const { ticket } = (await res.json()) as { ticket: string };
        expect(ticket).toMatch(/^\S{40,}$/);
        await problemOf(await call(h.app, 'POST', '/api/v1/auth/ws-ticket'), 401, 'unauthenticated');
      });
    });

    describe('GET /users', () => {
      it('lists every user but the caller by lower-case username, with a case-insensitive literal prefix', async () => {
        const { app } = await start();
        const me = await register(app, 'zed');
        for (const name of ['bob', 'Alice', 'a_b', 'axb', 'carol']) await register(app, name);
        const names = async (query: string) => {
          const res = await call(app, 'GET', `/api/v1/users${query}`, { token: me.token });
          expect(res.status).toBe(200);
          const page = (await res.json()) as { items: { id: string; username: string }[]; nextCursor: string | null };
          return page.items.map((u) => u.username);
        };
        expect(await names('')).toEqual(['a_b', 'Alice', 'axb', 'bob', 'carol']);
        expect(await names('?q=A')).toEqual(['a_b', 'Alice', 'axb']);
        expect(await names('?q=a_')).toEqual(['a_b']);
        expect(await names('?q=a%25')).toEqual([]);
        expect(await names('?q=ZE')).toEqual([]);
      });

      it('pages with limit and cursor', async () => {
        const { app } = await start();
        const me = await register(app, 'me_');
        for (const name of ['u1', 'u2', 'u3', 'u4', 'u5'].map((n) => `${n}xx`)) await register(app, name);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
          const page = (await (await call(app, 'GET', `/api/v1/users${query}`, { token: me.token })).json()) as {
            items: { username: string }[];
            nextCursor: string | null;
          };
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items.map((u) => u.username));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seen).toEqual(['u1xx', 'u2xx', 'u3xx', 'u4xx', 'u5xx']);
        expect((await call(app, 'GET', '/api/v1/users?limit=100000', { token: me.token })).status).toBe(200);
      });

      it('answers 422 for a bad limit or cursor, 401 without a session', async () => {
        const { app } = await start();
        const me = await register(app, 'alice');
        for (const q of ['limit=0', 'limit=-1', 'limit=abc', 'limit=1.5', 'cursor=%21%21']) {
          await problemOf(await call(app, 'GET', `/api/v1/users?${q}`, { token: me.token }), 422, 'validation-failed');
        }
        await problemOf(await call(app, 'GET', '/api/v1/users'), 401, 'unauthenticated');
      });
    });

    describe('POST /messages', () => {
      it('answers 201 with the message; the body is trimmed; both people are notified', async () => {
        const h = await start();
        const alice = await register(h.app, 'alice');
        await register(h.app, 'Bob');
        const res = await call(h.app, 'POST', '/api/v1/messages', { token: alice.token, json: { recipient: 'bob', body: '  hi \n' } });
        expect(res.status).toBe(201);
        const message = (await res.json()) as MessageJson;
        expect(message).toEqual({
          id: expect.stringMatching(/^[0-9]+$/),
          sender: 'alice',
          recipient: 'Bob',
          body: 'hi',
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        expect(h.delivered).toContainEqual({
          kind: 'event',
          userIds: expect.any(Array),
          event: { type: 'message.created', id: message.id, sender: 'alice', recipient: 'Bob' },
        });
      });

      it('answers 200 and the first message when a clientId is repeated; 409 when it is reused differently', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        await register(app, 'bob');
        await register(app, 'carol');
        const post = (json: unknown) => call(app, 'POST', '/api/v1/messages', { token: alice.token, json });
        const first = await post({ recipient: 'bob', body: 'hi', clientId: 'c-1' });
        expect(first.status).toBe(201);
        const again = await post({ recipient: 'bob', body: 'hi', clientId: 'c-1' });
        expect(again.status).toBe(200);
        expect(await again.json()).toEqual(await first.json());
        await problemOf(await post({ recipient: 'bob', body: 'other', clientId: 'c-1' }), 409, 'client-id-reused');
        await problemOf(await post({ recipient: 'carol', body: 'hi', clientId: 'c-1' }), 409, 'client-id-reused');
      });

      it('takes a clientId of 64 characters counted in code points, and retries it', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        await register(app, 'bob');
        const post = (json: unknown) => call(app, 'POST', '/api/v1/messages', { token: alice.token, json });
        const clientId = '😀'.repeat(64);
        const first = await post({ recipient: 'bob', body: 'hi', clientId });
        expect(first.status).toBe(201);
        const again = await post({ recipient: 'bob', body: 'hi', clientId });
        expect(again.status).toBe(200);
        expect(await again.json()).toEqual(await first.json());
        await problemOf(await post({ recipient: 'bob', body: 'hi', clientId: '😀'.repeat(65) }), 422, 'validation-failed');
      });

      it('answers 422 for each body rule, a message to oneself and a bad clientId', async () => {
        const { app } = await start({ config: { maxMessageLength: 5 } });
        const alice = await register(app, 'alice');
        await register(app, 'bob');
        const post = (json: unknown) => call(app, 'POST', '/api/v1/messages', { token: alice.token, json });
        const cases: [unknown, string][] = [
          [{ recipient: 'bob', body: ' \n\t ' }, 'body'],
          [{ recipient: 'bob', body: '123456' }, 'body'],
          [{ recipient: 'bob', body: 'a\u0000b' }, 'body'],
          [{ recipient: 'ALICE', body: 'hi' }, 'recipient'],
          [{ recipient: 'bob', body: 'hi', clientId: '' }, 'clientId'],
          [{ recipient: 'bob', body: 'hi', clientId: 'x'.repeat(65) }, 'clientId'],
          [{ recipient: 'bob' }, 'body'],
          [{ recipient: 'bob', body: 5 }, 'body'],
        ];
        for (const [json, path] of cases) {
          const problem = await problemOf(await post(json), 422, 'validation-failed');
          expect(problem.errors?.map((e) => e.path)).toContain(path);
        }
        // Code points, not UTF-16 units: five emoji fit in five.
        expect((await post({ recipient: 'bob', body: '😀😀😀😀😀' })).status).toBe(201);
      });

      it('answers 404 for an unknown recipient, 401 without a session', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        await problemOf(
          await call(app, 'POST', '/api/v1/messages', { token: alice.token, json: { recipient: 'nobody', body: 'hi' } }),
          404,
          'not-found',
        );
        await problemOf(await call(app, 'POST', '/api/v1/messages', { json: { recipient: 'alice', body: 'hi' } }), 401, 'unauthenticated');
      });
    });

    describe('GET /messages?with=', () => {
      it('returns one conversation newest first, paged towards older messages', async () => {
        const { app } = await start({ config: { messagesToLoad: 3 } });
        const alice = await register(app, 'alice');
        const bob = await register(app, 'bob');
        const carol = await register(app, 'carol');
        const sent: MessageJson[] = [];
        for (let i = 1; i <= 7; i++) sent.push(await send(app, i % 2 ? alice : bob, i % 2 ? 'bob' : 'alice', `m${i}`));
        await send(app, carol, 'alice', 'not in this conversation');
        const pages: string[][] = [];
        let before: string | null = null;
        do {
          const query: string = before === null ? '' : `&before=${encodeURIComponent(before)}`;
          const res = await call(app, 'GET', `/api/v1/messages?with=BOB${query}`, { token: alice.token });
          expect(res.status).toBe(200);
          const page = (await res.json()) as { items: MessageJson[]; nextCursor: string | null };
          pages.push(page.items.map((m) => m.body));
          before = page.nextCursor;
        } while (before !== null);
        expect(pages).toEqual([['m7', 'm6', 'm5'], ['m4', 'm3', 'm2'], ['m1']]);
        const limited = await call(app, 'GET', '/api/v1/messages?with=alice&limit=2', { token: bob.token });
        expect(((await limited.json()) as { items: MessageJson[] }).items.map((m) => m.body)).toEqual(['m7', 'm6']);
        const clamped = await call(app, 'GET', '/api/v1/messages?with=bob&limit=1000', { token: alice.token });
        expect(((await clamped.json()) as { items: MessageJson[] }).items).toHaveLength(7);
        expect(sent).toHaveLength(7);
      });

      it('answers 404 for an unknown user and 422 for a bad limit or cursor', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        await register(app, 'bob');
        await problemOf(await call(app, 'GET', '/api/v1/messages?with=nobody', { token: alice.token }), 404, 'not-found');
        for (const q of ['limit=0', 'limit=-3', 'limit=abc', 'before=garbage!']) {
          await problemOf(await call(app, 'GET', `/api/v1/messages?with=bob&${q}`, { token: alice.token }), 422, 'validation-failed');
        }
      });
    });

    describe('GET /messages?after=', () => {
      it('returns what the caller sent or received after the id, oldest first, continuing with nextCursor', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        const bob = await register(app, 'bob');
        const carol = await register(app, 'carol');
        const m1 = await send(app, alice, 'bob', 'one');
        await send(app, bob, 'carol', 'not for alice');
        const m2 = await send(app, bob, 'alice', 'two');
        const m3 = await send(app, carol, 'alice', 'three');
        const all = (await (await call(app, 'GET', '/api/v1/messages?after=0', { token: alice.token })).json()) as {
          items: MessageJson[];
          nextCursor: string | null;
        };
        expect(all).toEqual({ items: [m1, m2, m3], nextCursor: null });
        const first = (await (await call(app, 'GET', '/api/v1/messages?after=0&limit=2', { token: alice.token })).json()) as {
          items: MessageJson[];
          nextCursor: string;
        };
        expect(first.items).toEqual([m1, m2]);
        expect(first.nextCursor).toBe(m2.id);
        const rest = await call(app, 'GET', `/api/v1/messages?after=${first.nextCursor}&limit=2`, { token: alice.token });
        expect(await rest.json()).toEqual({ items: [m3], nextCursor: null });
        expect((await call(app, 'GET', '/api/v1/messages?after=0&limit=100000', { token: alice.token })).status).toBe(200);
      });

      it('answers 422 for a bad id or limit', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        for (const q of ['after=abc', 'after=-1', 'after=01', 'after=', 'after=0&limit=0', 'after=0&limit=x']) {
          await problemOf(await call(app, 'GET', `/api/v1/messages?${q}`, { token: alice.token }), 422, 'validation-failed');
        }
      });
    });

    describe('GET /messages with neither or both of with and after, or before without with', () => {
      it('answers 422', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        await register(app, 'bob');
        for (const q of ['', '?with=bob&after=0', '?before=abc', '?after=0&before=abc', '?limit=5']) {
          await problemOf(await call(app, 'GET', `/api/v1/messages${q}`, { token: alice.token }), 422, 'validation-failed');
        }
        await problemOf(await call(app, 'GET', '/api/v1/messages?after=0'), 401, 'unauthenticated');
      });
    });

    describe('GET /messages/{id}', () => {
      it('answers 200 to its sender and recipient and 404 to anyone else, for a malformed id and for no such message', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        const bob = await register(app, 'bob');
        const carol = await register(app, 'carol');
        const message = await send(app, alice, 'bob', 'hi');
        for (const who of [alice, bob]) {
          expect(await (await call(app, 'GET', `/api/v1/messages/${message.id}`, { token: who.token })).json()).toEqual(message);
        }
        const hidden = await problemOf(await call(app, 'GET', `/api/v1/messages/${message.id}`, { token: carol.token }), 404, 'not-found');
        const missing = await problemOf(await call(app, 'GET', '/api/v1/messages/999999', { token: carol.token }), 404, 'not-found');
        expect(hidden).toEqual(missing);
        for (const id of ['abc', '-1', '1.5', '99999999999999999999999']) {
          await problemOf(await call(app, 'GET', `/api/v1/messages/${id}`, { token: alice.token }), 404, 'not-found');
        }
        await problemOf(await call(app, 'GET', `/api/v1/messages/${message.id}`), 401, 'unauthenticated');
      });
    });

    describe('GET /conversations and POST /conversations/{username}/read', () => {
      it('lists the inbox most recent first with unread counts that follow the read marker, never backwards', async () => {
        const h = await start();
        const { app } = h;
        const alice = await register(app, 'alice');
        const bob = await register(app, 'bob');
        const carol = await register(app, 'carol');
        const b1 = await send(app, bob, 'alice', 'b1');
        const b2 = await send(app, bob, 'alice', 'b2');
        await send(app, alice, 'bob', 'mine is never unread');
        const c1 = await send(app, carol, 'alice', 'c1');
        const inbox = async () =>
          (await (await call(app, 'GET', '/api/v1/conversations', { token: alice.token })).json()) as {
            items: { peer: { id: string; username: string }; lastMessage: MessageJson; unreadCount: number }[];
            nextCursor: string | null;
          };
        const before = await inbox();
        expect(before.nextCursor).toBeNull();
        expect(before.items.map((c) => [c.peer, c.lastMessage.body, c.unreadCount])).toEqual([
          [carol.user, 'c1', 1],
          [bob.user, 'mine is never unread', 2],
        ]);
        expect(before.items[0]?.lastMessage).toEqual(c1);

        const mark = (peer: string, lastReadId: unknown) =>
          call(app, 'POST', `/api/v1/conversations/${peer}/read`, { token: alice.token, json: { lastReadId } });
        expect((await mark('bob', b1.id)).status).toBe(204);
        expect((await inbox()).items.find((c) => c.peer.username === 'bob')?.unreadCount).toBe(1);
        expect(h.delivered).toContainEqual({
          kind: 'event',
          userIds: expect.any(Array),
          event: { type: 'conversation.read', reader: 'alice', peer: 'bob', lastReadId: b1.id },
        });
        expect((await mark('BOB', b2.id)).status).toBe(204);
        expect((await mark('bob', b1.id)).status).toBe(204);
        expect((await inbox()).items.find((c) => c.peer.username === 'bob')?.unreadCount).toBe(0);

        await problemOf(await mark('nobody', b1.id), 404, 'not-found');
        await problemOf(await mark('bob', 'abc'), 422, 'validation-failed');
        await problemOf(await mark('bob', 12), 422, 'validation-failed');
        await problemOf(await call(app, 'POST', '/api/v1/conversations/bob/read', { json: { lastReadId: b1.id } }), 401, 'unauthenticated');
      });

      it('pages the inbox with limit and cursor; 422 for a bad limit', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        const peers: Account[] = [];
        for (const name of ['p1x', 'p2x', 'p3x']) peers.push(await register(app, name));
        for (const peer of peers) await send(app, peer, 'alice', `from ${peer.user.username}`);
        const first = (await (await call(app, 'GET', '/api/v1/conversations?limit=2', { token: alice.token })).json()) as {
          items: { peer: { username: string } }[];
          nextCursor: string;
        };
        expect(first.items.map((c) => c.peer.username)).toEqual(['p3x', 'p2x']);
        const rest = (await (
          await call(app, 'GET', `/api/v1/conversations?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, { token: alice.token })
        ).json()) as { items: { peer: { username: string } }[]; nextCursor: string | null };
        expect(rest.items.map((c) => c.peer.username)).toEqual(['p1x']);
        expect(rest.nextCursor).toBeNull();
        for (const q of ['limit=0', 'limit=no', 'cursor=%21']) {
          await problemOf(await call(app, 'GET', `/api/v1/conversations?${q}`, { token: alice.token }), 422, 'validation-failed');
        }
        await problemOf(await call(app, 'GET', '/api/v1/conversations'), 401, 'unauthenticated');
      });
    });

    describe('limit on every paged endpoint', () => {
      it('clamps a positive limit of any size and refuses zero, negative and non-integers with 422', async () => {
        const { app } = await start();
        const alice = await register(app, 'alice');
        await register(app, 'bob');
        await send(app, alice, 'bob', 'hi');
        const endpoints = ['/api/v1/users?', '/api/v1/messages?with=bob&', '/api/v1/messages?after=0&', '/api/v1/conversations?'];
        for (const endpoint of endpoints) {
          for (const huge of ['99999999999999999999', '9'.repeat(400), '0000000000000000000000000042']) {
            const res = await call(app, 'GET', `${endpoint}limit=${huge}`, { token: alice.token });
            expect(res.status, `${endpoint}limit=${huge}`).toBe(200);
            expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
          }
          for (const bad of ['-99999999999999999999', '-0', '1e3', '+5', '0x10']) {
            await problemOf(await call(app, 'GET', `${endpoint}limit=${bad}`, { token: alice.token }), 422, 'validation-failed');
          }
        }
      });
    });

    describe('GET /healthz', () => {
      it('answers 200 {status: ok} without authentication', async () => {
        const { app } = await start();
        const res = await call(app, 'GET', '/healthz');
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok' });
      });
    });
  });
}
