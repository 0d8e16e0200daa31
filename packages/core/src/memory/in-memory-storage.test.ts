import { storageContracts } from '../testing/index.js';
import { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
import { InMemoryMessageRepository } from './in-memory-message-repository.js';
import { InMemoryResetTokenStore } from './in-memory-reset-token-store.js';
import { InMemorySessionStore } from './in-memory-session-store.js';
import { InMemoryTicketStore } from './in-memory-ticket-store.js';
import { InMemoryUserRepository } from './in-memory-user-repository.js';

storageContracts('in-memory', async () => {
  const users = new InMemoryUserRepository();
  return {
    users,
    sessions: new InMemorySessionStore(),
    messages: new InMemoryMessageRepository(users),
    throttle: new InMemoryLoginThrottle(),
    tickets: new InMemoryTicketStore(),
    resetTokens: new InMemoryResetTokenStore(),
    close: async () => {},
  };
});
