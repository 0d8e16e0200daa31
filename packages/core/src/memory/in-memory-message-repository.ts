import type { Message } from '../messages/message.js';
import type { AppendOutcome, ConversationSummary, MessageRepository, NewMessage } from '../messages/message-repository.js';
import { compareIds } from '../shared/ids.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from '../users/user.js';
import { IdSequence } from './id-sequence.js';

/** Where the message store finds usernames without awaiting, so `append` stays atomic. */
export interface UserDirectory {
  userOf(id: string): User | undefined;
  /** In any letter case. */
  userNamed(username: string): User | undefined;
}

interface StoredMessage {
  readonly id: string;
  readonly senderId: string;
  readonly recipientId: string;
  readonly body: string;
  readonly clientId: string | null;
  readonly createdAtMs: number;
}

/** One user's row of the inbox: what a SQL adapter keeps in its `conversations` table. */
interface InboxRow {
  readonly ownerId: string;
  readonly peerId: string;
  lastMessageId: string;
  lastReadId: string;
  unreadCount: number;
}

/**
 * Messages and inbox rows in memory. Every method runs to completion without
 * awaiting, so interleaved calls see each other's writes whole, as a
 * transaction would.
 */
export class InMemoryMessageRepository implements MessageRepository {
  private readonly ids = new IdSequence();
  /** In id order, because ids are handed out in append order. */
  private readonly messages: StoredMessage[] = [];
  private readonly byId = new Map<string, StoredMessage>();
  private readonly byClientId = new Map<string, StoredMessage>();
  private readonly inbox = new Map<string, InboxRow>();

  constructor(private readonly users: UserDirectory) {}

  async append(message: NewMessage): Promise<Result<AppendOutcome, 'recipient-not-found'>> {
    const recipient = this.users.userNamed(message.recipient);
    if (!recipient) return err('recipient-not-found');
    const clientKey = message.clientId === null ? undefined : JSON.stringify([message.senderId, message.clientId]);
    const earlier = clientKey === undefined ? undefined : this.byClientId.get(clientKey);
    if (earlier) return ok({ message: this.toMessage(earlier), created: false });

    // Resolved before anything is written, so an unknown sender leaves no trace.
    this.userOrThrow(message.senderId);
    const stored: StoredMessage = {
      id: this.ids.next(),
      senderId: message.senderId,
      recipientId: recipient.id,
      body: message.body,
      clientId: message.clientId,
      createdAtMs: message.createdAt.getTime(),
    };
    this.messages.push(stored);
    this.byId.set(stored.id, stored);
    if (clientKey !== undefined) this.byClientId.set(clientKey, stored);
    this.row(stored.senderId, stored.recipientId).lastMessageId = stored.id;
    const recipientRow = this.row(stored.recipientId, stored.senderId);
    recipientRow.lastMessageId = stored.id;
    recipientRow.unreadCount += 1;
    return ok({ message: this.toMessage(stored), created: true });
  }

  async findById(id: string): Promise<Message | undefined> {
    const stored = this.byId.get(id);
    return stored && this.toMessage(stored);
  }

  async history(query: { userId: string; peerId: string; beforeId?: string; limit: number }): Promise<Message[]> {
    const found: Message[] = [];
    for (let i = this.messages.length - 1; i >= 0 && found.length < query.limit; i--) {
      const stored = this.messages[i] as StoredMessage;
      if (query.beforeId !== undefined && compareIds(stored.id, query.beforeId) >= 0) continue;
      const between =
        (stored.senderId === query.userId && stored.recipientId === query.peerId) ||
        (stored.senderId === query.peerId && stored.recipientId === query.userId);
      if (between) found.push(this.toMessage(stored));
    }
    return found;
  }

  async after(query: { userId: string; afterId: string; limit: number }): Promise<Message[]> {
    const found: Message[] = [];
    for (const stored of this.messages) {
      if (found.length >= query.limit) break;
      if (compareIds(stored.id, query.afterId) <= 0) continue;
      if (stored.senderId === query.userId || stored.recipientId === query.userId) found.push(this.toMessage(stored));
    }
    return found;
  }

  async conversations(query: { userId: string; beforeLastMessageId?: string; limit: number }): Promise<ConversationSummary[]> {
    const { beforeLastMessageId } = query;
    return [...this.inbox.values()]
      .filter((row) => row.ownerId === query.userId)
      .filter((row) => beforeLastMessageId === undefined || compareIds(row.lastMessageId, beforeLastMessageId) < 0)
      .sort((a, b) => compareIds(b.lastMessageId, a.lastMessageId))
      .slice(0, Math.max(0, query.limit))
      .map((row) => ({
        peer: this.userOrThrow(row.peerId),
        lastMessage: this.toMessage(this.byId.get(row.lastMessageId) as StoredMessage),
        unreadCount: row.unreadCount,
      }));
  }

  async markRead(query: {
    userId: string;
    peerId: string;
    lastReadId: string;
  }): Promise<{ lastReadId: string; moved: boolean } | undefined> {
    const row = this.inbox.get(rowKey(query.userId, query.peerId));
    if (!row) return undefined;
    const target = compareIds(query.lastReadId, row.lastMessageId) > 0 ? row.lastMessageId : query.lastReadId;
    if (compareIds(target, row.lastReadId) <= 0) return { lastReadId: row.lastReadId, moved: false };
    row.lastReadId = target;
    row.unreadCount = this.messages.filter(
      (m) => m.senderId === query.peerId && m.recipientId === query.userId && compareIds(m.id, target) > 0,
    ).length;
    return { lastReadId: row.lastReadId, moved: true };
  }

  private row(ownerId: string, peerId: string): InboxRow {
    const key = rowKey(ownerId, peerId);
    let row = this.inbox.get(key);
    if (!row) {
      row = { ownerId, peerId, lastMessageId: '0', lastReadId: '0', unreadCount: 0 };
      this.inbox.set(key, row);
    }
    return row;
  }

  private toMessage(stored: StoredMessage): Message {
    return {
      id: stored.id,
      sender: this.userOrThrow(stored.senderId),
      recipient: this.userOrThrow(stored.recipientId),
      body: stored.body,
      createdAt: new Date(stored.createdAtMs),
      clientId: stored.clientId,
    };
  }

  private userOrThrow(id: string): User {
    const user = this.users.userOf(id);
    // A foreign key would refuse this; it is a bug in the caller, not an expected failure.
    if (!user) throw new Error(`no user with id ${id}`);
    return user;
  }
}

function rowKey(ownerId: string, peerId: string): string {
  return `${ownerId}:${peerId}`;
}
