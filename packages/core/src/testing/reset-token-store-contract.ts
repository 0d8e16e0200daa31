import { describe, expect, it } from 'vitest';
import type { User } from '../users/user.js';
import { aTokenHash, aUser } from './builders.js';
import { at, type OpenStorage, useStorage } from './storage-fixture.js';

const MINUTE = 60_000;

export function resetTokenStoreContract(name: string, open: OpenStorage): void {
  describe(`${name}: ResetTokenStore contract`, () => {
    const store = useStorage(open);
    const tokens = () => store().resetTokens;
    const anIssued = async (user: User, expiresAt = at(30 * MINUTE)) => {
      const tokenHash = aTokenHash();
      await tokens().issue({ tokenHash, userId: user.id, expiresAt });
      return tokenHash;
    };

    it('redeems a token once, for its user', async () => {
      const user = await aUser(store().users);
      const token = await anIssued(user);
      expect(await tokens().redeem(token, at(0))).toBe(user.id);
      expect(await tokens().redeem(token, at(0))).toBeUndefined();
    });

    it('knows no unknown token', async () => {
      await anIssued(await aUser(store().users));
      expect(await tokens().redeem(aTokenHash(), at(0))).toBeUndefined();
    });

    it('refuses a token from its expiry instant on, and spends it all the same', async () => {
      const user = await aUser(store().users);
      const token = await anIssued(user, at(MINUTE));
      expect(await tokens().redeem(token, at(MINUTE))).toBeUndefined();
      expect(await tokens().redeem(token, at(0))).toBeUndefined();
      const fresh = await anIssued(user, at(MINUTE));
      expect(await tokens().redeem(fresh, at(MINUTE - 1))).toBe(user.id);
    });

    it('keeps an older unexpired token valid when a newer one is issued', async () => {
      const user = await aUser(store().users);
      const older = await anIssued(user, at(20 * MINUTE));
      const newer = await anIssued(user, at(30 * MINUTE));
      expect(await tokens().redeem(older, at(MINUTE))).toBe(user.id);
      expect(await tokens().redeem(newer, at(MINUTE))).toBe(user.id);
    });

    it("revokes every token of one user and no one else's", async () => {
      const [alice, bob] = [await aUser(store().users), await aUser(store().users)];
      const alices = [await anIssued(alice), await anIssued(alice)];
      const bobs = await anIssued(bob);
      await tokens().revokeAllForUser(alice.id);
      for (const token of alices) expect(await tokens().redeem(token, at(0))).toBeUndefined();
      expect(await tokens().redeem(bobs, at(0))).toBe(bob.id);
      await expect(tokens().revokeAllForUser(alice.id)).resolves.toBeUndefined();
    });

    it('lets exactly one of concurrent redeems of one token win', async () => {
      const user = await aUser(store().users);
      const token = await anIssued(user);
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => tokens().redeem(token, at(0))));
      expect(outcomes.filter((o) => o !== undefined)).toEqual([user.id]);
    });
  });
}
