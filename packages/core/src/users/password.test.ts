import { describe, expect, it } from 'vitest';
import { checkPassword, couldBeAPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.js';

describe('passwords', () => {
  it('takes 8 to 1024 code points', () => {
    expect(checkPassword('x'.repeat(MIN_PASSWORD_LENGTH)).ok).toBe(true);
    expect(checkPassword('x'.repeat(MIN_PASSWORD_LENGTH - 1)).ok).toBe(false);
    expect(checkPassword('x'.repeat(MAX_PASSWORD_LENGTH)).ok).toBe(true);
    expect(checkPassword('x'.repeat(MAX_PASSWORD_LENGTH + 1)).ok).toBe(false);
  });

  it('counts an emoji as one character', () => {
    expect(checkPassword('🔑'.repeat(7)).ok).toBe(false);
    expect(checkPassword('🔑'.repeat(8)).ok).toBe(true);
    expect(checkPassword('🔑'.repeat(MAX_PASSWORD_LENGTH)).ok).toBe(true);
  });

  it('names the field it checked', () => {
    expect(checkPassword('short', 'newPassword')).toEqual({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'newPassword', message: 'must be 8 to 1024 characters' }] },
    });
  });

  it('refuses a lone surrogate (UTF-8 would make every one U+FFFD), keeps a pair', () => {
    for (const lone of ['abcdefgh\ud800', 'abcdefgh\udfff', '\udc00\ud800abcdefgh']) {
      expect(checkPassword(lone, 'newPassword')).toEqual({
        ok: false,
        error: { kind: 'validation-failed', issues: [{ path: 'newPassword', message: 'must be valid Unicode text (no lone surrogates)' }] },
      });
      expect(couldBeAPassword(lone)).toBe(false);
    }
    expect(checkPassword('abcdefgh\ud83d\udd11').ok).toBe(true);
    expect(couldBeAPassword('abcdefgh\ud83d\udd11')).toBe(true);
    expect(couldBeAPassword('x'.repeat(MAX_PASSWORD_LENGTH + 1))).toBe(false);
  });
});
