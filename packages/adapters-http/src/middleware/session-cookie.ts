import { SESSION_COOKIE, type SessionCredential, sessionCredentialOf } from '@message-center/core';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

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

export function sessionCookieOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Bearer header or session cookie, by the core's one rule. */
export function credentialOf(c: Context): SessionCredential {
  return sessionCredentialOf(c.req.header('authorization'), sessionCookieOf(c));
}

export function hasAuthorizationHeader(c: Context): boolean {
  return c.req.header('authorization') !== undefined;
}
