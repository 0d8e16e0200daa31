/**
 * Which browser origins may act with a user's cookie: the server's own (the
 * `Origin` names the request's `Host`) and those configured in addition.
 * Shared by the CSRF check of REST and the WebSocket handshake.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[] = []) {
    this.allowed = new Set(allowedOrigins.map(normalizeOrigin).filter((o): o is string => o !== undefined));
  }

  allows(origin: string, host: string | undefined): boolean {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) return false;
    if (this.allowed.has(normalized)) return true;
    return host !== undefined && new URL(normalized).host === host.toLowerCase();
  }
}

/** `https://Example.com:443/` and `https://example.com` are one origin; `null` is none. */
export function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
