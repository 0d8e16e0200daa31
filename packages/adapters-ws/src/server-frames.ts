import type { ClientEvent, User } from '@message-center/core';

/** One user in a `presence` frame; `lastSeenAt` is ISO-8601, `null` while online or when never seen. */
export interface PresenceRow {
  readonly username: string;
  readonly online: boolean;
  readonly lastSeenAt: string | null;
}

/** Every text frame the server sends, as API.md's WebSocket section lists them. */
export type ServerFrame =
  | { readonly type: 'ready'; readonly user: User }
  | { readonly type: 'pong' }
  /** Events meant for this connection may have been lost: catch up from the store. */
  | { readonly type: 'resync' }
  | { readonly type: 'presence'; readonly users: readonly PresenceRow[] }
  | ClientEvent;

export const serializeFrame = (frame: ServerFrame): string => JSON.stringify(frame);

/** Closing codes of the contract. */
export const CloseCode = {
  goingAway: 1001,
  policyViolation: 1008,
  messageTooBig: 1009,
  /** The server could not finish admitting the connection (the store is down); the client may reconnect. */
  serverError: 1011,
  sessionEnded: 4401,
} as const;
