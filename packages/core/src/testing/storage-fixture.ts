import { afterEach, beforeEach } from 'vitest';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { ResetTokenStore } from '../auth/reset-token-store.js';
import type { SessionStore } from '../auth/session-store.js';
import type { TicketStore } from '../auth/ticket-store.js';
import type { MessageRepository } from '../messages/message-repository.js';
import type { UserRepository } from '../users/user-repository.js';

/** One storage backend, opened empty for one test. */
export interface StorageFixture {
  users: UserRepository;
  sessions: SessionStore;
  messages: MessageRepository;
  throttle: LoginThrottle;
  tickets: TicketStore;
  resetTokens: ResetTokenStore;
  close(): Promise<void>;
}

/** Each call: a clean, empty store. */
export type OpenStorage = () => Promise<StorageFixture>;

/** Opens a fresh store before each test of the enclosing `describe` and closes it after. */
export function useStorage(open: OpenStorage): () => StorageFixture {
  let fixture: StorageFixture | undefined;
  beforeEach(async () => {
    fixture = await open();
  });
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });
  return () => {
    if (!fixture) throw new Error('the storage is only open inside a test');
    return fixture;
  };
}

/** A fixed instant with milliseconds, far from "now", so no test depends on the wall clock. */
export const T0 = Date.parse('2031-05-06T07:08:09.123Z');

export const at = (msAfterT0: number): Date => new Date(T0 + msAfterT0);
