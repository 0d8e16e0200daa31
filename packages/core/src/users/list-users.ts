import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import { type ErrorOf, invalid } from '../shared/errors.js';
import { type Page, pageLimit, toPage } from '../shared/page.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';
import { isUsernamePrefix, usernameKey } from './username.js';

export const USERS_PAGE = { default: 50, max: 200 } as const;

export class ListUsers {
  constructor(private readonly users: UserRepository) {}

  async execute(input: {
    viewer: User;
    q?: string;
    cursor?: string;
    limit?: number;
  }): Promise<Result<Page<User>, ErrorOf<'validation-failed'>>> {
    const limit = pageLimit(input.limit, USERS_PAGE);
    if (!limit.ok) return limit;
    const afterKey = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    if (input.cursor !== undefined && afterKey === undefined) return err(invalid('cursor', 'is not a cursor from this server'));

    const prefix = input.q ?? '';
    // A prefix with a character no username has cannot match: no need to ask the store.
    if (!isUsernamePrefix(prefix)) return ok({ items: [], nextCursor: null });

    const rows = await this.users.list({
      excludeUserId: input.viewer.id,
      prefix: usernameKey(prefix),
      ...(afterKey === undefined ? {} : { afterKey }),
      limit: limit.value + 1,
    });
    return ok(toPage(rows, limit.value, (last) => encodeCursor(usernameKey(last.username))));
  }
}
