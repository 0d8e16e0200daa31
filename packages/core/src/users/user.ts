export interface User {
  readonly id: string;
  readonly username: string;
}

/** What the store keeps about a user; the hash never leaves the core. */
export interface UserAccount extends User {
  readonly passwordHash: string;
  /** As the user typed it; shown to the user alone (`GET /auth/me`), never to anyone else. */
  readonly email: string | null;
}
