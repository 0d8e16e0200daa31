import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Principal } from './authenticate.js';

export interface OwnAccount {
  readonly user: User;
  /** The caller's own address: this is the one answer that carries it. */
  readonly email: string | null;
}

export class ShowAccount {
  constructor(private readonly users: UserRepository) {}

  async execute(input: Principal): Promise<OwnAccount> {
    const account = await this.users.findById(input.user.id);
    return { user: input.user, email: account?.email ?? null };
  }
}
