/**
 * Cursors are opaque to clients: a position key wrapped in base64url so that
 * nobody is tempted to build one by hand. Decoding rejects anything we did
 * not produce.
 */
const PREFIX = 'c1:';

export function encodeCursor(key: string): string {
  return Buffer.from(PREFIX + key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.startsWith(PREFIX) ? text.slice(PREFIX.length) : undefined;
}
