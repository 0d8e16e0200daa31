import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('ProvisionExternalUser', () => {
  it('creates the host user on first sight and finds the same user after', async () => {
    const core = aCore();
    const first = await core.provisionExternalUser.execute({ id: 'h-7', username: 'Alice' });
    const again = await core.provisionExternalUser.execute({ id: 'h-7', username: 'Alice' });
    expect(first).toEqual({ ok: true, value: { id: expect.any(String), username: 'Alice' } });
    expect(again).toEqual(first);
  });

  it('picks up a username changed in the host, keeping the id and the messages', async () => {
    const core = aCore();
    const bob = await core.signUp('bob');
    const alice = await core.provisionExternalUser.execute({ id: 'h-7', username: 'alice' });
    if (!alice.ok) throw new Error(alice.error.kind);
    await core.sendMessage.execute({ sender: alice.value, recipient: 'bob', body: 'hi' });

    expect(await core.provisionExternalUser.execute({ id: 'h-7', username: 'alice.b' })).toEqual({
      ok: true,
      value: { id: alice.value.id, username: 'alice.b' },
    });
    const history = await core.listHistory.execute({ viewer: bob.user, peer: 'alice.b' });
    expect(history.ok && history.value.items.map((m) => [m.sender.username, m.body])).toEqual([['alice.b', 'hi']]);
  });

  it('keeps the old name while the new one belongs to someone else', async () => {
    const core = aCore();
    await core.signUp('carol');
    const dee = await core.provisionExternalUser.execute({ id: 'h-9', username: 'dee' });
    expect(await core.provisionExternalUser.execute({ id: 'h-9', username: 'CAROL' })).toEqual(dee);
  });

  it('refuses an invalid username or id, and a first-seen name that is taken', async () => {
    const core = aCore();
    await core.signUp('erin');
    expect(await core.provisionExternalUser.execute({ id: 'h-1', username: 'a b' })).toMatchObject({
      ok: false,
      error: { kind: 'validation-failed' },
    });
    expect(await core.provisionExternalUser.execute({ id: '', username: 'okay' })).toMatchObject({
      ok: false,
      error: { kind: 'validation-failed' },
    });
    expect(await core.provisionExternalUser.execute({ id: 'h-2', username: 'Erin' })).toEqual({
      ok: false,
      error: { kind: 'username-taken' },
    });
  });
});

describe('IdentifyHostUser', () => {
  it('gives one live session per user, reused, and a new one once that one is revoked', async () => {
    const core = aCore();
    const first = await core.identifyHostUser.execute({ id: 'h-1', username: 'fay' });
    const second = await core.identifyHostUser.execute({ id: 'h-1', username: 'fay' });
    if (!first.ok || !second.ok) throw new Error('not identified');
    expect(second.value.session).toEqual(first.value.session);
    expect(await core.authenticate.sessionIsLive(first.value.session.id)).toBe(true);

    await core.logOut.execute({ session: first.value.session });
    const third = await core.identifyHostUser.execute({ id: 'h-1', username: 'fay' });
    expect(third.ok && third.value.session.id).not.toBe(first.value.session.id);
  });
});

describe('IssueHostToken', () => {
  it('returns a bearer token that authenticates the host user until it expires', async () => {
    const core = aCore();
    const issued = await core.issueHostToken.execute({ id: 'h-3', username: 'gus' }, { ttlMs: 60_000 });
    if (!issued.ok) throw new Error(issued.error.kind);
    expect(issued.value.expiresAt.getTime() - core.clock.now().getTime()).toBe(60_000);
    expect(await core.authenticate.execute({ token: issued.value.token })).toMatchObject({ ok: true, value: { user: issued.value.user } });
    core.clock.advance(60_001);
    expect((await core.authenticate.execute({ token: issued.value.token })).ok).toBe(false);
  });
});

describe('SignOutHostUser', () => {
  it("ends every session of the host's user, tokens included, and tells every process to close their sockets", async () => {
    const core = aCore();
    const browser = await core.identifyHostUser.execute({ id: 'h-5', username: 'hal' });
    const token = await core.issueHostToken.execute({ id: 'h-5', username: 'hal' });
    const other = await core.issueHostToken.execute({ id: 'h-6', username: 'ida' });
    if (!browser.ok || !token.ok || !other.ok) throw new Error('not identified');

    expect(await core.signOutHostUser.execute({ id: 'h-5' })).toEqual({ ended: 2 });
    expect(await core.authenticate.sessionIsLive(browser.value.session.id)).toBe(false);
    expect((await core.authenticate.execute({ token: token.value.token })).ok).toBe(false);
    expect((await core.authenticate.execute({ token: other.value.token })).ok).toBe(true);
    expect(core.published.at(-1)).toEqual({ kind: 'end-sessions', sessionIds: expect.arrayContaining([browser.value.session.id]) });
    expect(core.published.at(-1)).toMatchObject({ sessionIds: { length: 2 } });
  });

  it('ends nothing for a host id never seen, and publishes nothing', async () => {
    const core = aCore();
    const before = core.published.length;
    expect(await core.signOutHostUser.execute({ id: 'nobody' })).toEqual({ ended: 0 });
    expect(core.published.length).toBe(before);
  });
});
