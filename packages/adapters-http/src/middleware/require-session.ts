import type { Authenticator, HostIdentified } from '@message-center/core';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { fail } from '../problems/problem.js';
import { credentialOf } from './session-cookie.js';

/** Who a host application says sent the request (`createHttpApp({ identify })`). */
export type Identify = (request: Request) => Promise<HostIdentified>;

/**
 * Puts the caller's principal on the context, or answers 401. A bearer token
 * is ours to check; without one, the host application's `identify` decides
 * when there is one, else our session cookie. Two different session cookies
 * are no session of ours (see `sessionCookieIn`).
 */
export function requireSession(authenticate: Authenticator, identify?: Identify) {
  return createMiddleware<AppEnv>(async function requireSession(c, next) {
    const credential = credentialOf(c);
    if (credential.kind === 'malformed') fail({ kind: 'unauthenticated' });
    const principal =
      credential.kind === 'bearer' || (credential.kind === 'cookie' && !identify)
        ? await authenticate.execute({ token: credential.token })
        : identify
          ? await identify(c.req.raw)
          : undefined;
    if (principal === undefined) fail({ kind: 'unauthenticated' });
    if (!principal.ok) fail(principal.error);
    c.set('principal', principal.value);
    await next();
  });
}
