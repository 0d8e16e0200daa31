import { HOST_PREFIX, SESSION_COOKIE, type SessionCredential, sessionCookieIn, sessionCredentialOf } from '@message-center/core';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';

export interface CookieOptions {
  /** Always mark the cookie `Secure`; otherwise only when the request came over HTTPS. */
  readonly secureCookies?: boolean;
}

/** HTTPS seen directly or announced by a proxy; a wrong `X-Forwarded-Proto` can only add `Secure`, never remove it. */
function overHttps(c: Context, options: CookieOptions): boolean {
  if (options.secureCookies) return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** Over HTTPS the cookie takes the `__Host-` prefix, so only this host, over HTTPS, can set it. */
export function setSessionCookie(c: Context, token: string, expiresAt: Date, options: CookieOptions): void {
  const secure = overHttps(c, options);
  setCookie(c, secure ? `${HOST_PREFIX}${SESSION_COOKIE}` : SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure,
    expires: expiresAt,
  });
}

/** Both names: a browser may hold the plain one from before HTTPS beside the prefixed one. */
export function clearSessionCookie(c: Context, options: CookieOptions): void {
  const secure = overHttps(c, options);
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Lax', path: '/', secure });
  if (secure) deleteCookie(c, `${HOST_PREFIX}${SESSION_COOKIE}`, { httpOnly: true, sameSite: 'Lax', path: '/', secure });
}

/** Whether the request carries our session cookie at all (one, or several that disagree). */
export function hasSessionCookie(c: Context): boolean {
  return sessionCookieIn(c.req.header('cookie'), SESSION_COOKIE).kind !== 'absent';
}

/** Bearer header or session cookie, by the core's one rule (two different session cookies are `ambiguous`). */
export function credentialOf(c: Context): SessionCredential {
  return sessionCredentialOf(c.req.header('authorization'), c.req.header('cookie'));
}

export function hasAuthorizationHeader(c: Context): boolean {
  return c.req.header('authorization') !== undefined;
}
