import { z } from '@hono/zod-openapi';
import type { ConversationSummary, Message, User } from '@message-center/core';

/*
 * Shapes only: the edge refuses what is not the right type. The rules
 * (username characters, password length, body length, limits, cursors) are
 * the core's, so they are stated once, there.
 */

export const UserSchema = z
  .object({ id: z.string().openapi({ example: '7' }), username: z.string().openapi({ example: 'alice' }) })
  .openapi('User');

export const MessageSchema = z
  .object({
    id: z.string().openapi({ example: '123' }),
    sender: z.string().openapi({ example: 'alice' }),
    recipient: z.string().openapi({ example: 'bob' }),
    body: z.string().openapi({ example: 'hi' }),
    createdAt: z.string().openapi({ example: '2026-11-27T19:42:54.123Z', format: 'date-time' }),
  })
  .openapi('Message');

export const ConversationSchema = z
  .object({ peer: UserSchema, lastMessage: MessageSchema, unreadCount: z.number().int().nonnegative() })
  .openapi('Conversation');

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

/**
 * A query `limit`: digits become a number here; whether it is in range is the
 * core's call. Any number of digits is an integer, and a positive one beyond
 * what a double holds exactly is still "above the maximum", so it clamps.
 */
export const LimitQuery = z
  .string()
  .regex(/^-?[0-9]+$/, 'must be an integer')
  .transform((digits) => (digits.startsWith('-') ? -1 : Math.min(Number(digits), Number.MAX_SAFE_INTEGER)))
  .optional()
  .openapi({ type: 'integer', description: 'a positive integer; clamped to the maximum' });

export const toUserJson = (user: User) => ({ id: user.id, username: user.username });

export const toMessageJson = (message: Message) => ({
  id: message.id,
  sender: message.sender.username,
  recipient: message.recipient.username,
  body: message.body,
  createdAt: message.createdAt.toISOString(),
});

export const toConversationJson = (summary: ConversationSummary) => ({
  peer: toUserJson(summary.peer),
  lastMessage: toMessageJson(summary.lastMessage),
  unreadCount: summary.unreadCount,
});

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

/** Problem responses for the OpenAPI document, by status. */
export const problems = (...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503)[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: DESCRIPTIONS[s], content: problemContent }]));

const DESCRIPTIONS = {
  400: 'malformed-json',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'username-taken or client-id-reused',
  413: 'payload-too-large',
  422: 'validation-failed',
  429: 'rate-limited (see Retry-After)',
  503: 'unavailable',
} as const;

export const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
