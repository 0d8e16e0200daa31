import { createMiddleware } from 'hono/factory';
import { problemOf, problemResponse } from '../problems/problem.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Files can only be read. Without this, the static handler answers any method
 * (PUT, DELETE, TRACE) with the file, as if the write had worked. Paths under
 * `passThrough` prefixes (the API, `/healthz`) keep their own answers: an
 * unknown method on an API path is a 404 there, as API.md says.
 */
export function staticMethodsOnly(passThrough: readonly string[]) {
  return createMiddleware(async function staticMethodsOnly(c, next) {
    if (READ_METHODS.has(c.req.method) || passThrough.some((prefix) => c.req.path.startsWith(prefix))) return next();
    const response = problemResponse({
      problem: problemOf('method-not-allowed', `${c.req.method} is not allowed here: files can only be read.`),
      headers: { Allow: 'GET, HEAD' },
    });
    return response;
  });
}
