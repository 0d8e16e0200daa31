import { type ErrorOf, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;

/** Usernames are stored as given; this form is how they are compared and sorted. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function checkUsername(username: string): Result<string, ErrorOf<'validation-failed'>> {
  return USERNAME_PATTERN.test(username)
    ? ok(username)
    : err(invalid('username', 'must be 3 to 32 characters of A-Z, a-z, 0-9, "_", "." and "-"'));
}

/** A search prefix can only ever match if it could begin a username. */
export function isUsernamePrefix(prefix: string): boolean {
  return /^[A-Za-z0-9_.-]{0,32}$/.test(prefix);
}
