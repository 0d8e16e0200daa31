import type { ErrorOf, Issue } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { checkPassword } from './password.js';
import type { PasswordHasher } from './password-hasher.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';
import { checkUsername } from './username.js';

export type CreateAccountError = ErrorOf<'validation-failed' | 'username-taken'>;

/** The part of sign-up that the administrator's `create-user` shares. */
export async function createAccount(
  users: UserRepository,
  hasher: PasswordHasher,
  input: { username: string; password: string },
): Promise<Result<User, CreateAccountError>> {
  const issues: Issue[] = [];
  const username = checkUsername(input.username);
  if (!username.ok) issues.push(...username.error.issues);
  const password = checkPassword(input.password);
  if (!password.ok) issues.push(...password.error.issues);
  if (issues.length > 0) return err({ kind: 'validation-failed', issues });

  // Checked first so a taken name costs no key derivation; `create` still decides races.
  if (await users.findByUsername(input.username)) return err({ kind: 'username-taken' });
  const user = await users.create({ username: input.username, passwordHash: await hasher.hash(input.password) });
  return user ? ok(user) : err({ kind: 'username-taken' });
}
