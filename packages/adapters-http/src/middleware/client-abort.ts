import type { Context } from 'hono';

/** The parts of Node's `IncomingMessage` that tell a request cut short by its client. */
interface IncomingLike {
  readonly complete?: boolean;
  readonly aborted?: boolean;
}

/** The parts of Node's `ServerResponse` that tell a connection closed before the answer. */
interface OutgoingLike {
  readonly destroyed?: boolean;
  readonly writableFinished?: boolean;
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
  const { incoming, outgoing } = (c.env ?? {}) as { incoming?: IncomingLike; outgoing?: OutgoingLike };
  // On Node, read the connection itself: asking for the request's signal would make @hono/node-server
  // build a whole web Request for every request, just for this line of the log.
  if (incoming) {
    // Not `destroyed`: we destroy it ourselves when we stop reading an oversized body we answer with 413.
    if (incoming.complete === false && incoming.aborted === true) return true;
    // What the signal tells there: the connection closed before our answer was written.
    return outgoing?.destroyed === true && outgoing.writableFinished === false;
  }
  return c.req.raw.signal?.aborted === true;
}
