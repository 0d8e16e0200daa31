import type { ErrorOf, Issue } from '../shared/errors.js';
import { err, type Result } from '../shared/result.js';
import { checkEmail } from './email.js';
import { checkPassword } from './password.js';
import type { PasswordHasher } from './password-hasher.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';
import { checkUsername } from './username.js';

export type CreateAccountError = ErrorOf<'validation-failed' | 'username-taken' | 'email-taken'>;

/** The part of sign-up that the administrator's `create-user` shares. */
export async function createAccount(
  users: UserRepository,
  hasher: PasswordHasher,
  input: { username: string; password: string; email?: string | null | undefined },
): Promise<Result<User, CreateAccountError>> {
  const issues: Issue[] = [];
  const username = checkUsername(input.username);
  if (!username.ok) issues.push(...username.error.issues);
  const password = checkPassword(input.password);
  if (!password.ok) issues.push(...password.error.issues);
  const email = input.email ?? null;
  if (email !== null) {
    const checked = checkEmail(email);
    if (!checked.ok) issues.push(...checked.error.issues);
  }
  if (issues.length > 0) return err({ kind: 'validation-failed', issues });

  // Checked first so a taken name or address costs no key derivation; `create` still decides races.
  if (await users.findByUsername(input.username)) return err({ kind: 'username-taken' });
  if (email !== null && (await users.findByEmail(email))) return err({ kind: 'email-taken' });
  const created = await users.create({ username: input.username, passwordHash: await hasher.hash(input.password), email });
  return created.ok ? created : err({ kind: created.error });
}
