import { type Limits, spend } from '../limits/limits.js';
import type { Notifier } from '../notifications/notifier.js';
import type { Clock } from '../shared/clock.js';
import type { CoreConfig } from '../shared/config.js';
import { type ErrorOf, type Issue, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from '../users/user.js';
import { checkUsername, usernameKey } from '../users/username.js';
import type { Message } from './message.js';
import { checkClientId, checkMessageBody } from './message-body.js';
import type { MessageRepository } from './message-repository.js';
import type { RecentMessages } from './recent-messages.js';

export type SendMessageError = ErrorOf<'validation-failed' | 'user-not-found' | 'client-id-reused' | 'rate-limited'>;

export interface SendMessageInput {
  readonly sender: User;
  readonly recipient: string;
  readonly body: string;
  readonly clientId?: string | undefined;
}

export class SendMessage {
  constructor(
    private readonly messages: MessageRepository,
    private readonly notifier: Notifier,
    private readonly limits: Pick<Limits, 'sends'>,
    private readonly clock: Clock,
    private readonly config: Pick<CoreConfig, 'maxMessageLength'>,
    private readonly recent: RecentMessages,
  ) {}

  /** `created` is false when a retry with the same `clientId` returned the first message. */
  async execute(input: SendMessageInput): Promise<Result<{ message: Message; created: boolean }, SendMessageError>> {
    // Per user, whichever session or process the send comes through; before any other work, so a flood costs the least.
    const refused = await spend(this.limits.sends, input.sender.id);
    if (refused) return err(refused);
    const issues: Issue[] = [];
    const body = checkMessageBody(input.body, this.config.maxMessageLength);
    if (!body.ok) issues.push(...body.error.issues);
    if (input.clientId !== undefined) {
      const clientId = checkClientId(input.clientId);
      if (!clientId.ok) issues.push(...clientId.error.issues);
    }
    if (usernameKey(input.recipient) === usernameKey(input.sender.username)) {
      issues.push(...invalid('recipient', 'cannot be yourself').issues);
    }
    if (issues.length > 0 || !body.ok) return err({ kind: 'validation-failed', issues });

    if (!checkUsername(input.recipient).ok) return err({ kind: 'user-not-found' });

    // The store resolves the recipient with the write: one trip to it per send, not two.
    const appended = await this.messages.append({
      senderId: input.sender.id,
      recipient: input.recipient,
      body: body.value,
      clientId: input.clientId ?? null,
      createdAt: this.clock.now(),
    });
    if (!appended.ok) return err({ kind: 'user-not-found' });
    const outcome = appended.value;
    const { message } = outcome;
    // Usernames are unique in any letter case, so equal keys name the same user.
    const sameRecipient = usernameKey(message.recipient.username) === usernameKey(input.recipient);
    if (!outcome.created && (!sameRecipient || message.body !== body.value)) {
      return err({ kind: 'client-id-reused' });
    }

    this.recent.remember(message);
    // A retry notifies again: the first attempt may have died between commit and publish.
    await this.notifier.publish({
      kind: 'event',
      userIds: [message.sender.id, message.recipient.id],
      event: { type: 'message.created', id: message.id, sender: message.sender.username, recipient: message.recipient.username },
    });
    return ok(outcome);
  }
}
