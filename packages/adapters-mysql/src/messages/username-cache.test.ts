import { describe, expect, it } from 'vitest';
import { UsernameCache } from './username-cache.js';

describe('UsernameCache', () => {
  it('never holds more than its capacity', () => {
    const cache = new UsernameCache(3);
    for (let id = 1; id <= 1000; id++) cache.set(String(id), `user${id}`);
    expect(cache.size).toBe(3);
    expect([cache.get('998'), cache.get('999'), cache.get('1000')]).toEqual(['user998', 'user999', 'user1000']);
    expect(cache.get('997')).toBeUndefined();
  });

  it('evicts the least recently used name, so a name read often stays', () => {
    const cache = new UsernameCache(2);
    cache.set('1', 'alice');
    cache.set('2', 'bob');
    expect(cache.get('1')).toBe('alice');
    cache.set('3', 'carol');
    expect(cache.get('2')).toBeUndefined();
    expect(cache.get('1')).toBe('alice');
    expect(cache.get('3')).toBe('carol');
  });

  it('counts a name stored twice once', () => {
    const cache = new UsernameCache(2);
    cache.set('1', 'alice');
    cache.set('1', 'alice');
    cache.set('2', 'bob');
    expect([cache.size, cache.get('1'), cache.get('2')]).toEqual([2, 'alice', 'bob']);
  });

  it('refuses a capacity too small for the two names of a send', () => {
    expect(() => new UsernameCache(1)).toThrow(RangeError);
  });
});
