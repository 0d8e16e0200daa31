import { RandomTokenGenerator } from '../crypto/random-token-generator.js';
import { ScryptPasswordHasher } from '../crypto/scrypt-password-hasher.js';
import { noLimits } from '../limits/limits.js';
import type { LocalDelivery } from '../notifications/notifier.js';
import { systemClock } from '../shared/clock.js';
import { defaultCoreConfig } from '../shared/config.js';
import type { CorePorts } from '../wiring/core-ports.js';
import { BackgroundTasks } from './background-tasks.js';
import { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
import { InMemoryMailbox } from './in-memory-mailbox.js';
import { InMemoryMessageRepository } from './in-memory-message-repository.js';
import { InMemoryPresence } from './in-memory-presence.js';
import { InMemoryResetTokenStore } from './in-memory-reset-token-store.js';
import { InMemorySessionStore } from './in-memory-session-store.js';
import { InMemoryTicketStore } from './in-memory-ticket-store.js';
import { InMemoryUserRepository } from './in-memory-user-repository.js';
import { LocalNotifier, noDelivery } from './local-notifier.js';

export interface InMemoryPortsOptions extends Partial<Omit<CorePorts, 'config'>> {
  /** Merged over `defaultCoreConfig`. */
  readonly config?: Partial<CorePorts['config']>;
  /** Where the default `LocalNotifier` delivers; nowhere when absent. */
  readonly delivery?: LocalDelivery;
}

/**
 * Every port without a database: for embedding and for tests. The hasher has
 * the production cost unless one is passed (tests pass `TEST_SCRYPT_COST`).
 * Rate limits are off unless `limits` is passed (`createLimits(new InMemoryRateLimiters())`).
 */
export function inMemoryPorts(options: InMemoryPortsOptions = {}): CorePorts {
  const { delivery, config, ...overrides } = options;
  const users = overrides.users ?? new InMemoryUserRepository();
  if (!overrides.messages && !(users instanceof InMemoryUserRepository)) {
    throw new Error('inMemoryPorts: pass `messages` too when `users` is not an InMemoryUserRepository');
  }
  return {
    users,
    sessions: overrides.sessions ?? new InMemorySessionStore(),
    messages: overrides.messages ?? new InMemoryMessageRepository(users as InMemoryUserRepository),
    throttle: overrides.throttle ?? new InMemoryLoginThrottle(),
    tickets: overrides.tickets ?? new InMemoryTicketStore(),
    resetTokens: overrides.resetTokens ?? new InMemoryResetTokenStore(),
    mailer: overrides.mailer ?? new InMemoryMailbox(),
    background: overrides.background ?? new BackgroundTasks(),
    notifier: overrides.notifier ?? new LocalNotifier(delivery ?? noDelivery),
    presence: overrides.presence ?? new InMemoryPresence({ clock: overrides.clock ?? systemClock }),
    hasher: overrides.hasher ?? new ScryptPasswordHasher(),
    limits: overrides.limits ?? noLimits,
    tokenGenerator: overrides.tokenGenerator ?? new RandomTokenGenerator(),
    clock: overrides.clock ?? systemClock,
    config: { ...defaultCoreConfig, ...config },
  };
}
