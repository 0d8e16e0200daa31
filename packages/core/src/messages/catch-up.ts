import { type ErrorOf, invalid } from '../shared/errors.js';
import { isId } from '../shared/ids.js';
import { type Page, pageLimit, toPage } from '../shared/page.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from '../users/user.js';
import type { Message } from './message.js';
import type { MessageRepository } from './message-repository.js';

export const CATCH_UP_PAGE = { default: 100, max: 500 } as const;

/**
 * Everything the viewer sent or received after an id, oldest first. The next
 * cursor is the last id itself, because clients pass it back as `after`.
 */
export class CatchUp {
  constructor(private readonly messages: MessageRepository) {}

  async execute(input: { viewer: User; after: string; limit?: number }): Promise<Result<Page<Message>, ErrorOf<'validation-failed'>>> {
    const limit = pageLimit(input.limit, CATCH_UP_PAGE);
    if (!limit.ok) return limit;
    if (!isId(input.after)) return err(invalid('after', 'must be a message id'));
    const rows = await this.messages.after({ userId: input.viewer.id, afterId: input.after, limit: limit.value + 1 });
    return ok(toPage(rows, limit.value, (last) => last.id));
  }
}
