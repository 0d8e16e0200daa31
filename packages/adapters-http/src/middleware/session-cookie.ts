import { SESSION_COOKIE, type SessionCredential, sessionCookieIn, sessionCredentialOf } from '@message-center/core';
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

export function setSessionCookie(c: Context, token: string, expiresAt: Date, options: CookieOptions): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: overHttps(c, options),
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, options: CookieOptions): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Lax', path: '/', secure: overHttps(c, options) });
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
