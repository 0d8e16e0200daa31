import type { LoginThrottle } from '../auth/login-throttle.js';
import type { ResetTokenStore } from '../auth/reset-token-store.js';
import type { SessionStore } from '../auth/session-store.js';
import type { TicketStore } from '../auth/ticket-store.js';
import type { TokenGenerator } from '../auth/token-generator.js';
import type { Limits } from '../limits/limits.js';
import type { Mailer } from '../mail/mailer.js';
import type { MessageRepository } from '../messages/message-repository.js';
import type { Notifier } from '../notifications/notifier.js';
import type { Presence } from '../presence/presence.js';
import type { Background } from '../shared/background.js';
import type { Clock } from '../shared/clock.js';
import type { CoreConfig } from '../shared/config.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { UserRepository } from '../users/user-repository.js';

/** Every driven port and setting the use cases need, as one plain object for code that does not use the container. */
export interface CorePorts {
  readonly users: UserRepository;
  readonly sessions: SessionStore;
  readonly messages: MessageRepository;
  readonly throttle: LoginThrottle;
  readonly tickets: TicketStore;
  readonly resetTokens: ResetTokenStore;
  readonly mailer: Mailer;
  readonly background: Background;
  readonly notifier: Notifier;
  readonly presence: Presence;
  readonly hasher: PasswordHasher;
  /** The rate limits of API.md; `noLimits` turns them all off. */
  readonly limits: Limits;
  readonly tokenGenerator: TokenGenerator;
  readonly clock: Clock;
  readonly config: CoreConfig;
}
