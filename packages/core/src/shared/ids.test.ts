import { describe, expect, it } from 'vitest';
import { compareIds, isId } from './ids.js';

describe('ids', () => {
  it.each(['0', '1', '42', '9223372036854775807'])('accepts %j', (id) => expect(isId(id)).toBe(true));

  it.each(['', '-1', '01', '00', '1.0', '1e3', ' 1', '1 ', '+1', '0x1', '١٢', '9223372036854775808', '99999999999999999999'])(
    'refuses %j',
    (id) => expect(isId(id)).toBe(false),
  );

  it('compares numerically, not as text', () => {
    expect(compareIds('9', '10')).toBe(-1);
    expect(compareIds('10', '9')).toBe(1);
    expect(compareIds('9223372036854775807', '9223372036854775806')).toBe(1);
    expect(compareIds('7', '7')).toBe(0);
    expect(['10', '9', '100', '1'].sort(compareIds)).toEqual(['1', '9', '10', '100']);
  });
});
