import type { Authenticator } from '@message-center/core';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { fail } from '../problems/problem.js';
import { bearerTokenOf, hasAuthorizationHeader, sessionCookieOf } from './session-cookie.js';

/**
 * Puts the caller's principal on the context, or answers 401. An
 * `Authorization` header, when present, is the only credential looked at: a
 * request cannot be half bearer, half cookie, which keeps the CSRF exemption
 * of bearer requests sound. Two different session cookies are no credential
 * (see `sessionCookieIn`).
 */
export function requireSession(authenticate: Authenticator) {
  return createMiddleware<AppEnv>(async function requireSession(c, next) {
    const token = hasAuthorizationHeader(c) ? bearerTokenOf(c) : cookieToken(c);
    if (token === undefined) fail({ kind: 'unauthenticated' });
    const principal = await authenticate.execute({ token });
    if (!principal.ok) fail(principal.error);
    c.set('principal', principal.value);
    await next();
  });
}

function cookieToken(c: Context): string | undefined {
  const cookie = sessionCookieOf(c);
  return cookie.kind === 'present' ? cookie.token : undefined;
}
