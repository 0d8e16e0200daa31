import type { ServiceIdentifier } from 'inversify';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { ResetTokenStore } from '../auth/reset-token-store.js';
import type { SessionStore } from '../auth/session-store.js';
import type { TicketStore } from '../auth/ticket-store.js';
import type { TokenGenerator } from '../auth/token-generator.js';
import type { Limits } from '../limits/limits.js';
import type { Mailer } from '../mail/mailer.js';
import type { MessageRepository } from '../messages/message-repository.js';
import type { LocalDelivery, Notifier } from '../notifications/notifier.js';
import type { Presence } from '../presence/presence.js';
import type { Background } from '../shared/background.js';
import type { Clock } from '../shared/clock.js';
import type { CoreConfig } from '../shared/config.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { UserRepository } from '../users/user-repository.js';
import type { CorePorts } from './core-ports.js';

const token = <T>(name: string) => Symbol.for(`message-center.${name}`) as ServiceIdentifier<T>;

/** The driven ports and settings an application must bind before loading `coreModule`. */
export const PORTS = {
  UserRepository: token<UserRepository>('UserRepository'),
  SessionStore: token<SessionStore>('SessionStore'),
  MessageRepository: token<MessageRepository>('MessageRepository'),
  LoginThrottle: token<LoginThrottle>('LoginThrottle'),
  TicketStore: token<TicketStore>('TicketStore'),
  ResetTokenStore: token<ResetTokenStore>('ResetTokenStore'),
  Mailer: token<Mailer>('Mailer'),
  Background: token<Background>('Background'),
  Notifier: token<Notifier>('Notifier'),
  Presence: token<Presence>('Presence'),
  PasswordHasher: token<PasswordHasher>('PasswordHasher'),
  Limits: token<Limits>('Limits'),
  TokenGenerator: token<TokenGenerator>('TokenGenerator'),
  Clock: token<Clock>('Clock'),
  CoreConfig: token<CoreConfig>('CoreConfig'),
} as const;

/**
 * Which token each field of `CorePorts` is bound to. Typed over the keys of
 * `CorePorts`, so a port added there without a token here (or the reverse)
 * fails to compile instead of failing when the container first resolves it.
 */
export const PORT_TOKENS: { readonly [K in keyof CorePorts]: ServiceIdentifier<CorePorts[K]> } = {
  users: PORTS.UserRepository,
  sessions: PORTS.SessionStore,
  messages: PORTS.MessageRepository,
  throttle: PORTS.LoginThrottle,
  tickets: PORTS.TicketStore,
  resetTokens: PORTS.ResetTokenStore,
  mailer: PORTS.Mailer,
  background: PORTS.Background,
  notifier: PORTS.Notifier,
  presence: PORTS.Presence,
  hasher: PORTS.PasswordHasher,
  limits: PORTS.Limits,
  tokenGenerator: PORTS.TokenGenerator,
  clock: PORTS.Clock,
  config: PORTS.CoreConfig,
};

/**
 * Where this process delivers notifications to its own connections (the
 * WebSocket registry). Not a use-case port: a host module that rebinds
 * `PORTS.Notifier` resolves it to hand its notifier the local sockets.
 */
export const LOCAL_DELIVERY = token<LocalDelivery>('LocalDelivery');
