import type { MessageRepository } from '../messages/message-repository.js';
import type { Notifier } from '../notifications/notifier.js';
import { type ErrorOf, invalid } from '../shared/errors.js';
import { isId } from '../shared/ids.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import { checkUsername } from '../users/username.js';

export class MarkRead {
  constructor(
    private readonly users: UserRepository,
    private readonly messages: MessageRepository,
    private readonly notifier: Notifier,
  ) {}

  /**
   * Moves the reader's marker up, never down. Both people hear of it only
   * when it moved: a stale or repeated mark is news to nobody.
   */
  async execute(input: {
    reader: User;
    peer: string;
    lastReadId: string;
  }): Promise<Result<void, ErrorOf<'validation-failed' | 'user-not-found'>>> {
    if (!isId(input.lastReadId)) return err(invalid('lastReadId', 'must be a message id'));
    const peer = checkUsername(input.peer).ok ? await this.users.findByUsername(input.peer) : undefined;
    if (!peer) return err({ kind: 'user-not-found' });

    const marker = await this.messages.markRead({ userId: input.reader.id, peerId: peer.id, lastReadId: input.lastReadId });
    if (marker?.moved) {
      await this.notifier.publish({
        kind: 'event',
        userIds: [input.reader.id, peer.id],
        event: { type: 'conversation.read', reader: input.reader.username, peer: peer.username, lastReadId: marker.lastReadId },
      });
    }
    return ok(undefined);
  }
}
