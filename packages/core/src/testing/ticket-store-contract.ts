import { describe, expect, it } from 'vitest';
import type { TicketGrant } from '../auth/ticket-store.js';
import { aSession, aTokenHash, aUser } from './builders.js';
import { at, type OpenStorage, useStorage } from './storage-fixture.js';

export function ticketStoreContract(name: string, open: OpenStorage): void {
  describe(`${name}: TicketStore contract`, () => {
    const store = useStorage(open);
    const tickets = () => store().tickets;
    const aGrant = async (): Promise<TicketGrant> => {
      const user = await aUser(store().users);
      const { session } = await aSession(store().sessions, { user });
      return { userId: user.id, sessionId: session.id };
    };

    it('redeems an issued ticket once', async () => {
      const grant = await aGrant();
      const ticketHash = aTokenHash();
      await tickets().issue({ ticketHash, ...grant, expiresAt: at(30_000) });
      expect(await tickets().redeem(ticketHash, at(0))).toEqual(grant);
      expect(await tickets().redeem(ticketHash, at(0))).toBeUndefined();
    });

    it('knows no unknown ticket', async () => {
      const grant = await aGrant();
      await tickets().issue({ ticketHash: aTokenHash(), ...grant, expiresAt: at(30_000) });
      expect(await tickets().redeem(aTokenHash(), at(0))).toBeUndefined();
    });

    it('keeps tickets apart', async () => {
      const first = await aGrant();
      const second = await aGrant();
      const [h1, h2] = [aTokenHash(), aTokenHash()];
      await tickets().issue({ ticketHash: h1, ...first, expiresAt: at(30_000) });
      await tickets().issue({ ticketHash: h2, ...second, expiresAt: at(30_000) });
      expect(await tickets().redeem(h2, at(0))).toEqual(second);
      expect(await tickets().redeem(h1, at(0))).toEqual(first);
    });

    it('gives the grant to exactly one of concurrent redeems', async () => {
      const grant = await aGrant();
      const ticketHash = aTokenHash();
      await tickets().issue({ ticketHash, ...grant, expiresAt: at(30_000) });
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => tickets().redeem(ticketHash, at(0))));
      expect(outcomes.filter((o) => o !== undefined)).toEqual([grant]);
    });

    it('treats a ticket as absent from its expiry instant on', async () => {
      const grant = await aGrant();
      const [live, expired, late] = [aTokenHash(), aTokenHash(), aTokenHash()];
      for (const ticketHash of [live, expired, late]) await tickets().issue({ ticketHash, ...grant, expiresAt: at(30_000) });
      expect(await tickets().redeem(live, at(29_999))).toEqual(grant);
      expect(await tickets().redeem(expired, at(30_000))).toBeUndefined();
      expect(await tickets().redeem(late, at(90_000))).toBeUndefined();
    });
  });
}
