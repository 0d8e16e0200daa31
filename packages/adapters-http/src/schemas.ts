import { z } from '@hono/zod-openapi';
import type { ConversationSummary, Message, User } from '@message-center/core';
import type * as Wire from '@message-center/core/wire';

/*
 * Shapes only: the edge refuses what is not the right type. The rules
 * (username characters, password length, body length, limits, cursors) are
 * the core's, so they are stated once, there.
 */

/** Ids are decimal digits (API.md); clients never do arithmetic on them. */
export const DIGITS = '^[0-9]+$';
export const idString = (example: string) => z.string().openapi({ pattern: DIGITS, example });

/** The core's username rule (`checkUsername`), stated for readers of the document. */
export const usernameString = () => z.string().openapi({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$', example: 'alice' });

/** The core's password rule (`checkPassword`): 8 to 1024 characters. */
export const passwordString = () => z.string().openapi({ minLength: 8, maxLength: 1024, format: 'password' });

export const UserSchema = z.object({ id: idString('7'), username: usernameString() }).openapi('User');

export const MessageSchema = z
  .object({
    id: idString('123'),
    sender: usernameString(),
    recipient: usernameString(),
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
const LimitQuery = z
  .string()
  .regex(/^-?[0-9]+$/, 'must be an integer')
  .transform((digits) => (digits.startsWith('-') ? -1 : Math.min(Number(digits), Number.MAX_SAFE_INTEGER)))
  .optional();

/**
 * An endpoint's `limit` as documented: zero or less is refused (422), above
 * `maximum` it is clamped, which is why the schema states no `maximum`.
 */
export const limitQuery = (defaultLimit: number, maximum: number | string) =>
  LimitQuery.openapi({
    type: 'integer',
    minimum: 1,
    default: defaultLimit,
    description: typeof maximum === 'number' ? `a positive integer; above ${maximum} it is clamped to ${maximum}` : maximum,
  });

/** Typed by the wire contract, so a change there fails to compile here (and in the web client) until both agree. */
export const toUserJson = (user: User): Wire.User => ({ id: user.id, username: user.username });

export const toMessageJson = (message: Message): Wire.Message => ({
  id: message.id,
  sender: message.sender.username,
  recipient: message.recipient.username,
  body: message.body,
  createdAt: message.createdAt.toISOString(),
});

export const toConversationJson = (summary: ConversationSummary): Wire.ConversationSummary => ({
  peer: toUserJson(summary.peer),
  lastMessage: toMessageJson(summary.lastMessage),
  unreadCount: summary.unreadCount,
});

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

const retryAfter = {
  'Retry-After': { description: 'whole seconds to wait before trying again', schema: { type: 'integer' as const, minimum: 1 } },
};

/** `Set-Cookie` of the session cookie on the answers that start or end a session. */
export const setsSessionCookie = {
  'Set-Cookie': {
    description: 'mc_session=<token>; HttpOnly; SameSite=Lax; Path=/ (plus Secure over HTTPS); cleared on logout',
    schema: { type: 'string' as const },
  },
};

type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

/**
 * Problem responses for the OpenAPI document, by status. Every operation may
 * also answer 500 `internal` and 503 `unavailable` (store down, or overload),
 * so those are always listed; 429 and 503 carry `Retry-After`.
 */
export const problems = (...statuses: ProblemStatus[]) =>
  Object.fromEntries(
    [...new Set<ProblemStatus | 500>([...statuses, 500, 503])].map((s) => [
      s,
      { description: DESCRIPTIONS[s], content: problemContent, ...(s === 429 || s === 503 ? { headers: retryAfter } : {}) },
    ]),
  );

const DESCRIPTIONS = {
  400: 'malformed-json',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'username-taken, email-taken or client-id-reused',
  413: 'payload-too-large',
  422: 'validation-failed',
  429: 'rate-limited (see Retry-After)',
  500: 'internal (no stack trace or SQL in the body)',
  503: 'unavailable: the store or the broker is down, or the server is at capacity (see Retry-After)',
} as const;

export const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
