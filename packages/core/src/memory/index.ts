export { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
export { InMemoryMessageRepository, type UserDirectory } from './in-memory-message-repository.js';
export { type InMemoryPortsOptions, inMemoryPorts } from './in-memory-ports.js';
export { type FlexibleLimiter, FlexibleRateLimiter, InMemoryRateLimiters } from './in-memory-rate-limiters.js';
export { InMemorySessionStore } from './in-memory-session-store.js';
export { InMemoryTicketStore } from './in-memory-ticket-store.js';
export { InMemoryUserRepository } from './in-memory-user-repository.js';
export { LocalNotifier, type LocalNotifierOptions, noDelivery } from './local-notifier.js';
export { FixedClock, ManualClock } from './manual-clock.js';
