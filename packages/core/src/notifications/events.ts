import type { EventFrame } from '../wire/index.js';

/** The server → client frames of the WebSocket contract that carry news: the wire contract's own type. */
export type ClientEvent = EventFrame;

/** What travels between processes: an event and the users whose connections get it. */
export type Notification =
  | { readonly kind: 'event'; readonly userIds: readonly string[]; readonly event: ClientEvent }
  | { readonly kind: 'end-sessions'; readonly sessionIds: readonly string[] }
  /**
   * Events may have been dropped on their way (the broker was unreachable):
   * every connection that gets it is told to catch up from the store.
   */
  | { readonly kind: 'resync' };
