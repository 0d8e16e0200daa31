/**
 * The prefix that makes a browser keep a cookie only if it was set over HTTPS,
 * for this host alone (no `Domain`) and `Path=/`: a sibling subdomain or a
 * plain-HTTP man in the middle cannot plant or overwrite it.
 */
export const HOST_PREFIX = '__Host-';

/** What a `Cookie` header says about the session cookie. */
export type SessionCookie =
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly token: string }
  /** Two or more different values: the request does not say which session it means. */
  | { readonly kind: 'ambiguous' };

/**
 * The session cookie of a `Cookie` header, read the same way by the REST and
 * WebSocket edges. A browser sends two cookies of one name only when one was
 * set with another `Path` or `Domain` than ours — by a sibling subdomain
 * planting its own session (cookie tossing), for one. Taking the first, as a
 * plain cookie parser does, would let the planted one win (the more specific
 * path comes first); so a request naming two different sessions gets none of
 * them, and the caller answers it as unauthenticated. The same value twice is
 * one credential. `__Host-<name>`, the name the cookie takes over HTTPS, is the
 * same cookie: a browser that kept one from before HTTPS sends both.
 */
export function sessionCookieIn(header: string | undefined, name: string): SessionCookie {
  if (header === undefined) return { kind: 'absent' };
  const values = new Set<string>();
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    const pairName = pair.slice(0, eq).trim();
    if (eq < 0 || (pairName !== name && pairName !== `${HOST_PREFIX}${name}`)) continue;
    values.add(decoded(unquoted(pair.slice(eq + 1).trim())));
  }
  if (values.size === 0) return { kind: 'absent' };
  if (values.size > 1) return { kind: 'ambiguous' };
  const [token] = values;
  return { kind: 'present', token: token ?? '' };
}

function unquoted(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** As cookie libraries read values (percent-decoded); a value that does not decode is taken as it is. */
function decoded(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
