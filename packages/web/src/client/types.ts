/**
 * The wire shapes of API.md: the types of the core's wire contract, imported
 * as types only, so the browser bundle carries none of the core or of zod and
 * a server-side change that would break this client fails to compile.
 */
import type {
  ClientFrame,
  ConversationSummary,
  Message,
  OwnAccount,
  Page,
  PresenceRow,
  ProblemDetails,
  ProblemFieldError,
  ServerFrame,
  Session,
  User,
} from '@message-center/core/wire';

export type { ClientFrame, ConversationSummary, Message, OwnAccount, Page, ProblemDetails, ProblemFieldError, Session, User };
/** One user in a `presence` frame: `lastSeenAt` is `null` while online and for a user never seen. */
export type PresenceEntry = PresenceRow;
/** Server → client WebSocket frames. */
export type ServerEvent = ServerFrame;

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ReadEvent {
  reader: string;
  peer: string;
  lastReadId: string;
}
