import { describe, expect, it } from 'vitest';
import { Overloaded } from '../shared/errors.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import { BoundedPasswordHasher } from './bounded-password-hasher.js';

/** A hasher whose every call waits until the test lets it finish. */
class GatedHasher implements PasswordHasher {
  started = 0;
  private readonly gates: (() => void)[] = [];
  hash(password: string): Promise<string> {
    this.started++;
    return new Promise((resolve) => this.gates.push(() => resolve(`h:${password}`)));
  }
  async verify(password: string, hash: string): Promise<boolean> {
    return (await this.hash(password)) === hash;
  }
  finishOne(): void {
    this.gates.shift()?.();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function finishAll(inner: GatedHasher, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    inner.finishOne();
    await settle();
  }
}

describe('BoundedPasswordHasher', () => {
  it('runs at most `concurrency` at once and starts a waiting one as soon as a slot frees', async () => {
    const inner = new GatedHasher();
    const hasher = new BoundedPasswordHasher(inner, { concurrency: 2, maxWaiting: 10 });
    const results = ['a', 'b', 'c', 'd'].map((p) => hasher.hash(p));
    await settle();
    expect(inner.started).toBe(2);
    expect(hasher.load).toEqual({ running: 2, waiting: 2 });
    inner.finishOne();
    await settle();
    expect(inner.started).toBe(3);
    await finishAll(inner, 3);
    expect(await Promise.all(results)).toEqual(['h:a', 'h:b', 'h:c', 'h:d']);
    expect(hasher.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses with Overloaded, without starting any work, once `maxWaiting` calls wait', async () => {
    const inner = new GatedHasher();
    const hasher = new BoundedPasswordHasher(inner, { concurrency: 1, maxWaiting: 2, retryAfterSeconds: 3 });
    const accepted = [hasher.hash('a'), hasher.verify('b', 'h:b'), hasher.hash('c')];
    const refused = hasher.hash('d');
    await expect(refused).rejects.toBeInstanceOf(Overloaded);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 3 });
    await finishAll(inner, 3);
    expect(await Promise.all(accepted)).toEqual(['h:a', true, 'h:c']);
    expect(inner.started).toBe(3);
  });

  it('frees the slot of a hash that failed', async () => {
    const failing: PasswordHasher = { hash: () => Promise.reject(new Error('boom')), verify: async () => false };
    const hasher = new BoundedPasswordHasher(failing, { concurrency: 1, maxWaiting: 0 });
    await expect(hasher.hash('a')).rejects.toThrow('boom');
    await expect(hasher.hash('b')).rejects.toThrow('boom');
    expect(hasher.load).toEqual({ running: 0, waiting: 0 });
  });
});
