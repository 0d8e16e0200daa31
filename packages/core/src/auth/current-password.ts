import { type Limits, spend } from '../limits/limits.js';
import type { ErrorOf } from '../shared/errors.js';
import { couldBeAPassword } from '../users/password.js';
import type { PasswordHasher } from '../users/password-hasher.js';

export type CurrentPasswordError = ErrorOf<'wrong-current-password' | 'rate-limited'>;

/**
 * The check of the caller's current password before a change of password or
 * email, with the wrong guesses of a stolen session limited per user across
 * both. A guess is counted up front, so that simultaneous guesses cannot all
 * slip under the limit, and given back when it proves right.
 */
export async function checkCurrentPassword(
  deps: { readonly hasher: PasswordHasher; readonly limits: Pick<Limits, 'wrongPasswords'> },
  userId: string,
  account: { readonly passwordHash: string } | undefined,
  currentPassword: string,
): Promise<CurrentPasswordError | undefined> {
  const refused = await spend(deps.limits.wrongPasswords, userId);
  if (refused) return refused;
  let right: boolean | undefined;
  try {
    // Over-long or ill-formed input is refused without hashing it (see couldBeAPassword).
    const plausible = couldBeAPassword(currentPassword);
    right = !!account && plausible && (await deps.hasher.verify(currentPassword, account.passwordHash));
  } finally {
    // Also when it threw (a hash refused for lack of capacity): no guess was judged.
    if (right !== false) await deps.limits.wrongPasswords.refund(userId);
  }
  return right ? undefined : { kind: 'wrong-current-password' };
}
