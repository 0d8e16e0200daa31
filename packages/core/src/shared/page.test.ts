import { describe, expect, it } from 'vitest';
import { pageLimit, toPage } from './page.js';

const rule = { default: 20, max: 100 };

describe('pageLimit', () => {
  it('defaults when absent', () => expect(pageLimit(undefined, rule)).toEqual({ ok: true, value: 20 }));

  it('keeps a limit within the maximum and clamps one above it', () => {
    expect(pageLimit(1, rule)).toEqual({ ok: true, value: 1 });
    expect(pageLimit(100, rule)).toEqual({ ok: true, value: 100 });
    expect(pageLimit(101, rule)).toEqual({ ok: true, value: 100 });
    expect(pageLimit(Number.MAX_SAFE_INTEGER, rule)).toEqual({ ok: true, value: 100 });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -0.5])('refuses %s', (raw) => {
    expect(pageLimit(raw, rule)).toEqual({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'limit', message: expect.any(String) }] },
    });
  });
});

describe('toPage', () => {
  it('has no next page when the rows fit', () => {
    expect(toPage([1, 2], 2, String)).toEqual({ items: [1, 2], nextCursor: null });
    expect(toPage([], 2, String)).toEqual({ items: [], nextCursor: null });
  });

  it('drops the extra row and points the cursor at the last kept one', () => {
    expect(toPage([1, 2, 3], 2, (last) => `after ${last}`)).toEqual({ items: [1, 2], nextCursor: 'after 2' });
  });
});
