import type { ErrorOf, HostIdentified, OriginPolicy, Principal, ProblemSlug, Result } from '@message-center/core';
import { PROBLEM_TITLES, SESSION_COOKIE, StoreUnavailable, sessionCredentialOf } from '@message-center/core';
import type { Context, MiddlewareHandler } from 'hono';

type PrincipalResult = Result<Principal, ErrorOf<'unauthenticated'>>;

/** The two use cases the handshake needs; core's `UseCases` object fits as it is. */
export interface HandshakeUseCases {
  readonly authenticate: {
    execute(input: { token: string }): Promise<PrincipalResult>;
    /** Asked once the connection is registered if some session ended during its handshake: it may have been this one. */
    sessionIsLive(sessionId: string): Promise<boolean>;
  };
  readonly redeemWsTicket: { execute(input: { ticket: string }): Promise<PrincipalResult> };
}

export interface HandshakeAuthOptions {
  readonly useCases: HandshakeUseCases;
  readonly originPolicy: OriginPolicy;
  readonly sessionCookieName?: string;
  /**
   * The host application decides who opens a socket without a ticket or a
   * bearer token (its own sign-in, by its own cookies); the Origin rule of
   * cookie handshakes applies to it.
   */
  readonly identify?: (request: Request) => Promise<HostIdentified>;
}

export type HandshakeEnv = { Variables: { principal: Principal } };

type Credential =
  | { readonly kind: 'ticket'; readonly ticket: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'cookie'; readonly token: string }
  | { readonly kind: 'host'; readonly request: Request }
  | { readonly kind: 'malformed' }
  /** Two different session cookies: the REST rule, no session of ours. */
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'none' };

/**
 * Authenticates the upgrade request before any upgrade happens, so a refusal is
 * a plain HTTP 401 or 403. A ticket or a bearer token may come from any origin;
 * a cookie only from an allowed one, which is what stops cross-site WebSocket hijacking.
 */
export function handshakeAuth(options: HandshakeAuthOptions): MiddlewareHandler<HandshakeEnv> {
  const cookieName = options.sessionCookieName ?? SESSION_COOKIE;
  return async function handshakeAuth(c, next) {
    const credential = credentialOf(c, cookieName, options.identify !== undefined);
    let result: PrincipalResult | HostIdentified;
    try {
      result = await principalFor(credential, options);
    } catch (error) {
      if (error instanceof StoreUnavailable) return problem(c, 503, 'unavailable', 'The store is unavailable.');
      throw error;
    }
    if (!result.ok) return problem(c, 401, 'unauthenticated', 'A valid session cookie, bearer token or ticket is required.');
    // After the credential check: API.md gives a bad credential 401 whatever the
    // Origin; only a valid cookie from a foreign page is the hijacking case.
    if ((credential.kind === 'cookie' || credential.kind === 'host') && !originAllowed(c, options.originPolicy)) {
      return problem(c, 403, 'forbidden', 'This origin may not open a WebSocket with a session cookie.');
    }
    c.set('principal', result.value);
    await next();
  };
}

function credentialOf(c: Context, cookieName: string, byHost: boolean): Credential {
  const ticket = c.req.query('ticket');
  if (ticket !== undefined) return { kind: 'ticket', ticket };
  // The REST rule: an Authorization header is the only credential looked at.
  const credential = sessionCredentialOf(c.req.header('authorization'), c.req.header('cookie'), cookieName);
  if (byHost && (credential.kind === 'cookie' || credential.kind === 'ambiguous' || credential.kind === 'none'))
    return { kind: 'host', request: c.req.raw };
  return credential;
}

async function principalFor(credential: Credential, options: HandshakeAuthOptions): Promise<PrincipalResult | HostIdentified> {
  const { useCases } = options;
  switch (credential.kind) {
    case 'ticket':
      return useCases.redeemWsTicket.execute({ ticket: credential.ticket });
    case 'bearer':
    case 'cookie':
      return useCases.authenticate.execute({ token: credential.token });
    case 'host':
      return options.identify ? options.identify(credential.request) : { ok: false, error: { kind: 'unauthenticated' } };
    case 'malformed':
    case 'ambiguous':
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

/** A refusal of the handshake in the problem shape of the REST edge. */
export function problem(
  c: Context,
  status: 401 | 403 | 429 | 503,
  type: ProblemSlug,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  return c.body(JSON.stringify({ type: `/problems/${type}`, title: PROBLEM_TITLES[type], status, detail }), status, {
    ...headers,
    'content-type': 'application/problem+json',
  });
}
