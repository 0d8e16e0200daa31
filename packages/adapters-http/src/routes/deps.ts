import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { UseCases } from '@message-center/core';
import type { AppEnv } from '../env.js';
import type { ClientAddressOf } from '../middleware/client-address.js';
import type { CookieOptions } from '../middleware/session-cookie.js';
import { validationHook } from '../problems/validation-hook.js';

/** What every route file is built from. */
export interface RouteDeps {
  readonly useCases: UseCases;
  /** The route, guarded by the session check (which runs before its validators). */
  readonly withSession: <R extends RouteConfig>(route: R) => R;
  readonly cookies: CookieOptions;
  readonly clientAddress: ClientAddressOf;
}

export const bearerOrCookie: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/** Every router answers schema failures the same way: `defaultHook` is per instance, not inherited. */
export const newRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
