// The public API of @message-center/adapters-http: the Hono app of the REST API.
export {
  API_BASE,
  type AppEnv,
  createHttpApp,
  type HttpApp,
  type HttpAppOptions,
  type HttpLogger,
  MAX_BODY_BYTES,
  withEarlyOverloadRefusal,
} from './app.js';
export { jsonLinesLogger } from './env.js';
export { behindProxies, type ClientAddressOf, socketAddress } from './middleware/client-address.js';
export { DEFAULT_OVERLOAD_BOUNDS, type OverloadBounds } from './middleware/overload-guard.js';
export type { Identify } from './middleware/require-session.js';
export type { Problem, ProblemSlug } from './problems/problem.js';
