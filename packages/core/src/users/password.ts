import { type ErrorOf, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

/** Counted in code points, like message bodies, so an emoji is one character. */
export function checkPassword(password: string, path = 'password'): Result<string, ErrorOf<'validation-failed'>> {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    return err(invalid(path, `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`));
  }
  return ok(password);
}
