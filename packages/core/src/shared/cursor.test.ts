import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('cursors', () => {
  it.each(['123', 'alice', 'a_b.c-d', '', '9223372036854775807'])('round-trip %j', (key) => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toBe(key);
  });

  it('do not show the key in the clear', () => {
    expect(encodeCursor('123')).not.toContain('123');
  });

  it.each(['', '123', 'not base64!', 'a+b/c=', Buffer.from('x1:123').toString('base64url'), 'A'.repeat(401)])('refuse %j', (cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
