import type { Result } from '../shared/result.js';
import { type CreateAccountError, createAccount } from './create-account.js';
import type { PasswordHasher } from './password-hasher.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

/** The administrator's sign-up: works when registration is closed, opens no session. */
export class CreateUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  execute(input: { username: string; password: string }): Promise<Result<User, CreateAccountError>> {
    return createAccount(this.users, this.hasher, input);
  }
}
