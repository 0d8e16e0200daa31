import { describe, expect, it } from 'vitest';
import { compareIds, isGreater, maxId } from './ids.js';

describe('message ids', () => {
  it('compare as integers beyond 2^53, never as strings', () => {
    expect(isGreater('10', '9')).toBe(true);
    expect(compareIds('9007199254740993', '9007199254740992')).toBe(1);
    expect(maxId('123456789012345678901', '99')).toBe('123456789012345678901');
    expect(compareIds('42', '42')).toBe(0);
  });
});
