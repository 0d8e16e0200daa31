import { sessionCookieIn } from './session-cookie.js';

/**
 * How a request names its session, read the same way by the REST API and the
 * WebSocket handshake: plain header values in, no HTTP library.
 */

/** The session cookie: `HttpOnly; SameSite=Lax; Path=/`; over HTTPS it is `__Host-mc_session`, also `Secure`. */
export const SESSION_COOKIE = 'mc_session';

export type SessionCredential =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'cookie'; readonly token: string }
  /** An `Authorization` header that is not `Bearer <token>`: refused, never passed over for the cookie. */
  | { readonly kind: 'malformed' }
  /** Two different session cookies (see `sessionCookieIn`): no session of ours, though a host's identity may still decide. */
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'none' };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header value, or `undefined`. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

/**
 * An `Authorization` header, when present, is the only credential looked at:
 * a request cannot be half bearer, half cookie, which keeps the CSRF exemption
 * of bearer requests sound. `cookieHeader` is the whole `Cookie` header value.
 */
export function sessionCredentialOf(
  authorization: string | undefined,
  cookieHeader: string | undefined,
  cookieName = SESSION_COOKIE,
): SessionCredential {
  if (authorization !== undefined) {
    const token = bearerTokenOf(authorization);
    return token === undefined ? { kind: 'malformed' } : { kind: 'bearer', token };
  }
  const cookie = sessionCookieIn(cookieHeader, cookieName);
  if (cookie.kind === 'ambiguous') return { kind: 'ambiguous' };
  return cookie.kind === 'absent' ? { kind: 'none' } : { kind: 'cookie', token: cookie.token };
}
