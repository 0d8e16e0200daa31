import { type ErrorOf, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

export const DEFAULT_MAX_MESSAGE_LENGTH = 5000;

/**
 * The body as stored: trimmed with JavaScript's `trim()`, then 1 to `max`
 * code points, never a NUL (it truncates strings in too many C libraries).
 */
export function checkMessageBody(raw: string, max: number): Result<string, ErrorOf<'validation-failed'>> {
  const body = raw.trim();
  if (body.length === 0) return err(invalid('body', 'must not be empty'));
  if (body.includes('\u0000')) return err(invalid('body', 'must not contain NUL characters'));
  let codePoints = 0;
  for (const _ of body) {
    if (++codePoints > max) return err(invalid('body', `must be at most ${max} characters`));
  }
  return ok(body);
}

export const MAX_CLIENT_ID_LENGTH = 64;

export function checkClientId(clientId: string): Result<string, ErrorOf<'validation-failed'>> {
  return clientId.length >= 1 && clientId.length <= MAX_CLIENT_ID_LENGTH
    ? ok(clientId)
    : err(invalid('clientId', `must be 1 to ${MAX_CLIENT_ID_LENGTH} characters`));
}
