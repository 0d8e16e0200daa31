import type { User } from '../users/user.js';

export interface Message {
  readonly id: string;
  readonly sender: User;
  readonly recipient: User;
  readonly body: string;
  readonly createdAt: Date;
  /** The sender's idempotency key, when the send carried one. */
  readonly clientId: string | null;
}
