// The wire contract of API.md, declared once: the JSON shapes of the REST API
// and the WebSocket frames, as zod schemas with the types inferred from them.
// The HTTP and WebSocket adapters build their answers to these types; the
// browser client imports the types only (nothing of zod reaches its bundle),
// so a change that would break a client fails to compile.
import { z } from 'zod';

const digits = z.string().regex(/^[0-9]+$/);

export const UserJson = z.object({ id: digits, username: z.string() });
export type User = z.infer<typeof UserJson>;

export const MessageJson = z.object({
  id: digits,
  sender: z.string(),
  recipient: z.string(),
  body: z.string(),
  /** ISO-8601 UTC with milliseconds. */
  createdAt: z.string(),
});
export type Message = z.infer<typeof MessageJson>;

export const pageJson = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const ConversationJson = z.object({ peer: UserJson, lastMessage: MessageJson, unreadCount: z.number().int().nonnegative() });
export type ConversationSummary = z.infer<typeof ConversationJson>;

/** `POST /auth/register` and `/auth/login`. */
export const SessionJson = z.object({ user: UserJson, token: z.string() });
export type Session = z.infer<typeof SessionJson>;

/** `GET /auth/me`: the one answer that carries an email address, the caller's own. */
export const OwnAccountJson = z.object({ user: UserJson, email: z.string().nullable() });
export type OwnAccount = z.infer<typeof OwnAccountJson>;

export const ProblemJson = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemJson>;
export type ProblemFieldError = NonNullable<ProblemDetails['errors']>[number];

/** One user in a `presence` frame: `lastSeenAt` is `null` while online and for a user never seen. */
export const PresenceRowJson = z.object({ username: z.string(), online: z.boolean(), lastSeenAt: z.string().nullable() });
export type PresenceRow = z.infer<typeof PresenceRowJson>;

/** The server → client frames that carry news, published through the notifier. */
export const EventFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message.created'), id: digits, sender: z.string(), recipient: z.string() }),
  z.object({ type: z.literal('conversation.read'), reader: z.string(), peer: z.string(), lastReadId: digits }),
  z.object({ type: z.literal('typing'), from: z.string() }),
]);
export type EventFrame = z.infer<typeof EventFrame>;

/** Every text frame the server sends. */
export const ServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), user: UserJson }),
  z.object({ type: z.literal('pong') }),
  /** Events meant for this connection may have been lost: catch up from the store. */
  z.object({ type: z.literal('resync') }),
  z.object({ type: z.literal('presence'), users: z.array(PresenceRowJson) }),
  ...EventFrame.options,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** Every text frame a client may send. */
export const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('typing'), to: z.string() }),
  z.object({ type: z.literal('presence.watch'), users: z.array(z.string()).max(200) }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
