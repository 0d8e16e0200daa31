import type { Result } from '../shared/result.js';
import type { User } from '../users/user.js';
import type { Message } from './message.js';

export interface NewMessage {
  readonly senderId: string;
  /**
   * The recipient's username, in any letter case. The store resolves it in
   * the same step as the write, so a send costs one trip to the store.
   */
  readonly recipient: string;
  readonly body: string;
  readonly clientId: string | null;
  readonly createdAt: Date;
}

export interface AppendOutcome {
  readonly message: Message;
  /** `false` when `(senderId, clientId)` already named a message: that one is returned. */
  readonly created: boolean;
}

export interface ConversationSummary {
  readonly peer: User;
  readonly lastMessage: Message;
  /** The peer's messages above the owner's read marker. */
  readonly unreadCount: number;
}

export interface MessageRepository {
  /**
   * Resolves the recipient by username, then stores the message and updates
   * both inbox rows (the recipient's unread count grows by one) atomically.
   * No user of that name: nothing is stored, whatever the `clientId`.
   * Concurrent appends with one `(senderId, clientId)` store one message;
   * every caller gets it.
   */
  append(message: NewMessage): Promise<Result<AppendOutcome, 'recipient-not-found'>>;
  findById(id: string): Promise<Message | undefined>;
  /** Messages between the two users with id below `beforeId`, newest first. */
  history(query: { userId: string; peerId: string; beforeId?: string; limit: number }): Promise<Message[]>;
  /**
   * Messages sent or received by the user with id above `afterId`, oldest first.
   * Each user's messages must become visible in id order: once an id is
   * returned, no message of that user with a lower id may appear later, or a
   * client catching up from the greatest id it has seen would skip it.
   */
  after(query: { userId: string; afterId: string; limit: number }): Promise<Message[]>;
  /** The user's conversations whose last message id is below `beforeId`, most recent first. */
  conversations(query: { userId: string; beforeLastMessageId?: string; limit: number }): Promise<ConversationSummary[]>;
  /**
   * Moves the user's read marker in the conversation up to `lastReadId`,
   * clamped to the conversation's last message; never down. Returns the
   * marker after the call, or `undefined` when the two never exchanged a message.
   */
  markRead(query: { userId: string; peerId: string; lastReadId: string }): Promise<{ lastReadId: string; moved: boolean } | undefined>;
}
