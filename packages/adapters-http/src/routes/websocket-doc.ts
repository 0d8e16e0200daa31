import { z } from '@hono/zod-openapi';
import type { newRouter } from './deps.js';

const frame = (type: string, fields: Record<string, z.ZodType>, description: string) =>
  z.object({ type: z.literal(type), ...fields }).openapi({ description });
const username = z.string();

/** What the server sends on the socket (API.md, WebSocket). */
const ServerFrame = z
  .union([
    frame('ready', { user: z.object({ id: z.string(), username }) }, 'right after the upgrade'),
    frame(
      'message.created',
      { id: z.string(), sender: username, recipient: username },
      'to both participants, after commit; GET the message',
    ),
    frame('conversation.read', { reader: username, peer: username, lastReadId: z.string() }, 'to both participants'),
    frame('typing', { from: username }, 'someone is typing to the receiver'),
    frame(
      'presence',
      { users: z.array(z.object({ username, online: z.boolean(), lastSeenAt: z.string().nullable() })) },
      'the watched users, then only those that changed',
    ),
    frame('pong', {}, "the answer to a client's ping"),
    frame('resync', {}, 'events may have been lost: catch up with GET /api/v1/messages?after='),
  ])
  .openapi('ServerFrame');

/** What a client may send. */
const ClientFrame = z
  .union([
    frame('ping', {}, 'answered with pong'),
    frame('typing', { to: username }, 'at most every 3 s while the user types'),
    frame('presence.watch', { users: z.array(username).max(200) }, "replaces this connection's watch list"),
  ])
  .openapi('ClientFrame');

/**
 * The WebSocket endpoint is served by the WebSocket adapter, not by a route of
 * this app; it is described here so the one document covers the whole API.
 */
export function describeWebSocket(app: ReturnType<typeof newRouter>, path: string): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path,
    operationId: 'openWebSocket',
    tags: ['notifications'],
    summary: 'Upgrade to a WebSocket of notifications (JSON text frames)',
    description:
      'Authenticated at the handshake by the session cookie (from an allowed Origin only), a bearer header or `?ticket=`. ' +
      'Closing codes: 1001 server shutting down, 4401 session ended, 1009 frame over 64 KiB, 1008 policy. ' +
      'Frames: the ServerFrame and ClientFrame schemas.',
    security: [{ bearer: [] }, { cookie: [] }, {}],
    request: {
      query: z.object({
        ticket: z.string().optional().openapi({ description: 'from POST /api/v1/auth/ws-ticket; single use, valid 30 s' }),
      }),
    },
    responses: {
      101: {
        description: 'switching protocols; then JSON text frames both ways',
        content: {
          'application/json': { schema: z.object({ serverSends: ServerFrame, clientSends: ClientFrame }).openapi('WebSocketFrames') },
        },
      },
      401: { description: 'no valid credential: a plain HTTP answer, no upgrade' },
      403: { description: 'a cookie handshake from an origin that is not allowed' },
      426: { description: 'not a WebSocket upgrade request' },
      429: { description: 'too many connections of this user (Retry-After)' },
      500: { description: 'internal' },
      503: { description: 'the store does not answer' },
    },
  });
}
