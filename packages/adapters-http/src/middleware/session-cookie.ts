import { type SessionCookie, sessionCookieIn } from '@message-center/core';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'mc_session';

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

/** Read by the core's one parser, shared with the WebSocket handshake: two different session cookies are no credential. */
export function sessionCookieOf(c: Context): SessionCookie {
  return sessionCookieIn(c.req.header('cookie'), SESSION_COOKIE);
}

/** The bearer token, or `undefined` when the request has no `Authorization: Bearer` header. */
export function bearerTokenOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function hasAuthorizationHeader(c: Context): boolean {
  return c.req.header('authorization') !== undefined;
}
