import type { Clock } from '../shared/clock.js';

/** A clock that stands still until told otherwise, so tests can reach every expiry exactly. */
export class FixedClock implements Clock {
  private current: number;

  constructor(start: Date | string | number = '2024-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string | number): void {
    this.current = new Date(to).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

/** The same clock under the name tests that move time tend to look for. */
export class ManualClock extends FixedClock {}
