import { createMiddleware } from 'hono/factory';
import type { AppEnv, HttpLogger } from '../env.js';

/**
 * One line per request. Only the path is logged, never the query string
 * (`?ticket=` is a credential), the body, or any header.
 */
export function requestLog(logger: HttpLogger) {
  return createMiddleware<AppEnv>(async function requestLog(c, next) {
    const started = performance.now();
    await next();
    logger.info({
      msg: 'request',
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  });
}
