import type { User } from '../client/types.js';

/** Every event the elements fire bubbles out of shadow roots, so a page can listen on any ancestor. */
export function emit<T>(target: EventTarget, type: string, detail: T): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable: true }));
}

export interface SignedInDetail {
  user: User;
}
export interface UserSelectDetail {
  user: User;
}
export interface ConversationSelectDetail {
  peer: User;
  unreadCount: number;
}
export interface SendDetail {
  body: string;
}
/** Fired on each edit that leaves text in the composer; the client says so to the peer at most every 3 s. */
export type TypingDetail = Record<string, never>;
/** From the recovery form back to sign-in, with a note to show there. */
export interface BackDetail {
  notice?: string;
}

declare global {
  interface HTMLElementEventMap {
    'mc-signed-in': CustomEvent<SignedInDetail>;
    'mc-user-select': CustomEvent<UserSelectDetail>;
    'mc-conversation-select': CustomEvent<ConversationSelectDetail>;
    'mc-send': CustomEvent<SendDetail>;
    'mc-typing': CustomEvent<TypingDetail>;
    'mc-forgot-password': CustomEvent<Record<string, never>>;
    'mc-back': CustomEvent<BackDetail>;
    'mc-close': CustomEvent<Record<string, never>>;
  }
}
