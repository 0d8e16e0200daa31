import { createRoute, z } from '@hono/zod-openapi';
import { fail } from '../problems/problem.js';
import { ConversationSchema, idString, json, limitQuery, pageOf, problems, toConversationJson } from '../schemas.js';
import { bearerOrCookie, newRouter, type RouteDeps } from './deps.js';

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listConversations',
  tags: ['conversations'],
  summary: "The caller's inbox, most recent first",
  security: bearerOrCookie,
  request: {
    query: z.object({
      limit: limitQuery(20, 100),
      cursor: z.string().optional().openapi({ description: 'the nextCursor of the previous page' }),
    }),
  },
  responses: {
    200: { description: 'a page of conversations', content: json(pageOf(ConversationSchema, 'ConversationPage')) },
    ...problems(401, 422),
  },
});

const markRead = createRoute({
  method: 'post',
  path: '/{username}/read',
  operationId: 'markConversationRead',
  tags: ['conversations'],
  summary: "Move the caller's read marker in a conversation up to lastReadId (never down)",
  security: bearerOrCookie,
  request: {
    params: z.object({ username: z.string().openapi({ example: 'bob' }) }),
    body: { required: true, content: json(z.object({ lastReadId: idString('123') }).openapi('ReadMarker')) },
  },
  responses: { 204: { description: 'marked' }, ...problems(400, 401, 403, 404, 413, 422) },
});

export function conversationRoutes({ useCases, withSession }: RouteDeps) {
  const app = newRouter();

  app.openapi(withSession(list), async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const result = await useCases.listConversations.execute({ viewer: c.get('principal').user, limit, cursor });
    if (!result.ok) fail(result.error);
    return c.json({ items: result.value.items.map(toConversationJson), nextCursor: result.value.nextCursor }, 200);
  });

  app.openapi(withSession(markRead), async (c) => {
    const result = await useCases.markRead.execute({
      reader: c.get('principal').user,
      peer: c.req.valid('param').username,
      lastReadId: c.req.valid('json').lastReadId,
    });
    if (!result.ok) fail(result.error);
    return c.body(null, 204);
  });

  return app;
}
