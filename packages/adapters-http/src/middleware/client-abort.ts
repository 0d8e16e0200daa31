import type { Context } from 'hono';

/** The parts of Node's `IncomingMessage` that tell a request cut short by its client. */
interface IncomingLike {
  readonly complete?: boolean;
  readonly aborted?: boolean;
}

/**
 * True when the client went away before the request was whole (or before the
 * answer was written). Nobody is left to answer, and nothing on our side failed:
 * the request log says so at info level, never as an error with a stack.
 *
 * On @hono/node-server the request's signal aborts when the connection closes
 * early; the `IncomingMessage` itself tells a body cut short even before that
 * signal fires (its read error can reach a handler first; `aborted` is
 * deprecated for listeners, not for this reading). Under
 * `app.request()` there is neither, and nothing is ever aborted.
 */
export function clientAborted(c: Context): boolean {
  if (c.req.raw.signal?.aborted) return true;
  const incoming = (c.env as { incoming?: IncomingLike } | undefined)?.incoming;
  // Not `destroyed`: we destroy it ourselves when we stop reading an oversized body we answer with 413.
  return incoming?.complete === false && incoming.aborted === true;
}
