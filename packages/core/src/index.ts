// The public API of @message-center/core: use cases, the ports they need and
// their tokens, domain errors and values, and the container wiring. In-memory
// adapters, node:crypto adapters and contract suites have their own subpaths
// (`/memory`, `/crypto`, `/testing`).

// Authentication
export { Authenticate, type Principal, principalOf } from './auth/authenticate.js';
export { type Authenticator, CachedAuthenticate, type CachedAuthenticateOptions } from './auth/cached-authenticate.js';
export { ChangeEmail, type ChangeEmailError } from './auth/change-email.js';
export { ChangePassword, type ChangePasswordError } from './auth/change-password.js';
export { bearerTokenOf, SESSION_COOKIE, type SessionCredential, sessionCredentialOf } from './auth/credentials.js';
export { DEFAULT_HOST_TOKEN_TTL_MS, type HostIdentified, type HostToken, IdentifyHostUser, IssueHostToken } from './auth/host-identity.js';
export { IssueWsTicket } from './auth/issue-ws-ticket.js';
export { LOGIN_THROTTLE_POLICY, LogIn, type LogInError } from './auth/log-in.js';
export { LogOut } from './auth/log-out.js';
export type { LoginThrottle, ThrottleKey } from './auth/login-throttle.js';
export { normalizeOrigin, OriginPolicy } from './auth/origin-policy.js';
export { RedeemWsTicket } from './auth/redeem-ws-ticket.js';
export { RequestPasswordReset, type RequestPasswordResetError } from './auth/request-password-reset.js';
export { ResetPassword, type ResetPasswordError } from './auth/reset-password.js';
export { type NewResetToken, RESET_TOKEN_TTL_MS, type ResetTokenStore } from './auth/reset-token-store.js';
export type { Session } from './auth/session.js';
export { HOST_PREFIX, type SessionCookie, sessionCookieIn } from './auth/session-cookie.js';
export { SessionStarter, type StartedSession } from './auth/session-starter.js';
export type { NewSession, SessionStore } from './auth/session-store.js';
export { type OwnAccount, ShowAccount } from './auth/show-account.js';
export { SignOutHostUser } from './auth/sign-out-host-user.js';
export { type NewTicket, type TicketGrant, type TicketStore, WS_TICKET_TTL_MS } from './auth/ticket-store.js';
export type { TokenGenerator } from './auth/token-generator.js';

// Conversations and messages
export { CONVERSATIONS_PAGE, ListConversations } from './conversations/list-conversations.js';
export { MarkRead } from './conversations/mark-read.js';
// Limits
export { BoundedPasswordHasher, DEFAULT_MAX_WAITING_HASHES, type HashingCapacity } from './limits/bounded-password-hasher.js';
export { createLimits, DEFAULT_LIMITS, type LimitSettings, type Limits, noLimits, sustainedRate } from './limits/limits.js';
export {
  type RateDecision,
  type RateLimit,
  type RateLimiter,
  type RateLimiters,
  retryAfterSeconds,
  unlimited,
} from './limits/rate-limiter.js';

// Mail
export type { Mail, Mailer, PasswordResetMail } from './mail/mailer.js';
export { CATCH_UP_PAGE, CatchUp } from './messages/catch-up.js';
export { GetMessage } from './messages/get-message.js';
export { HISTORY_PAGE_MAX, ListHistory } from './messages/list-history.js';
export type { Message } from './messages/message.js';
export { checkClientId, checkMessageBody, DEFAULT_MAX_MESSAGE_LENGTH, MAX_CLIENT_ID_LENGTH } from './messages/message-body.js';
export type { AppendOutcome, ConversationSummary, MessageRepository, NewMessage } from './messages/message-repository.js';
export { SendMessage, type SendMessageError, type SendMessageInput } from './messages/send-message.js';

// Notifications
export type { ClientEvent, Notification } from './notifications/events.js';
export type { LocalDelivery, Notifier } from './notifications/notifier.js';
export {
  DEFAULT_PRESENCE_GRACE_MS,
  MAX_WATCHED_USERS,
  type Presence,
  type PresenceChange,
  type PresenceListener,
  type PresenceStatus,
} from './presence/presence.js';
// Presence and typing
export { RelayTyping } from './presence/relay-typing.js';
export { type WatchedUser, WatchPresence, type WatchPresenceOutput } from './presence/watch-presence.js';

// Shared values
export type { Background } from './shared/background.js';
export { type Clock, systemClock } from './shared/clock.js';
export { type CoreConfig, defaultCoreConfig } from './shared/config.js';
export { decodeCursor, encodeCursor } from './shared/cursor.js';
export { type DomainError, type ErrorOf, type Issue, invalid, Overloaded, StoreUnavailable } from './shared/errors.js';
export { compareIds, isId } from './shared/ids.js';
export { type LimitRule, type Page, pageLimit, toPage } from './shared/page.js';
export { PROBLEM_TITLES, type ProblemSlug } from './shared/problem-titles.js';
export { err, ok, type Result } from './shared/result.js';

// Users
export { CreateUser } from './users/create-user.js';
export { checkEmail, emailKey, MAX_EMAIL_LENGTH } from './users/email.js';
export { ListUsers, USERS_PAGE } from './users/list-users.js';
export { checkPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './users/password.js';
export type { PasswordHasher } from './users/password-hasher.js';
export {
  type HostUser,
  MAX_EXTERNAL_ID_LENGTH,
  ProvisionExternalUser,
  type ProvisionExternalUserError,
} from './users/provision-external-user.js';
export { RegisterUser, type RegisterUserError } from './users/register-user.js';
export { SetEmail } from './users/set-email.js';
export { SetPassword } from './users/set-password.js';
export type { User, UserAccount } from './users/user.js';
export type { NewExternalUser, NewUser, UserQuery, UserRepository, UserTaken } from './users/user-repository.js';
export { checkUsername, isUsernamePrefix, usernameKey } from './users/username.js';

// Wiring
export { coreModule, resolveUseCases, USE_CASES, type UseCases } from './wiring/container-module.js';
export { bindPorts, createCoreContainer, createUseCasesFrom } from './wiring/core-container.js';
export type { CorePorts } from './wiring/core-ports.js';
export { LOCAL_DELIVERY, PORT_TOKENS, PORTS } from './wiring/tokens.js';
