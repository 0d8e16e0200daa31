import type { ConversationSummary, MessageRepository } from '../messages/message-repository.js';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import { type ErrorOf, invalid } from '../shared/errors.js';
import { isId } from '../shared/ids.js';
import { type Page, pageLimit, toPage } from '../shared/page.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from '../users/user.js';

export const CONVERSATIONS_PAGE = { default: 20, max: 100 } as const;

/** The inbox: one row per peer, most recent last message first. */
export class ListConversations {
  constructor(private readonly messages: MessageRepository) {}

  async execute(input: {
    viewer: User;
    cursor?: string;
    limit?: number;
  }): Promise<Result<Page<ConversationSummary>, ErrorOf<'validation-failed'>>> {
    const limit = pageLimit(input.limit, CONVERSATIONS_PAGE);
    if (!limit.ok) return limit;
    const beforeLastMessageId = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    if (input.cursor !== undefined && (beforeLastMessageId === undefined || !isId(beforeLastMessageId))) {
      return err(invalid('cursor', 'is not a cursor from this server'));
    }
    const rows = await this.messages.conversations({
      userId: input.viewer.id,
      ...(beforeLastMessageId === undefined ? {} : { beforeLastMessageId }),
      limit: limit.value + 1,
    });
    return ok(toPage(rows, limit.value, (last) => encodeCursor(last.lastMessage.id)));
  }
}
