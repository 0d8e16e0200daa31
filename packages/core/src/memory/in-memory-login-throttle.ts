import type { LoginThrottle, ThrottleKey } from '../auth/login-throttle.js';

/** More than any policy reads; keeps a key under attack from growing without bound. */
const MAX_REMEMBERED_FAILURES = 1000;

export class InMemoryLoginThrottle implements LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  async failuresSince(key: ThrottleKey, since: Date): Promise<Date[]> {
    const from = since.getTime();
    return (this.failures.get(keyOf(key)) ?? []).filter((at) => at >= from).map((at) => new Date(at));
  }

  async recordFailure(key: ThrottleKey, at: Date): Promise<void> {
    const k = keyOf(key);
    const times = [...(this.failures.get(k) ?? []), at.getTime()].sort((a, b) => a - b);
    this.failures.set(k, times.slice(-MAX_REMEMBERED_FAILURES));
  }

  async withdrawFailure(key: ThrottleKey, at: Date): Promise<void> {
    const k = keyOf(key);
    const times = this.failures.get(k) ?? [];
    const index = times.lastIndexOf(at.getTime());
    if (index >= 0) this.failures.set(k, times.toSpliced(index, 1));
  }

  async clear(key: ThrottleKey): Promise<void> {
    this.failures.delete(keyOf(key));
  }
}

function keyOf(key: ThrottleKey): string {
  return JSON.stringify([key.username, key.clientAddress]);
}
