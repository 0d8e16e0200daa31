import type { ServiceIdentifier } from 'inversify';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { SessionStore } from '../auth/session-store.js';
import type { TicketStore } from '../auth/ticket-store.js';
import type { TokenGenerator } from '../auth/token-generator.js';
import type { MessageRepository } from '../messages/message-repository.js';
import type { Notifier } from '../notifications/notifier.js';
import type { Presence } from '../presence/presence.js';
import type { Clock } from '../shared/clock.js';
import type { CoreConfig } from '../shared/config.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { UserRepository } from '../users/user-repository.js';

const token = <T>(name: string) => Symbol.for(`message-center.${name}`) as ServiceIdentifier<T>;

/** The driven ports and settings an application must bind before loading `coreModule`. */
export const PORTS = {
  UserRepository: token<UserRepository>('UserRepository'),
  SessionStore: token<SessionStore>('SessionStore'),
  MessageRepository: token<MessageRepository>('MessageRepository'),
  LoginThrottle: token<LoginThrottle>('LoginThrottle'),
  TicketStore: token<TicketStore>('TicketStore'),
  Notifier: token<Notifier>('Notifier'),
  Presence: token<Presence>('Presence'),
  PasswordHasher: token<PasswordHasher>('PasswordHasher'),
  TokenGenerator: token<TokenGenerator>('TokenGenerator'),
  Clock: token<Clock>('Clock'),
  CoreConfig: token<CoreConfig>('CoreConfig'),
} as const;
