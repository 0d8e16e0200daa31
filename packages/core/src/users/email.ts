import { type ErrorOf, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

/** RFC 5321's limit on a forward path, and the width of the stored column. */
export const MAX_EMAIL_LENGTH = 254;

/**
 * Deliberately loose: one `@` with something on each side and no spaces or
 * control characters. Whether an address really receives mail is only
 * learned by sending to it; stricter patterns mostly refuse real addresses.
 */
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;

/** The one rule for an email address, at sign-up, on change, and in a reset request. */
export function checkEmail(email: string, path = 'email'): Result<string, ErrorOf<'validation-failed'>> {
  if ([...email].length > MAX_EMAIL_LENGTH || [...emailKey(email)].length > MAX_EMAIL_LENGTH) {
    return err(invalid(path, `must be at most ${MAX_EMAIL_LENGTH} characters`));
  }
  if (!EMAIL_SHAPE.test(email)) return err(invalid(path, 'must be an email address: one @, no spaces'));
  return ok(email);
}

/** Addresses are compared, and unique, regardless of letter case. */
export function emailKey(email: string): string {
  return email.toLowerCase();
}
