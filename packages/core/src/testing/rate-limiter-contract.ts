import { describe, expect, it } from 'vitest';
import type { RateLimiter, RateLimiters } from '../limits/rate-limiter.js';

let names = 0;
/** A name no other test (nor another run on a shared Redis) has used. */
const freshName = () => `contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${names++}`;

async function spend(limiter: RateLimiter, key: string, times: number) {
  const decisions = [];
  for (let i = 0; i < times; i++) decisions.push(await limiter.consume(key));
  return decisions;
}

const allowedCount = (decisions: readonly { allowed: boolean }[]) => decisions.filter((d) => d.allowed).length;

/**
 * The `RateLimiter` port. `stores()` gives the factory under test; limits use
 * fresh names, so the suite may run against a store other runs share.
 */
export function rateLimiterContract(name: string, stores: () => RateLimiters): void {
  describe(`${name}: RateLimiter contract`, () => {
    it('allows `points` consumptions, then refuses with a whole number of seconds to wait, within the window', async () => {
      const limiter = stores().create(freshName(), { points: 3, durationSeconds: 60 });
      const decisions = await spend(limiter, 'alice', 4);
      expect(decisions.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
      const refused = decisions[3];
      expect(refused?.allowed).toBe(false);
      if (refused?.allowed !== false) return;
      expect(Number.isInteger(refused.retryAfterSeconds)).toBe(true);
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    });

    it('counts each key on its own, and each limit name on its own', async () => {
      const store = stores();
      const name = freshName();
      const limiter = store.create(name, { points: 1, durationSeconds: 60 });
      expect(await limiter.consume('alice')).toEqual({ allowed: true });
      expect((await limiter.consume('alice')).allowed).toBe(false);
      expect(await limiter.consume('bob')).toEqual({ allowed: true });
      expect(await limiter.consume('alice ')).toEqual({ allowed: true });
      const other = store.create(freshName(), { points: 1, durationSeconds: 60 });
      expect(await other.consume('alice')).toEqual({ allowed: true });
    });

    it('never allows more than `points` of many consumptions made at the same moment', async () => {
      const limiter = stores().create(freshName(), { points: 5, durationSeconds: 60 });
      const decisions = await Promise.all(Array.from({ length: 40 }, () => limiter.consume('alice')));
      expect(allowedCount(decisions)).toBe(5);
    });

    it('gives a refunded point back, and only to that key', async () => {
      const limiter = stores().create(freshName(), { points: 2, durationSeconds: 60 });
      await spend(limiter, 'alice', 2);
      await spend(limiter, 'bob', 2);
      await limiter.refund('alice');
      expect(await limiter.consume('alice')).toEqual({ allowed: true });
      expect((await limiter.consume('alice')).allowed).toBe(false);
      expect((await limiter.consume('bob')).allowed).toBe(false);
    });

    it('forgets a reset key entirely, and no other', async () => {
      const limiter = stores().create(freshName(), { points: 2, durationSeconds: 60 });
      await spend(limiter, 'alice', 3);
      await spend(limiter, 'bob', 3);
      await limiter.reset('alice');
      expect(allowedCount(await spend(limiter, 'alice', 3))).toBe(2);
      expect((await limiter.consume('bob')).allowed).toBe(false);
    });

    it('allows again once the window has passed', async () => {
      const limiter = stores().create(freshName(), { points: 2, durationSeconds: 1 });
      await spend(limiter, 'alice', 2);
      const refused = await limiter.consume('alice');
      expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(allowedCount(await spend(limiter, 'alice', 3))).toBe(2);
    });
  });
}
