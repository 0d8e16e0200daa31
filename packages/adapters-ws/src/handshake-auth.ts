import type { ErrorOf, OriginPolicy, Principal, Result } from '@message-center/core';
import { StoreUnavailable, sessionCookieIn } from '@message-center/core';
import type { Context, MiddlewareHandler } from 'hono';

type PrincipalResult = Result<Principal, ErrorOf<'unauthenticated'>>;

/** The two use cases the handshake needs; core's `UseCases` object fits as it is. */
export interface HandshakeUseCases {
  readonly authenticate: {
    execute(input: { token: string }): Promise<PrincipalResult>;
    /** Asked again once the connection is registered, for a revocation that landed during the handshake. */
    sessionIsLive(sessionId: string): Promise<boolean>;
  };
  readonly redeemWsTicket: { execute(input: { ticket: string }): Promise<PrincipalResult> };
}

export interface HandshakeAuthOptions {
  readonly useCases: HandshakeUseCases;
  readonly originPolicy: OriginPolicy;
  readonly sessionCookieName?: string;
}

export type HandshakeEnv = { Variables: { principal: Principal } };

type Credential =
  | { readonly kind: 'ticket'; readonly ticket: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'cookie'; readonly token: string }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'none' };

/**
 * Authenticates the upgrade request before any upgrade happens, so a refusal is
 * a plain HTTP 401 or 403. A ticket or a bearer token may come from any origin;
 * a cookie only from an allowed one, which is what stops cross-site WebSocket hijacking.
 */
export function handshakeAuth(options: HandshakeAuthOptions): MiddlewareHandler<HandshakeEnv> {
  const cookieName = options.sessionCookieName ?? 'mc_session';
  return async function handshakeAuth(c, next) {
    const credential = credentialOf(c, cookieName);
    let result: PrincipalResult;
    try {
      result = await principalFor(credential, options.useCases);
    } catch (error) {
      if (error instanceof StoreUnavailable) return problem(c, 503, 'unavailable', 'The store is unavailable.');
      throw error;
    }
    if (!result.ok) return problem(c, 401, 'unauthenticated', 'A valid session cookie, bearer token or ticket is required.');
    // After the credential check: API.md gives a bad credential 401 whatever the
    // Origin; only a valid cookie from a foreign page is the hijacking case.
    if (credential.kind === 'cookie' && !originAllowed(c, options.originPolicy)) {
      return problem(c, 403, 'forbidden', 'This origin may not open a WebSocket with a session cookie.');
    }
    c.set('principal', result.value);
    await next();
  };
}

function credentialOf(c: Context, cookieName: string): Credential {
  const ticket = c.req.query('ticket');
  if (ticket !== undefined) return { kind: 'ticket', ticket };
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    return match?.[1] ? { kind: 'bearer', token: match[1] } : { kind: 'malformed' };
  }
  // The REST edge's reading: two different session cookies name no session.
  const cookie = sessionCookieIn(c.req.header('cookie'), cookieName);
  if (cookie.kind === 'present') return { kind: 'cookie', token: cookie.token };
  return cookie.kind === 'ambiguous' ? { kind: 'malformed' } : { kind: 'none' };
}

async function principalFor(credential: Credential, useCases: HandshakeUseCases): Promise<PrincipalResult> {
  switch (credential.kind) {
    case 'ticket':
      return useCases.redeemWsTicket.execute({ ticket: credential.ticket });
    case 'bearer':
    case 'cookie':
      return useCases.authenticate.execute({ token: credential.token });
    case 'malformed':
    case 'none':
      return { ok: false, error: { kind: 'unauthenticated' } };
    default:
      return credential satisfies never;
  }
}

/** The REST rule, so both edges agree: an allowed `Origin`, or lacking one, `Sec-Fetch-Site: same-origin`. */
function originAllowed(c: Context, policy: OriginPolicy): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return c.req.header('sec-fetch-site') === 'same-origin';
  return policy.allows(origin, c.req.header('host'));
}

/** The titles the REST edge gives these slugs, so a client sees one problem shape everywhere. */
const TITLES = {
  unauthenticated: 'Authentication is required',
  forbidden: 'This action is not allowed',
  unavailable: 'The service is unavailable',
} as const;

function problem(c: Context, status: 401 | 403 | 503, type: keyof typeof TITLES, detail: string): Response {
  return c.body(JSON.stringify({ type: `/problems/${type}`, title: TITLES[type], status, detail }), status, {
    'content-type': 'application/problem+json',
  });
}
