/** The server → client frames of the WebSocket contract that carry news. */
export type ClientEvent =
  | { readonly type: 'message.created'; readonly id: string; readonly sender: string; readonly recipient: string }
  | { readonly type: 'conversation.read'; readonly reader: string; readonly peer: string; readonly lastReadId: string }
  | { readonly type: 'typing'; readonly from: string };

/** What travels between processes: an event and the users whose connections get it. */
export type Notification =
  | { readonly kind: 'event'; readonly userIds: readonly string[]; readonly event: ClientEvent }
  | { readonly kind: 'end-sessions'; readonly sessionIds: readonly string[] }
  /**
   * Events may have been dropped on their way (the broker was unreachable):
   * every connection that gets it is told to catch up from the store.
   */
  | { readonly kind: 'resync' };
