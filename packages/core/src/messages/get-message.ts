import type { ErrorOf } from '../shared/errors.js';
import { isId } from '../shared/ids.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from '../users/user.js';
import type { Message } from './message.js';
import type { MessageRepository } from './message-repository.js';
import type { RecentMessages } from './recent-messages.js';

export class GetMessage {
  constructor(
    private readonly messages: MessageRepository,
    private readonly recent: RecentMessages,
  ) {}

  /** Anyone but the two participants is told it does not exist, so ids leak nothing. */
  async execute(input: { viewer: User; id: string }): Promise<Result<Message, ErrorOf<'message-not-found'>>> {
    const message = isId(input.id) ? (this.recent.recall(input.id) ?? (await this.messages.findById(input.id))) : undefined;
    if (!message || (message.sender.id !== input.viewer.id && message.recipient.id !== input.viewer.id)) {
      return err({ kind: 'message-not-found' });
    }
    return ok(message);
  }
}
