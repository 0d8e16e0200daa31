import { describe, expect, it } from 'vitest';
import { checkUsername, isUsernamePrefix, usernameKey } from './username.js';

describe('usernames', () => {
  it.each(['abc', 'A-b.C_9', 'x'.repeat(32), '___', '...'])('accepts %j', (name) => {
    expect(checkUsername(name)).toEqual({ ok: true, value: name });
  });

  it.each(['ab', 'x'.repeat(33), 'with space', 'émile', 'tab\there', 'new\nline', 'ab\u0000', 'a%b', "o'neil", 'ｆｕｌｌ'])(
    'refuses %j',
    (name) => {
      expect(checkUsername(name)).toEqual({
        ok: false,
        error: { kind: 'validation-failed', issues: [{ path: 'username', message: expect.any(String) }] },
      });
    },
  );

  it('compares in lower case', () => {
    expect(usernameKey('MiXeD_Case')).toBe('mixed_case');
  });

  it('knows which prefixes could begin a username', () => {
    expect(isUsernamePrefix('')).toBe(true);
    expect(isUsernamePrefix('a_')).toBe(true);
    expect(isUsernamePrefix('x'.repeat(32))).toBe(true);
    expect(isUsernamePrefix('x'.repeat(33))).toBe(false);
    expect(isUsernamePrefix('a%')).toBe(false);
    expect(isUsernamePrefix('ä')).toBe(false);
  });
});
