import type { CoreConfig } from '../shared/config.js';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import { type ErrorOf, invalid } from '../shared/errors.js';
import { isId } from '../shared/ids.js';
import { type Page, pageLimit, toPage } from '../shared/page.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import { checkUsername } from '../users/username.js';
import type { Message } from './message.js';
import type { MessageRepository } from './message-repository.js';

export const HISTORY_PAGE_MAX = 100;

/** One conversation, newest first; `nextCursor` pages towards older messages. */
export class ListHistory {
  constructor(
    private readonly users: UserRepository,
    private readonly messages: MessageRepository,
    private readonly config: Pick<CoreConfig, 'messagesToLoad'>,
  ) {}

  async execute(input: {
    viewer: User;
    peer: string;
    before?: string;
    limit?: number;
  }): Promise<Result<Page<Message>, ErrorOf<'validation-failed' | 'user-not-found'>>> {
    const limit = pageLimit(input.limit, { default: this.config.messagesToLoad, max: HISTORY_PAGE_MAX });
    if (!limit.ok) return limit;
    const beforeId = input.before === undefined ? undefined : decodeCursor(input.before);
    if (input.before !== undefined && (beforeId === undefined || !isId(beforeId))) {
      return err(invalid('before', 'is not a cursor from this server'));
    }

    const peer = checkUsername(input.peer).ok ? await this.users.findByUsername(input.peer) : undefined;
    if (!peer) return err({ kind: 'user-not-found' });

    const rows = await this.messages.history({
      userId: input.viewer.id,
      peerId: peer.id,
      ...(beforeId === undefined ? {} : { beforeId }),
      limit: limit.value + 1,
    });
    return ok(toPage(rows, limit.value, (last) => encodeCursor(last.id)));
  }
}
