export interface TokenGenerator {
  /** A fresh random secret, safe to put in a cookie or a URL. */
  generate(): string;
  /** The form in which a secret is stored and looked up. */
  hash(token: string): string;
}
