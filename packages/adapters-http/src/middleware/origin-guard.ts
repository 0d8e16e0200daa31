import type { OriginPolicy } from '@message-center/core';
import { createMiddleware } from 'hono/factory';
import { failWith } from '../problems/problem.js';
import { hasAuthorizationHeader, hasSessionCookie } from './session-cookie.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence by origin, for every content type (Hono's own `csrf`
 * middleware looked only at form posts in some versions).
 *
 * - Requests with an `Authorization` header are exempt: a cross-site page
 *   cannot make a browser attach one.
 * - A request that names an `Origin` must name an allowed one. This also
 *   covers login and registration, which carry no session yet: a foreign page
 *   must not log a visitor into the attacker's account (login CSRF).
 * - A cookie request without `Origin` must be marked `Sec-Fetch-Site:
 *   same-origin`; requests with neither cookie nor `Origin` are not from a
 *   browser session and pass on to authentication.
 * - With `hostCookies` (a host application's identity decides the caller, by
 *   cookies this guard cannot name), every request without `Authorization` is
 *   treated as a cookie request.
 */
export function originGuard(policy: OriginPolicy, options: { hostCookies?: boolean } = {}) {
  return createMiddleware(async function originGuard(c, next) {
    if (SAFE_METHODS.has(c.req.method) || hasAuthorizationHeader(c)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const host = c.req.header('host') ?? new URL(c.req.url).host;
      if (!policy.allows(origin, host)) failWith('forbidden', 'This origin may not act on this server (CSRF protection).');
      return next();
    }
    if ((options.hostCookies || hasSessionCookie(c)) && c.req.header('sec-fetch-site') !== 'same-origin') {
      failWith('forbidden', 'A cookie-authenticated request must come from an allowed origin (CSRF protection).');
    }
    return next();
  });
}
