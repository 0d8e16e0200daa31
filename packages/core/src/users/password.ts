import { type ErrorOf, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { hasLoneSurrogate } from '../shared/unicode.js';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Counted in code points, like message bodies, so an emoji is one character.
 * Never a lone surrogate: the hasher sees UTF-8, where every one of them is
 * U+FFFD, so `"abcdefgh\ud800"` and `"abcdefgh\udfff"` would be one password.
 */
export function checkPassword(password: string, path = 'password'): Result<string, ErrorOf<'validation-failed'>> {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    return err(invalid(path, `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`));
  }
  if (hasLoneSurrogate(password)) return err(invalid(path, 'must be valid Unicode text (no lone surrogates)'));
  return ok(password);
}

/**
 * Whether a password offered as proof (at login, or as the current password)
 * could be anyone's: one that `checkPassword` would refuse today is refused
 * without hashing it, since the KDF's cost grows with its length and a lone
 * surrogate would match every password that differs from it only there.
 */
export function couldBeAPassword(password: string): boolean {
  return [...password].length <= MAX_PASSWORD_LENGTH && !hasLoneSurrogate(password);
}
