/** A password-reset link lives this long. */
export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

export interface NewResetToken {
  /** SHA-256 of the token: the token itself travels only in the mail. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly expiresAt: Date;
}

/**
 * Outstanding password-reset tokens. Issuing one leaves the user's other
 * unexpired tokens valid: mails arrive out of order, and the older link may be
 * the one the user clicks.
 */
export interface ResetTokenStore {
  issue(token: NewResetToken): Promise<void>;
  /**
   * Spends the token and returns its user, when it was issued, unspent and
   * unexpired at `now`; of concurrent redeems only one gets the user.
   */
  redeem(tokenHash: string, now: Date): Promise<string | undefined>;
  /** Spends every token of the user: once the password is reset, older links must not reset it again. */
  revokeAllForUser(userId: string): Promise<void>;
}
