export { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
export { InMemoryMessageRepository, type UserDirectory } from './in-memory-message-repository.js';
export { type InMemoryPortsOptions, inMemoryPorts } from './in-memory-ports.js';
export { InMemoryPresence, type InMemoryPresenceOptions } from './in-memory-presence.js';
export { InMemorySessionStore } from './in-memory-session-store.js';
export { InMemoryTicketStore } from './in-memory-ticket-store.js';
export { InMemoryUserRepository } from './in-memory-user-repository.js';
export { LocalNotifier, type LocalNotifierOptions, noDelivery } from './local-notifier.js';
export { FixedClock, ManualClock } from './manual-clock.js';
