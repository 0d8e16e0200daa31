import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../shared/cursor.js';
import { aCore } from '../testing/core-harness.js';
import { USERS_PAGE } from './list-users.js';
import type { User } from './user.js';

async function withUsers(...names: string[]) {
  const core = aCore();
  const viewer = (await core.createUser.execute({ username: 'viewer', password: 'long enough' })) as { ok: true; value: User };
  for (const username of names) await core.ports.users.create({ username, passwordHash: 'x' });
  return { core, viewer: viewer.value };
}

const names = (page: { items: readonly User[] }) => page.items.map((u) => u.username);

describe('ListUsers', () => {
  it('lists everyone but the viewer by lower-case name', async () => {
    const { core, viewer } = await withUsers('bob', 'Alice', 'carol');
    const result = await core.listUsers.execute({ viewer });
    expect(result.ok && names(result.value)).toEqual(['Alice', 'bob', 'carol']);
    expect(result.ok && result.value.nextCursor).toBeNull();
  });

  it('filters by prefix, case-insensitively and literally', async () => {
    const { core, viewer } = await withUsers('a_b1', 'axb1', 'Anna', 'bob');
    const list = async (q: string) => {
      const result = await core.listUsers.execute({ viewer, q });
      return result.ok ? names(result.value) : result.error;
    };
    expect(await list('a_')).toEqual(['a_b1']);
    expect(await list('AN')).toEqual(['Anna']);
    expect(await list('')).toEqual(['a_b1', 'Anna', 'axb1', 'bob']);
    expect(await list('v')).toEqual([]);
  });

  it('answers an empty page for a prefix no username can have', async () => {
    const { core, viewer } = await withUsers('a%b');
    for (const q of ['a%', 'ä', 'x'.repeat(33), ' ']) {
      expect(await core.listUsers.execute({ viewer, q })).toEqual({ ok: true, value: { items: [], nextCursor: null } });
    }
  });

  it('pages with cursors that round-trip, without gaps or duplicates', async () => {
    const given = Array.from({ length: 11 }, (_, i) => `User${String(i).padStart(2, '0')}`);
    const { core, viewer } = await withUsers(...given);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const result = await core.listUsers.execute({ viewer, limit: 3, ...(cursor ? { cursor } : {}) });
      if (!result.ok) throw new Error(result.error.kind);
      expect(result.value.items.length).toBeLessThanOrEqual(3);
      seen.push(...names(result.value));
      if (result.value.nextCursor === null) break;
      cursor = result.value.nextCursor;
    }
    expect(seen).toEqual(given);
  });

  it('has no next cursor when the page is exactly full', async () => {
    const { core, viewer } = await withUsers('a1', 'a2');
    const result = await core.listUsers.execute({ viewer, limit: 2 });
    expect(result.ok && result.value).toEqual({ items: expect.any(Array), nextCursor: null });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the limit %s', async (limit) => {
    const { core, viewer } = await withUsers();
    const result = await core.listUsers.execute({ viewer, limit });
    expect(!result.ok && result.error).toEqual({ kind: 'validation-failed', issues: [{ path: 'limit', message: expect.any(String) }] });
  });

  it('clamps the limit at its maximum and defaults it', async () => {
    const { core, viewer } = await withUsers(...Array.from({ length: USERS_PAGE.max + 5 }, (_, i) => `u${i}`));
    const clamped = await core.listUsers.execute({ viewer, limit: 10_000 });
    expect(clamped.ok && clamped.value.items).toHaveLength(USERS_PAGE.max);
    const byDefault = await core.listUsers.execute({ viewer });
    expect(byDefault.ok && byDefault.value.items).toHaveLength(USERS_PAGE.default);
  });

  it('refuses a cursor it did not make', async () => {
    const { core, viewer } = await withUsers('bob');
    for (const cursor of ['not a cursor', '', Buffer.from('x1:bob').toString('base64url')]) {
      const result = await core.listUsers.execute({ viewer, cursor });
      expect(!result.ok && result.error).toEqual({ kind: 'validation-failed', issues: [{ path: 'cursor', message: expect.any(String) }] });
    }
    expect((await core.listUsers.execute({ viewer, cursor: encodeCursor('a') })).ok).toBe(true);
  });
});
