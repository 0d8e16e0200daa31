import { afterEach, describe, expect, it, vi } from 'vitest';
import { presenceContract } from '../testing/presence-contract.js';
import { InMemoryPresence } from './in-memory-presence.js';
import { ManualClock } from './manual-clock.js';

presenceContract('InMemoryPresence', async ({ graceMs }) => {
  const presence = new InMemoryPresence({ graceMs });
  return { open: async () => presence, close: () => presence.close() };
});

describe('InMemoryPresence with a clock of its own', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("takes since when and last seen from the injected clock, and API.md's 10 s grace by default", async () => {
    vi.useFakeTimers();
    const clock = new ManualClock('2030-01-01T00:00:00.000Z');
    const presence = new InMemoryPresence({ clock });
    const alice = { id: '1', username: 'alice' };
    presence.connected(alice);
    expect((await presence.statusOf(['1']))[0]?.onlineSince).toEqual(new Date('2030-01-01T00:00:00.000Z'));
    clock.advance(60_000);
    presence.disconnected(alice);
    clock.advance(9_999);
    vi.advanceTimersByTime(9_999);
    expect((await presence.statusOf(['1']))[0]?.online).toBe(true);
    vi.advanceTimersByTime(1);
    expect(await presence.statusOf(['1'])).toEqual([
      { userId: '1', online: false, onlineSince: null, lastSeenAt: new Date('2030-01-01T00:01:00.000Z') },
    ]);
    await presence.close();
  });
});
