import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export type ClientAddressOf = (c: Context) => string;

/**
 * The socket's peer address. `X-Forwarded-For` is not read: anyone can write
 * it, and the limits per client address are keyed by this. Behind a proxy,
 * use `behindProxies` (the server's `TRUST_PROXY`) or your own function.
 */
export const socketAddress: ClientAddressOf = (c) => {
  try {
    return normalizeAddress(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    // No Node socket: `app.request()` in tests, or another runtime.
    return 'unknown';
  }
};

/**
 * The client as the trusted proxies saw it: when the socket's peer is one of
 * `proxies`, `X-Forwarded-For` is read from its end (the hop each proxy
 * appended) past every address that is itself a trusted proxy. Entries
 * further left were written by the client and could say anything, so they are
 * never reached. From any other peer the header is ignored.
 */
export function behindProxies(proxies: readonly string[]): ClientAddressOf {
  const trusted = new Set(proxies.map(normalizeAddress));
  if (trusted.size === 0) return socketAddress;
  return (c) => {
    const peer = socketAddress(c);
    if (!trusted.has(peer)) return peer;
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((hop) => normalizeAddress(hop.trim()));
    let client = peer;
    for (let i = hops.length - 1; i >= 0 && trusted.has(client); i--) {
      const hop = hops[i] as string;
      // A trusted proxy that wrote something other than an address: its clients are counted as the proxy.
      if (isIP(hop) === 0) break;
      client = hop;
    }
    return client;
  };
}

/** One spelling per address, so that `::ffff:10.0.0.1` and `10.0.0.1` (or `[::1]` and `::1`) count as one. */
export function normalizeAddress(address: string): string {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const lower = bare.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  return mapped?.[1] ?? lower;
}
