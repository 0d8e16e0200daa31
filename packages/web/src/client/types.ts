/** The wire shapes of API.md, declared here because the browser bundle talks HTTP only. */

export interface User {
  id: string;
  username: string;
}

export interface Message {
  id: string;
  sender: string;
  recipient: string;
  body: string;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ConversationSummary {
  peer: User;
  lastMessage: Message;
  unreadCount: number;
}

export interface Session {
  user: User;
  token: string;
}

/** `GET /auth/me`: the one answer that carries an email address, the caller's own. */
export interface OwnAccount {
  user: User;
  email: string | null;
}

export interface ProblemFieldError {
  path: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
}

/** One user in a `presence` frame: `lastSeenAt` is `null` while online and for a user never seen. */
export interface PresenceEntry {
  username: string;
  online: boolean;
  lastSeenAt: string | null;
}

/** Server → client WebSocket frames. */
export type ServerEvent =
  | { type: 'ready'; user: User }
  | { type: 'message.created'; id: string; sender: string; recipient: string }
  | { type: 'conversation.read'; reader: string; peer: string; lastReadId: string }
  | { type: 'typing'; from: string }
  | { type: 'presence'; users: PresenceEntry[] }
  | { type: 'pong' }
  /** The server may have dropped events meant for this connection: catch up as after a reconnect. */
  | { type: 'resync' };

/** Client → server WebSocket frames. */
export type ClientFrame = { type: 'ping' } | { type: 'typing'; to: string } | { type: 'presence.watch'; users: string[] };

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ReadEvent {
  reader: string;
  peer: string;
  lastReadId: string;
}
