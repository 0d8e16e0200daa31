import { createRoute, z } from '@hono/zod-openapi';
import { fail } from '../problems/problem.js';
import { json, limitQuery, pageOf, problems, toUserJson, UserSchema } from '../schemas.js';
import { bearerOrCookie, newRouter, type RouteDeps } from './deps.js';

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listUsers',
  tags: ['users'],
  summary: 'Every user but the caller, by lower-case username',
  security: bearerOrCookie,
  request: {
    query: z.object({
      q: z.string().optional().openapi({ description: 'case-insensitive username prefix, matched literally' }),
      limit: limitQuery(50, 200),
      cursor: z.string().optional().openapi({ description: 'the nextCursor of the previous page' }),
    }),
  },
  responses: { 200: { description: 'a page of users', content: json(pageOf(UserSchema, 'UserPage')) }, ...problems(401, 422) },
});

export function userRoutes({ useCases, withSession }: RouteDeps) {
  const app = newRouter();
  app.openapi(withSession(list), async (c) => {
    const { q, limit, cursor } = c.req.valid('query');
    const result = await useCases.listUsers.execute({ viewer: c.get('principal').user, q, limit, cursor });
    if (!result.ok) fail(result.error);
    return c.json({ items: result.value.items.map(toUserJson), nextCursor: result.value.nextCursor }, 200);
  });
  return app;
}
