import { createRoute, z } from '@hono/zod-openapi';
import { fail, failWith } from '../problems/problem.js';
import { DIGITS, idString, json, limitQuery, MessageSchema, pageOf, problems, toMessageJson } from '../schemas.js';
import { bearerOrCookie, newRouter, type RouteDeps } from './deps.js';

const NewMessage = z
  .object({
    recipient: z.string().openapi({ example: 'bob' }),
    body: z.string().openapi({ example: 'hi', description: 'trimmed; 1 to MAX_MESSAGE_LENGTH (5000) code points after trimming; no NUL' }),
    clientId: z.string().optional().openapi({
      minLength: 1,
      maxLength: 64,
      description: 'chosen by the client, scoped to the sender: repeating it returns the first message (200)',
    }),
  })
  .openapi('NewMessage');

const send = createRoute({
  method: 'post',
  path: '/',
  operationId: 'sendMessage',
  tags: ['messages'],
  summary: 'Send a message',
  security: bearerOrCookie,
  request: { body: { required: true, content: json(NewMessage) } },
  responses: {
    201: { description: 'sent', content: json(MessageSchema) },
    200: { description: 'a repeat of an earlier send with the same clientId: the first message', content: json(MessageSchema) },
    ...problems(400, 401, 403, 404, 409, 413, 422, 429),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listMessages',
  tags: ['messages'],
  summary: 'One conversation, newest first (`with`), or catch-up after an id, oldest first (`after`)',
  description: 'Exactly one of `with` and `after`; `before` only with `with`.',
  security: bearerOrCookie,
  request: {
    query: z.object({
      with: z.string().optional().openapi({ description: 'the peer: history newest first' }),
      before: z.string().optional().openapi({ description: 'with `with`: the nextCursor of the previous page' }),
      after: z
        .string()
        .optional()
        .openapi({ pattern: DIGITS, description: 'catch-up from this id (0: from the beginning), or the nextCursor of the previous page' }),
      limit: limitQuery(
        15,
        'a positive integer. With `with`: by default MESSAGES_TO_LOAD (15), above 100 clamped to 100. With `after`: by default 100, above 500 clamped to 500.',
      ),
    }),
  },
  responses: {
    200: { description: 'a page of messages', content: json(pageOf(MessageSchema, 'MessagePage')) },
    ...problems(401, 404, 422),
  },
});

const getOne = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getMessage',
  tags: ['messages'],
  summary: 'One message the caller sent or received',
  security: bearerOrCookie,
  request: { params: z.object({ id: idString('123') }) },
  responses: { 200: { description: 'the message', content: json(MessageSchema) }, ...problems(401, 404) },
});

export function messageRoutes({ useCases, withSession }: RouteDeps) {
  const app = newRouter();

  app.openapi(withSession(send), async (c) => {
    const result = await useCases.sendMessage.execute({ sender: c.get('principal').user, ...c.req.valid('json') });
    if (!result.ok) fail(result.error);
    return c.json(toMessageJson(result.value.message), result.value.created ? 201 : 200);
  });

  app.openapi(withSession(list), async (c) => {
    const query = c.req.valid('query');
    const viewer = c.get('principal').user;
    if ((query.with === undefined) === (query.after === undefined)) {
      failWith('validation-failed', 'Give exactly one of `with` and `after`.', [
        { path: 'query', message: 'needs exactly one of with, after' },
      ]);
    }
    if (query.before !== undefined && query.with === undefined) {
      failWith('validation-failed', '`before` pages a conversation: it needs `with`.', [{ path: 'before', message: 'needs with' }]);
    }
    const result =
      query.with !== undefined
        ? await useCases.listHistory.execute({ viewer, peer: query.with, before: query.before, limit: query.limit })
        : await useCases.catchUp.execute({ viewer, after: query.after ?? '', limit: query.limit });
    if (!result.ok) fail(result.error);
    return c.json({ items: result.value.items.map(toMessageJson), nextCursor: result.value.nextCursor }, 200);
  });

  app.openapi(withSession(getOne), async (c) => {
    const result = await useCases.getMessage.execute({ viewer: c.get('principal').user, id: c.req.valid('param').id });
    if (!result.ok) fail(result.error);
    return c.json(toMessageJson(result.value), 200);
  });

  return app;
}
