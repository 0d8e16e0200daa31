import { beforeEach, describe, expect, it } from 'vitest';
import { isId } from '../shared/ids.js';
import type { User } from '../users/user.js';
import { aSession, aTokenHash, aUser } from './builders.js';
import { at, type OpenStorage, useStorage } from './storage-fixture.js';

const HOUR = 3_600_000;

export function sessionStoreContract(name: string, open: OpenStorage): void {
  describe(`${name}: SessionStore contract`, () => {
    const store = useStorage(open);
    const sessions = () => store().sessions;
    let alice: User;
    let bob: User;
    beforeEach(async () => {
      alice = await aUser(store().users, 'alice');
      bob = await aUser(store().users, 'bob');
    });

    it('creates a session with a fresh id, the user and the expiry to the millisecond', async () => {
      const expiresAt = at(HOUR + 7);
      const session = await sessions().create({ tokenHash: aTokenHash(), userId: alice.id, expiresAt });
      expect(session).toEqual({ id: expect.any(String), userId: alice.id, expiresAt });
      expect(isId(session.id)).toBe(true);
      const other = await sessions().create({ tokenHash: aTokenHash(), userId: alice.id, expiresAt });
      expect(other.id).not.toBe(session.id);
    });

    it('finds a live session by its token hash and by its id', async () => {
      const { session, tokenHash } = await aSession(sessions(), { user: alice, expiresAt: at(HOUR + 5) });
      expect(await sessions().findByTokenHash(tokenHash, at(0))).toEqual(session);
      expect(await sessions().findById(session.id, at(0))).toEqual(session);
      expect((await sessions().findById(session.id, at(0)))?.expiresAt.getTime()).toBe(at(HOUR + 5).getTime());
    });

    it('does not find unknown hashes or ids', async () => {
      await aSession(sessions(), { user: alice });
      expect(await sessions().findByTokenHash(aTokenHash(), at(0))).toBeUndefined();
      expect(await sessions().findById('987654321', at(0))).toBeUndefined();
    });

    it('treats a session as absent from its expiry instant on', async () => {
      const expiresAt = at(HOUR);
      const { session, tokenHash } = await aSession(sessions(), { user: alice, expiresAt });
      const justBefore = new Date(expiresAt.getTime() - 1);
      expect(await sessions().findByTokenHash(tokenHash, justBefore)).toBeDefined();
      expect(await sessions().findById(session.id, justBefore)).toBeDefined();
      expect(await sessions().findByTokenHash(tokenHash, expiresAt)).toBeUndefined();
      expect(await sessions().findById(session.id, expiresAt)).toBeUndefined();
      expect(await sessions().findByTokenHash(tokenHash, at(2 * HOUR))).toBeUndefined();
      expect(await sessions().findById(session.id, at(2 * HOUR))).toBeUndefined();
    });

    it('revokes one session, leaving the others', async () => {
      const first = await aSession(sessions(), { user: alice });
      const second = await aSession(sessions(), { user: alice });
      await sessions().revoke(first.session.id);
      expect(await sessions().findByTokenHash(first.tokenHash, at(0))).toBeUndefined();
      expect(await sessions().findById(first.session.id, at(0))).toBeUndefined();
      expect(await sessions().findByTokenHash(second.tokenHash, at(0))).toEqual(second.session);
    });

    it('accepts revoking an unknown or already revoked session', async () => {
      const { session } = await aSession(sessions(), { user: alice });
      await sessions().revoke(session.id);
      await expect(sessions().revoke(session.id)).resolves.toBeUndefined();
      await expect(sessions().revoke('987654321')).resolves.toBeUndefined();
    });

    it("revokes all of a user's sessions but the one to keep, and returns the ids it revoked", async () => {
      const kept = await aSession(sessions(), { user: alice });
      const others = [await aSession(sessions(), { user: alice }), await aSession(sessions(), { user: alice })];
      const bobs = await aSession(sessions(), { user: bob });

      const revoked = await sessions().revokeAllForUser(alice.id, kept.session.id);

      expect([...revoked].sort()).toEqual(others.map((o) => o.session.id).sort());
      expect(await sessions().findById(kept.session.id, at(0))).toEqual(kept.session);
      for (const o of others) expect(await sessions().findByTokenHash(o.tokenHash, at(0))).toBeUndefined();
      expect(await sessions().findById(bobs.session.id, at(0))).toEqual(bobs.session);
      expect(await sessions().revokeAllForUser(alice.id, kept.session.id)).toEqual([]);
    });

    it('revokes every session of the user when none is kept', async () => {
      const mine = [await aSession(sessions(), { user: alice }), await aSession(sessions(), { user: alice })];
      const revoked = await sessions().revokeAllForUser(alice.id);
      expect([...revoked].sort()).toEqual(mine.map((m) => m.session.id).sort());
      for (const m of mine) expect(await sessions().findById(m.session.id, at(0))).toBeUndefined();
      expect(await sessions().revokeAllForUser(alice.id)).toEqual([]);
      expect(await sessions().revokeAllForUser(bob.id)).toEqual([]);
    });
  });
}
