import type { PresenceRow, ServerFrame } from '@message-center/core/wire';

/** Every text frame the server sends: the wire contract's types, declared once in the core. */
export type { PresenceRow, ServerFrame };

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
