import { describe, expect, it } from 'vitest';
import { presenceText } from './presence-text.js';

describe('presenceText', () => {
  const now = Date.parse('2030-01-01T12:00:00.000Z');
  const seen = (msAgo: number) => ({ username: 'bob', online: false, lastSeenAt: new Date(now - msAgo).toISOString() });

  it('says online, offline when never seen, and nothing before the server answered', () => {
    expect(presenceText({ username: 'bob', online: true, lastSeenAt: null }, now)).toBe('online');
    expect(presenceText({ username: 'bob', online: false, lastSeenAt: null }, now)).toBe('offline');
    expect(presenceText(undefined, now)).toBe('');
  });

  it('says how long ago in words a listener understands', () => {
    expect(presenceText(seen(20_000), now)).toBe('last seen just now');
    expect(presenceText(seen(5 * 60_000 + 1_000), now)).toBe('last seen 5 min ago');
    expect(presenceText(seen(3 * 3_600_000), now)).toBe('last seen 3 h ago');
    expect(presenceText(seen(2 * 86_400_000), now)).toBe('last seen 2 d ago');
    expect(presenceText(seen(30 * 86_400_000), now)).toMatch(/^last seen on /);
  });
});
