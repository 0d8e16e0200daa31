import { Overloaded } from '../shared/errors.js';
import type { PasswordHasher } from '../users/password-hasher.js';

export interface HashingCapacity {
  /** Hashes computed at once; the machine's cores is the most that helps. */
  readonly concurrency: number;
  /** Calls that may wait for a slot; the next one is refused with `Overloaded`. `Infinity` never refuses. */
  readonly maxWaiting: number;
  /** What a refused caller is told; a hash takes well under a second, so the queue drains quickly. */
  readonly retryAfterSeconds?: number;
}

export const DEFAULT_MAX_WAITING_HASHES = 64;

/**
 * A memory-hard KDF costs tens of milliseconds of a core and 128 MiB each:
 * unbounded, a burst of logins queues up minutes of work and memory that
 * every later login waits behind. This runs at most `concurrency` at once and
 * refuses, rather than queues, past `maxWaiting`.
 */
export class BoundedPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly capacity: HashingCapacity,
  ) {
    if (!(capacity.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  hash(password: string): Promise<string> {
    return this.run(() => this.inner.hash(password));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.run(() => this.inner.verify(password, hash));
  }

  /** Hashes running and waiting, for logs and tests. */
  get load(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.capacity.concurrency) {
      this.running++;
    } else {
      if (this.waiting.length >= this.capacity.maxWaiting) throw new Overloaded(this.capacity.retryAfterSeconds ?? 1);
      // The slot is handed over by the finishing hash, so `running` stays counted.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
