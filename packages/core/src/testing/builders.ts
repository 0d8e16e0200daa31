import type { Session } from '../auth/session.js';
import type { SessionStore } from '../auth/session-store.js';
import type { Message } from '../messages/message.js';
import type { AppendOutcome, MessageRepository, NewMessage } from '../messages/message-repository.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import { at } from './storage-fixture.js';

let serial = 0;
const nextSerial = () => ++serial;

/** A stored user; the name is unique unless given. */
export async function aUser(users: UserRepository, username = `user${nextSerial()}`, passwordHash = `hash-of-${username}`): Promise<User> {
  const created = await users.create({ username, passwordHash });
  if (!created.ok) throw new Error(`test data: username ${username} is taken`);
  return created.value;
}

/** Several stored users at once, in the order of the names. */
export async function someUsers(users: UserRepository, ...usernames: string[]): Promise<User[]> {
  const created: User[] = [];
  for (const username of usernames) created.push(await aUser(users, username));
  return created;
}

export interface MessageSpec extends Partial<Omit<NewMessage, 'senderId' | 'recipient'>> {
  readonly from: User;
  readonly to: User;
}

export function aNewMessage(spec: MessageSpec): NewMessage {
  const n = nextSerial();
  return {
    senderId: spec.from.id,
    recipient: spec.to.username,
    body: spec.body ?? `message ${n}`,
    clientId: spec.clientId ?? null,
    createdAt: spec.createdAt ?? at(n * 1000),
  };
}

/** What `append` did with a message whose recipient exists; fails the test if the store found no such user. */
export async function appended(messages: MessageRepository, message: NewMessage): Promise<AppendOutcome> {
  const result = await messages.append(message);
  if (!result.ok) throw new Error(`test data: no user named ${message.recipient}`);
  return result.value;
}

/** A stored message; fails the test if the store said it was a duplicate. */
export async function aMessage(messages: MessageRepository, spec: MessageSpec): Promise<Message> {
  const outcome = await appended(messages, aNewMessage(spec));
  if (!outcome.created) throw new Error('test data: the message was taken for a retry');
  return outcome.message;
}

/** `count` messages appended one after the other, alternating direction when `alternate` is set. */
export async function aConversation(
  messages: MessageRepository,
  spec: { between: [User, User]; count: number; alternate?: boolean },
): Promise<Message[]> {
  const [a, b] = spec.between;
  const sent: Message[] = [];
  for (let i = 0; i < spec.count; i++) {
    const forward = !spec.alternate || i % 2 === 0;
    sent.push(await aMessage(messages, { from: forward ? a : b, to: forward ? b : a, body: `#${i}` }));
  }
  return sent;
}

export async function aSession(
  sessions: SessionStore,
  spec: { user: User; expiresAt?: Date; tokenHash?: string },
): Promise<{ session: Session; tokenHash: string }> {
  const tokenHash = spec.tokenHash ?? aTokenHash();
  const session = await sessions.create({ tokenHash, userId: spec.user.id, expiresAt: spec.expiresAt ?? at(3_600_000) });
  return { session, tokenHash };
}

/** A hash shaped like the real ones (SHA-256 hex), unique per call. */
export function aTokenHash(): string {
  return nextSerial().toString(16).padStart(64, 'f');
}
