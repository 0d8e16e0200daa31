export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time in the password; `false` for a hash it cannot read. */
  verify(password: string, hash: string): Promise<boolean>;
}
