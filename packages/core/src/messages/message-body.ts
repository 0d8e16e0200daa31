import { type ErrorOf, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { hasLoneSurrogate } from '../shared/unicode.js';

export const DEFAULT_MAX_MESSAGE_LENGTH = 5000;

/**
 * The body as stored: trimmed with JavaScript's `trim()`, then 1 to `max`
 * code points, never a NUL (it truncates strings in too many C libraries),
 * never a lone surrogate (a UTF-8 store would keep U+FFFD instead, so the
 * body read back, and an idempotent retry's comparison, would differ).
 */
export function checkMessageBody(raw: string, max: number): Result<string, ErrorOf<'validation-failed'>> {
  const body = raw.trim();
  if (body.length === 0) return err(invalid('body', 'must not be empty'));
  if (body.includes('\u0000')) return err(invalid('body', 'must not contain NUL characters'));
  if (hasLoneSurrogate(body)) return err(invalid('body', 'must be valid Unicode text'));
  let codePoints = 0;
  for (const _ of body) {
    if (++codePoints > max) return err(invalid('body', `must be at most ${max} characters`));
  }
  return ok(body);
}

export const MAX_CLIENT_ID_LENGTH = 64;

/** Characters are code points, as for bodies and passwords (and as the store's `varchar(64)` counts them). */
export function checkClientId(clientId: string): Result<string, ErrorOf<'validation-failed'>> {
  const length = [...clientId].length;
  if (length < 1 || length > MAX_CLIENT_ID_LENGTH) {
    return err(invalid('clientId', `must be 1 to ${MAX_CLIENT_ID_LENGTH} characters`));
  }
  // Stored and looked up as UTF-8 text: a key the store would alter could never match its retry.
  if (clientId.includes('\u0000') || hasLoneSurrogate(clientId)) return err(invalid('clientId', 'must be valid Unicode text without NUL'));
  return ok(clientId);
}
