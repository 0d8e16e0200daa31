import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export type ClientAddressOf = (c: Context) => string;

/**
 * The socket's peer address. `X-Forwarded-For` is not read: anyone can write
 * it, and the login throttle is keyed by this address. Behind a proxy, pass
 * your own `clientAddress` that reads what your proxy sets.
 */
export const socketAddress: ClientAddressOf = (c) => {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // No Node socket: `app.request()` in tests, or another runtime.
    return 'unknown';
  }
};
