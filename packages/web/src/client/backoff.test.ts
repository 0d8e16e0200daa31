import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('reconnect backoff', () => {
  const options = { baseMs: 100, maxMs: 1000 };

  it('doubles the window each attempt, with at least half of it fixed', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(50);
    expect(backoffDelay(0, options, () => 1)).toBe(100);
    expect(backoffDelay(3, options, () => 0)).toBe(400);
    expect(backoffDelay(3, options, () => 1)).toBe(800);
  });

  it('is capped so a long outage does not push reconnects out forever', () => {
    expect(backoffDelay(30, options, () => 1)).toBe(1000);
  });

  it('spreads clients apart (jitter)', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(4, options)));
    expect(delays.size).toBeGreaterThan(1);
  });
});
