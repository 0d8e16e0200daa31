import type { Notifier } from '../notifications/notifier.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import { checkUsername, usernameKey } from '../users/username.js';

/**
 * "alice is typing…": handed to every connection of the named user, in any
 * process, and stored nowhere. An unknown name, or oneself, is ignored without
 * an answer, as API.md says; `false` tells the caller nothing was sent.
 */
export class RelayTyping {
  constructor(
    private readonly users: UserRepository,
    private readonly notifier: Notifier,
  ) {}

  async execute(input: { from: User; to: string }): Promise<boolean> {
    if (!checkUsername(input.to).ok || usernameKey(input.to) === usernameKey(input.from.username)) return false;
    const recipient = await this.users.findByUsername(input.to);
    if (!recipient) return false;
    await this.notifier.publish({ kind: 'event', userIds: [recipient.id], event: { type: 'typing', from: input.from.username } });
    return true;
  }
}
