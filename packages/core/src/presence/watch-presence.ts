import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import { checkUsername, usernameKey } from '../users/username.js';
import { MAX_WATCHED_USERS, type Presence } from './presence.js';

/** One row of a `presence` frame. */
export interface WatchedUser {
  /** The stored spelling for a known user; as asked for an unknown one. */
  readonly username: string;
  readonly online: boolean;
  readonly lastSeenAt: Date | null;
}

export interface WatchPresenceOutput {
  /** One row per distinct username (compared without letter case), in the order first asked. */
  readonly users: readonly WatchedUser[];
  /** The lower-case keys watched, to match later changes against. */
  readonly keys: readonly string[];
}

/**
 * The snapshot a `presence.watch` frame is answered with. Unknown usernames
 * are offline and never seen, as API.md says, rather than an error: a client
 * that watches a name learns nothing it could not learn from the user list.
 */
export class WatchPresence {
  constructor(
    private readonly users: UserRepository,
    private readonly presence: Presence,
  ) {}

  async execute(input: { usernames: readonly string[] }): Promise<WatchPresenceOutput> {
    const asked = new Map<string, string>();
    for (const username of input.usernames.slice(0, MAX_WATCHED_USERS)) {
      const key = usernameKey(username);
      if (!asked.has(key)) asked.set(key, username);
    }
    const valid = [...asked.values()].filter((username) => checkUsername(username).ok);
    const found = valid.length > 0 ? await this.users.findManyByUsername(valid) : [];
    const byKey = new Map<string, User>(found.map((user) => [usernameKey(user.username), user]));
    const known = [...byKey.values()];
    const statuses = known.length > 0 ? await this.presence.statusOf(known.map((user) => user.id)) : [];
    const statusById = new Map(statuses.map((status) => [status.userId, status]));

    const users = [...asked].map(([key, spelling]): WatchedUser => {
      const user = byKey.get(key);
      const status = user && statusById.get(user.id);
      if (!user || !status) return { username: user?.username ?? spelling, online: false, lastSeenAt: null };
      return { username: user.username, online: status.online, lastSeenAt: status.online ? null : status.lastSeenAt };
    });
    return { users, keys: [...asked.keys()] };
  }
}
