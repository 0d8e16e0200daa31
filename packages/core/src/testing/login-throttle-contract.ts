import { describe, expect, it } from 'vitest';
import type { ThrottleKey } from '../auth/login-throttle.js';
import { at, type OpenStorage, useStorage } from './storage-fixture.js';

const key = (username = 'alice', clientAddress = '192.0.2.1'): ThrottleKey => ({ username, clientAddress });
const times = (dates: Date[]) => dates.map((d) => d.getTime());

export function loginThrottleContract(name: string, open: OpenStorage): void {
  describe(`${name}: LoginThrottle contract`, () => {
    const store = useStorage(open);
    const throttle = () => store().throttle;

    it('knows no failures of a fresh key', async () => {
      expect(await throttle().failuresSince(key(), at(-1_000_000))).toEqual([]);
    });

    it('returns the failures oldest first, to the millisecond, whatever order they were recorded in', async () => {
      for (const ms of [3_001, 1_002, 2_003, 1_002]) await throttle().recordFailure(key(), at(ms));
      expect(times(await throttle().failuresSince(key(), at(0)))).toEqual(times([at(1_002), at(1_002), at(2_003), at(3_001)]));
    });

    it('counts failures at or after `since` only', async () => {
      for (const ms of [0, 1_000, 2_000, 3_000]) await throttle().recordFailure(key(), at(ms));
      expect(times(await throttle().failuresSince(key(), at(1_000)))).toEqual(times([at(1_000), at(2_000), at(3_000)]));
      expect(times(await throttle().failuresSince(key(), at(1_001)))).toEqual(times([at(2_000), at(3_000)]));
      expect(await throttle().failuresSince(key(), at(3_001))).toEqual([]);
    });

    it('keeps keys apart by username and by address', async () => {
      await throttle().recordFailure(key('alice', '192.0.2.1'), at(1));
      await throttle().recordFailure(key('alice', '192.0.2.1'), at(2));
      await throttle().recordFailure(key('alice', '2001:db8::1'), at(3));
      await throttle().recordFailure(key('bob', '192.0.2.1'), at(4));
      expect(await throttle().failuresSince(key('alice', '192.0.2.1'), at(0))).toHaveLength(2);
      expect(times(await throttle().failuresSince(key('alice', '2001:db8::1'), at(0)))).toEqual([at(3).getTime()]);
      expect(times(await throttle().failuresSince(key('bob', '192.0.2.1'), at(0)))).toEqual([at(4).getTime()]);
      expect(await throttle().failuresSince(key('carol', '192.0.2.1'), at(0))).toEqual([]);
    });

    it('does not split keys at a separator character', async () => {
      await throttle().recordFailure(key('a:b', 'c'), at(1));
      expect(await throttle().failuresSince(key('a', 'b:c'), at(0))).toEqual([]);
    });

    it('clears one key only', async () => {
      await throttle().recordFailure(key('alice', '192.0.2.1'), at(1));
      await throttle().recordFailure(key('alice', '192.0.2.2'), at(1));
      await throttle().clear(key('alice', '192.0.2.1'));
      expect(await throttle().failuresSince(key('alice', '192.0.2.1'), at(0))).toEqual([]);
      expect(await throttle().failuresSince(key('alice', '192.0.2.2'), at(0))).toHaveLength(1);
      await expect(throttle().clear(key('nobody'))).resolves.toBeUndefined();
    });

    it('withdraws one failure recorded at the given time, of that key only', async () => {
      for (const ms of [1_000, 2_000, 2_000, 3_000]) await throttle().recordFailure(key(), at(ms));
      await throttle().recordFailure(key('bob'), at(2_000));
      await throttle().withdrawFailure(key(), at(2_000));
      expect(times(await throttle().failuresSince(key(), at(0)))).toEqual(times([at(1_000), at(2_000), at(3_000)]));
      await throttle().withdrawFailure(key(), at(2_000));
      await throttle().withdrawFailure(key(), at(2_000));
      expect(times(await throttle().failuresSince(key(), at(0)))).toEqual(times([at(1_000), at(3_000)]));
      expect(await throttle().failuresSince(key('bob'), at(0))).toHaveLength(1);
      await expect(throttle().withdrawFailure(key('nobody'), at(1))).resolves.toBeUndefined();
    });

    it('records concurrent failures without losing any', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => throttle().recordFailure(key(), at(i))));
      expect(await throttle().failuresSince(key(), at(0))).toHaveLength(20);
    });
  });
}
