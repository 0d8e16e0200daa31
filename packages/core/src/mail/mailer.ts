/** A password-reset link for `to`; the adapter builds the link from the token and its public URL. */
export interface PasswordResetMail {
  readonly kind: 'password-reset';
  readonly to: string;
  readonly username: string;
  /** The secret: it goes into the mail's link and nowhere else (never a log line). */
  readonly token: string;
  readonly expiresAt: Date;
}

export type Mail = PasswordResetMail;

export interface Mailer {
  /** Rejects when the mail could not be handed over for delivery. */
  send(mail: Mail): Promise<void>;
}
