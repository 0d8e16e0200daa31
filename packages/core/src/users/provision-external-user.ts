import { type ErrorOf, invalid } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';
import { checkUsername } from './username.js';

/** Who a host application says the caller is. */
export interface HostUser {
  /** The host's own, stable id for the person (at most 255 characters). */
  readonly id: string;
  /** Shown to other users; the rules of every username apply (3–32 of `A-Z a-z 0-9 _ . -`). */
  readonly username: string;
}

export type ProvisionExternalUserError = ErrorOf<'validation-failed' | 'username-taken'>;

export const MAX_EXTERNAL_ID_LENGTH = 255;

/**
 * The host's user as one of ours: created the first time the host names them,
 * renamed when the host's username changed since. A rename to a name another
 * user holds is not applied (the old name stays until that one is free), so a
 * swap of two names in the host never locks either person out.
 */
export class ProvisionExternalUser {
  constructor(private readonly users: UserRepository) {}

  async execute(input: HostUser): Promise<Result<User, ProvisionExternalUserError>> {
    if (typeof input.id !== 'string' || input.id.length === 0 || input.id.length > MAX_EXTERNAL_ID_LENGTH) {
      return err(invalid('id', `must be 1 to ${MAX_EXTERNAL_ID_LENGTH} characters`));
    }
    const username = checkUsername(input.username);
    if (!username.ok) return username;

    const known = await this.users.findByExternalId(input.id);
    if (known) return ok(await this.renamed(known, input.username));
    const created = await this.users.createExternal({ externalId: input.id, username: input.username });
    if (created.ok) return created;
    if (created.error === 'username-taken') return err({ kind: 'username-taken' });
    // Another request provisioned the same person a moment ago: theirs is the user.
    const raced = await this.users.findByExternalId(input.id);
    if (!raced) throw new Error('an external id was refused as taken but is not there');
    return ok(await this.renamed(raced, input.username));
  }

  private async renamed(known: User, username: string): Promise<User> {
    if (known.username === username) return { id: known.id, username };
    return (await this.users.rename(known.id, username)) ? { id: known.id, username } : { id: known.id, username: known.username };
  }
}
