import { describe, expect, it } from 'vitest';
import { isId } from '../shared/ids.js';
import type { User } from '../users/user.js';
import type { UserQuery } from '../users/user-repository.js';
import { aUser, someUsers } from './builders.js';
import { type OpenStorage, useStorage } from './storage-fixture.js';

const byKey = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);
const names = (users: readonly User[]) => users.map((u) => u.username);

export function userRepositoryContract(name: string, open: OpenStorage): void {
  describe(`${name}: UserRepository contract`, () => {
    const store = useStorage(open);
    const users = () => store().users;
    const everyone = (query: Partial<UserQuery> = {}) => users().list({ excludeUserId: '0', prefix: '', limit: 1000, ...query });

    describe('create and find', () => {
      it('returns the user with a fresh id and the username as given', async () => {
        const created = await users().create({ username: 'Alice.Smith', passwordHash: 'h1' });
        expect(created).toEqual({ ok: true, value: { id: expect.any(String), username: 'Alice.Smith' } });
        expect(isId(created.ok ? created.value.id : '')).toBe(true);
      });

      it('gives every user its own id', async () => {
        const created = await someUsers(users(), 'u-one', 'u-two', 'u-three');
        expect(new Set(created.map((u) => u.id)).size).toBe(3);
      });

      it('finds by username in any letter case, returning the stored spelling and hash', async () => {
        const created = await aUser(users(), 'MiXeD_Case', 'the-hash');
        for (const spelling of ['MiXeD_Case', 'mixed_case', 'MIXED_CASE']) {
          expect(await users().findByUsername(spelling)).toEqual({
            id: created.id,
            username: 'MiXeD_Case',
            passwordHash: 'the-hash',
            email: null,
          });
        }
      });

      it('finds by id', async () => {
        const created = await aUser(users(), 'bob', 'bob-hash');
        expect(await users().findById(created.id)).toEqual({ id: created.id, username: 'bob', passwordHash: 'bob-hash', email: null });
      });

      it('answers undefined for unknown users', async () => {
        await aUser(users(), 'carol');
        expect(await users().findByUsername('carolyn')).toBeUndefined();
        expect(await users().findByUsername('caro')).toBeUndefined();
        // Not found through a PAD SPACE collation either, which would ignore the trailing spaces.
        expect(await users().findByUsername('carol ')).toBeUndefined();
        expect(await users().findByUsername('CAROL  ')).toBeUndefined();
        expect(await users().findManyByUsername(['carol '])).toEqual([]);
        expect(await users().findById('987654321')).toBeUndefined();
      });

      it('finds many by username at once, in any letter case, leaving out the unknown and giving each user once', async () => {
        const [ann, ben] = await someUsers(users(), 'Ann_M', 'ben.k', 'cid');
        const found = await users().findManyByUsername(['ANN_M', 'ben.K', 'ann_m', 'nobody', 'ben.k']);
        expect([...found].sort((a, b) => byKey(a.username, b.username))).toEqual([ann, ben]);
        expect(await users().findManyByUsername([])).toEqual([]);
      });

      it('keeps a username with every allowed character exactly', async () => {
        const created = await aUser(users(), 'A-b.C_9z');
        expect((await users().findById(created.id))?.username).toBe('A-b.C_9z');
      });

      it('keeps the password hash exactly', async () => {
        const hash = 'scrypt$131072$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';
        const created = await aUser(users(), 'dave', hash);
        expect((await users().findById(created.id))?.passwordHash).toBe(hash);
      });

      it('returns copies: changing a returned object changes nothing stored', async () => {
        const created = await aUser(users(), 'erin', 'erin-hash');
        const found = (await users().findById(created.id)) as { username: string; passwordHash: string };
        found.username = 'mallory';
        found.passwordHash = 'forged';
        expect(await users().findById(created.id)).toEqual({ id: created.id, username: 'erin', passwordHash: 'erin-hash', email: null });
      });
    });

    describe('uniqueness', () => {
      it('refuses a taken username in any letter case', async () => {
        await aUser(users(), 'frank');
        const taken = { ok: false, error: 'username-taken' };
        expect(await users().create({ username: 'frank', passwordHash: 'x' })).toEqual(taken);
        expect(await users().create({ username: 'FRANK', passwordHash: 'x' })).toEqual(taken);
        expect(await users().create({ username: 'Frank', passwordHash: 'x', email: 'frank@example.com' })).toEqual(taken);
        expect(await users().findByEmail('frank@example.com')).toBeUndefined();
        expect((await users().findByUsername('frank'))?.passwordHash).toBe('hash-of-frank');
      });

      it('lets exactly one of concurrent creates of one name win', async () => {
        const spellings = ['grace', 'GRACE', 'Grace', 'gRACE', 'grace', 'GrAcE', 'gracE', 'GRACe'];
        const outcomes = await Promise.all(spellings.map((username) => users().create({ username, passwordHash: `h-${username}` })));
        const winners = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
        expect(winners).toHaveLength(1);
        const stored = await users().findByUsername('grace');
        expect(stored?.id).toBe(winners[0]?.id);
        expect(stored?.username).toBe(winners[0]?.username);
        expect(await everyone()).toHaveLength(1);
      });

      it('does not confuse names that differ by more than case', async () => {
        await someUsers(users(), 'heidi', 'heidi2', 'heid', 'heidi_', 'heidi.');
        expect(names(await everyone())).toHaveLength(5);
      });
    });

    describe('email', () => {
      it('keeps the address as given and finds its owner in any letter case', async () => {
        const created = await users().create({ username: 'kim', passwordHash: 'h', email: 'Kim.Lee@Example.COM' });
        const id = created.ok ? created.value.id : '';
        const kim = { id, username: 'kim', passwordHash: 'h', email: 'Kim.Lee@Example.COM' };
        for (const spelling of ['Kim.Lee@Example.COM', 'kim.lee@example.com', 'KIM.LEE@EXAMPLE.COM']) {
          expect(await users().findByEmail(spelling)).toEqual(kim);
        }
        expect(await users().findById(id)).toEqual(kim);
        expect(await users().findByEmail('kim.lee@example.org')).toBeUndefined();
        expect(await users().findByEmail('kim.lee@example.com ')).toBeUndefined();
      });

      it('refuses an address taken in any letter case, at creation and on change', async () => {
        const lee = await users().create({ username: 'lee', passwordHash: 'h', email: 'lee@example.com' });
        expect(await users().create({ username: 'lee2', passwordHash: 'h', email: 'LEE@example.com' })).toEqual({
          ok: false,
          error: 'email-taken',
        });
        expect(await users().findByUsername('lee2')).toBeUndefined();
        const other = await aUser(users(), 'other');
        expect(await users().setEmail(other.id, 'Lee@Example.com')).toBe(false);
        expect((await users().findById(other.id))?.email).toBeNull();
        expect((await users().findByEmail('lee@example.com'))?.id).toBe(lee.ok ? lee.value.id : 'none');
      });

      it('lets one change the letter case of its own address, replace it, and remove it', async () => {
        const mo = await aUser(users(), 'mo');
        expect(await users().setEmail(mo.id, 'mo@example.com')).toBe(true);
        expect(await users().setEmail(mo.id, 'MO@example.com')).toBe(true);
        expect((await users().findById(mo.id))?.email).toBe('MO@example.com');
        expect(await users().setEmail(mo.id, 'mo@example.org')).toBe(true);
        // The old address is free again.
        expect(await users().findByEmail('mo@example.com')).toBeUndefined();
        const next = await aUser(users(), 'next');
        expect(await users().setEmail(next.id, 'mo@example.com')).toBe(true);
        expect(await users().setEmail(mo.id, null)).toBe(true);
        expect((await users().findById(mo.id))?.email).toBeNull();
        expect(await users().findByEmail('mo@example.org')).toBeUndefined();
      });

      it('lets many users have no address', async () => {
        const [a, b] = (await someUsers(users(), 'none-a', 'none-b')) as [User, User];
        expect(await users().setEmail(a.id, null)).toBe(true);
        expect(await users().setEmail(b.id, null)).toBe(true);
        expect(await users().create({ username: 'none-c', passwordHash: 'h', email: null })).toMatchObject({ ok: true });
      });

      it('keeps a 254-character address exactly', async () => {
        const long = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;
        expect(long).toHaveLength(254);
        const user = await aUser(users(), 'longmail');
        expect(await users().setEmail(user.id, long)).toBe(true);
        expect((await users().findByEmail(long.toUpperCase()))?.email).toBe(long);
      });

      it('lets exactly one of concurrent claims of one address win', async () => {
        const claimants = await someUsers(users(), 'c1', 'c2', 'c3', 'c4');
        const outcomes = await Promise.all(
          claimants.map((u, i) => users().setEmail(u.id, i % 2 ? 'race@example.com' : 'RACE@example.com')),
        );
        expect(outcomes.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('external users', () => {
      it('creates a user known by the host id, found by it exactly, with no password and no address', async () => {
        const created = await users().createExternal({ externalId: 'host-42', username: 'Hana' });
        expect(created).toEqual({ ok: true, value: { id: expect.any(String), username: 'Hana' } });
        const id = created.ok ? created.value.id : '';
        expect(await users().findByExternalId('host-42')).toEqual({ id, username: 'Hana', passwordHash: '', email: null });
        expect(await users().findByExternalId('HOST-42')).toBeUndefined();
        expect(await users().findByExternalId('host-4')).toBeUndefined();
        expect(await users().findByExternalId('host-42 ')).toBeUndefined();
        expect((await users().findByUsername('hana'))?.id).toBe(id);
      });

      it('refuses a taken host id, and a username taken in any letter case', async () => {
        await aUser(users(), 'Local_Lu');
        await users().createExternal({ externalId: 'h-1', username: 'first' });
        expect(await users().createExternal({ externalId: 'h-1', username: 'second' })).toEqual({ ok: false, error: 'external-id-taken' });
        // A host id with a trailing space is another host id.
        expect((await users().createExternal({ externalId: 'h-1 ', username: 'third' })).ok).toBe(true);
        expect((await users().findByExternalId('h-1 '))?.username).toBe('third');
        expect(await users().createExternal({ externalId: 'h-2', username: 'local_lu' })).toEqual({ ok: false, error: 'username-taken' });
        expect(await users().findByUsername('second')).toBeUndefined();
      });

      it('lets exactly one of concurrent provisions of one host id win', async () => {
        const outcomes = await Promise.all(
          ['a1', 'a2', 'a3'].map((u) => users().createExternal({ externalId: 'h-race', username: `race_${u}` })),
        );
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.error)).toEqual(['external-id-taken', 'external-id-taken']);
      });

      it('renames, keeps id and host id, and refuses a name another user holds in any letter case', async () => {
        const created = await users().createExternal({ externalId: 'h-ren', username: 'old_name' });
        const id = created.ok ? created.value.id : '';
        await aUser(users(), 'Taken.Name');
        expect(await users().rename(id, 'New_Name')).toBe(true);
        expect(await users().rename(id, 'new_name')).toBe(true);
        expect(await users().rename(id, 'taken.NAME')).toBe(false);
        expect(await users().findByExternalId('h-ren')).toMatchObject({ id, username: 'new_name' });
        expect(await users().findByUsername('old_name')).toBeUndefined();
        expect(names(await everyone({ prefix: 'new' }))).toEqual(['new_name']);
      });
    });

    describe('setPasswordHash', () => {
      it("changes that user's hash only", async () => {
        const [ivan, judy] = (await someUsers(users(), 'ivan', 'judy')) as [User, User];
        await users().setPasswordHash(ivan.id, 'new-hash');
        expect((await users().findById(ivan.id))?.passwordHash).toBe('new-hash');
        expect((await users().findByUsername('IVAN'))?.passwordHash).toBe('new-hash');
        expect((await users().findById(judy.id))?.passwordHash).toBe('hash-of-judy');
      });
    });

    describe('list', () => {
      it('orders by the lower-case username, compared code unit by code unit', async () => {
        const given = ['bob', 'Alice', 'charlie', 'alex', 'Zed', 'a_b', 'a-b', 'a.b', 'a9', 'AB', 'aa', '9lives', '_under', '-dash'];
        await someUsers(users(), ...given);
        // '-' < '.' < digits < '_' < letters: a binary collation over the lower-case name.
        expect(names(await everyone())).toEqual([...given].sort(byKey));
        expect(names(await everyone())).toEqual([
          '-dash',
          '9lives',
          '_under',
          'a-b',
          'a.b',
          'a9',
          'a_b',
          'aa',
          'AB',
          'alex',
          'Alice',
          'bob',
          'charlie',
          'Zed',
        ]);
      });

      it('returns users as id and username only', async () => {
        const created = await aUser(users(), 'kim');
        expect(await everyone()).toEqual([{ id: created.id, username: 'kim' }]);
      });

      it('leaves out the excluded user', async () => {
        const [, me] = (await someUsers(users(), 'leo', 'me', 'mia')) as [User, User, User];
        expect(names(await everyone({ excludeUserId: me.id }))).toEqual(['leo', 'mia']);
      });

      it('matches the prefix case-insensitively', async () => {
        await someUsers(users(), 'Nina', 'nick', 'NED', 'oscar', 'anna');
        expect(names(await everyone({ prefix: 'n' }))).toEqual(['NED', 'nick', 'Nina']);
        expect(names(await everyone({ prefix: 'NI' }))).toEqual(['nick', 'Nina']);
        expect(names(await everyone({ prefix: 'nina' }))).toEqual(['Nina']);
        expect(names(await everyone({ prefix: 'ninas' }))).toEqual([]);
      });

      it('matches the prefix literally: "_", "%" and "\\" are no wildcards', async () => {
        await someUsers(users(), 'a_b1', 'axb1', 'a%c1', 'abc1', 'a\\d1', 'a\\\\e1');
        expect(names(await everyone({ prefix: 'a_' }))).toEqual(['a_b1']);
        expect(names(await everyone({ prefix: 'A_B' }))).toEqual(['a_b1']);
        expect(names(await everyone({ prefix: 'a%' }))).toEqual(['a%c1']);
        expect(names(await everyone({ prefix: '%' }))).toEqual([]);
        expect(names(await everyone({ prefix: '_' }))).toEqual([]);
        expect(names(await everyone({ prefix: 'a\\' }))).toEqual(['a\\\\e1', 'a\\d1']);
        expect(names(await everyone({ prefix: 'a\\d' }))).toEqual(['a\\d1']);
        expect(names(await everyone({ prefix: "a'" }))).toEqual([]);
      });

      it('holds at most `limit` users', async () => {
        await someUsers(users(), 'p1', 'p2', 'p3', 'p4');
        expect(names(await everyone({ limit: 2 }))).toEqual(['p1', 'p2']);
        expect(names(await everyone({ limit: 1 }))).toEqual(['p1']);
      });

      it('starts strictly after `afterKey`', async () => {
        await someUsers(users(), 'q1', 'Q2', 'q3');
        expect(names(await everyone({ afterKey: 'q2' }))).toEqual(['q3']);
        expect(names(await everyone({ afterKey: 'q1' }))).toEqual(['Q2', 'q3']);
        expect(names(await everyone({ afterKey: 'q15' }))).toEqual(['Q2', 'q3']);
        expect(names(await everyone({ afterKey: 'q3' }))).toEqual([]);
      });

      it('pages through everyone by afterKey without gaps or duplicates', async () => {
        const given = Array.from({ length: 23 }, (_, i) => (i % 3 === 0 ? `User${i}` : i % 3 === 1 ? `user_${i}` : `USER-${i}`));
        const [me] = (await someUsers(users(), 'user0me', ...given)) as [User];
        const seen: string[] = [];
        let afterKey: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await users().list({ excludeUserId: me.id, prefix: 'USER', limit: 4, ...(afterKey ? { afterKey } : {}) });
          seen.push(...names(page));
          if (page.length < 4) break;
          afterKey = (page[page.length - 1] as User).username.toLowerCase();
        }
        expect(seen).toEqual([...given].sort(byKey));
      });
    });
  });
}
