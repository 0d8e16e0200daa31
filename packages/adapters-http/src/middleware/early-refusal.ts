import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemOf } from '../problems/problem.js';
import { exemptFromOverload, OVERLOADED_DETAIL, type OverloadGate } from './overload-guard.js';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The overload refusal, made before a request reaches Hono. Past capacity
 * most requests are refused, and through Hono each refusal still costs a web
 * `Request`, a context and the middleware chain: enough, thousands of times a
 * second, to keep the loop saturated and the refusals themselves late. Here it
 * is Node's parse and one write of a body made once. It takes only what the
 * Hono guard would answer the same way: API requests, not preflights, and no
 * `Origin` (a refusal to a page needs CORS headers, which the app adds).
 */
export function refusingEarly(gate: OverloadGate, listener: RequestListener, base: string): RequestListener {
  const body = JSON.stringify(problemOf('unavailable', OVERLOADED_DETAIL));
  const headers = {
    'Content-Type': 'application/problem+json',
    'Content-Length': String(Buffer.byteLength(body)),
    'Retry-After': gate.retryAfter,
  };
  const prefix = `${base}/`;
  return (request, response) => {
    const { method = 'GET' } = request;
    if (!exemptFromOverload(method) && request.url?.startsWith(prefix) && request.headers.origin === undefined && gate.refuses(method)) {
      // A body left unread is read and dropped by Node once the answer is out, so the connection stays usable.
      response.writeHead(503, headers).end(body);
      return;
    }
    listener(request, response);
  };
}
