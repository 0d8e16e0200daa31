import type { LoginThrottle, MessageRepository, ResetTokenStore, SessionStore, TicketStore, UserRepository } from '@message-center/core';
import { KyselyLoginThrottle } from './auth/kysely-login-throttle.js';
import { KyselyResetTokenStore } from './auth/kysely-reset-token-store.js';
import { KyselySessionStore } from './auth/kysely-session-store.js';
import { KyselyTicketStore } from './auth/kysely-ticket-store.js';
import type { StorageDatabase } from './database.js';
import { KyselyMessageRepository } from './messages/kysely-message-repository.js';
import { KyselyUserRepository } from './users/kysely-user-repository.js';

/** Every storage port of the core, on one database. */
export interface KyselyStorage {
  readonly users: UserRepository;
  readonly sessions: SessionStore;
  readonly messages: MessageRepository;
  readonly throttle: LoginThrottle;
  readonly tickets: TicketStore;
  readonly resetTokens: ResetTokenStore;
}

export function kyselyStorage(database: StorageDatabase): KyselyStorage {
  return {
    users: new KyselyUserRepository(database),
    sessions: new KyselySessionStore(database),
    messages: new KyselyMessageRepository(database),
    throttle: new KyselyLoginThrottle(database),
    tickets: new KyselyTicketStore(database),
    resetTokens: new KyselyResetTokenStore(database),
  };
}
