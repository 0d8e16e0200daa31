import type { LoginThrottle, MessageRepository, SessionStore, TicketStore, UserRepository } from '@message-center/core';
import { KyselyLoginThrottle } from './auth/kysely-login-throttle.js';
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
}

export function kyselyStorage(database: StorageDatabase): KyselyStorage {
  return {
    users: new KyselyUserRepository(database),
    sessions: new KyselySessionStore(database),
    messages: new KyselyMessageRepository(database),
    throttle: new KyselyLoginThrottle(database),
    tickets: new KyselyTicketStore(database),
  };
}
