import { createMiddleware } from 'hono/factory';
import type { AppEnv, HttpLogger } from '../env.js';
import { clientAborted } from './client-abort.js';

/**
 * One line per request. Only the path is logged, never the query string
 * (`?ticket=` is a credential), the body, or any header.
 *
 * A request its client abandoned mid-way is logged as `client aborted`, at
 * info level, without a status (no one received one), and counted: anyone can
 * cause one, so it must neither flood the error log nor look like our failure.
 */
export function requestLog(logger: HttpLogger) {
  let clientAborts = 0;
  return createMiddleware<AppEnv>(async function requestLog(c, next) {
    const started = performance.now();
    await next();
    const common = {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (clientAborted(c)) {
      clientAborts += 1;
      logger.info({ msg: 'client aborted', ...common, clientAborts });
      return;
    }
    logger.info({ msg: 'request', ...common, status: c.res.status });
  });
}
