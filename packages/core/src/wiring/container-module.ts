import { type Bind, ContainerModule, type MapToResolvedValueInjectOptions, type ServiceIdentifier } from 'inversify';
import { Authenticate } from '../auth/authenticate.js';
import type { Authenticator } from '../auth/cached-authenticate.js';
import { ChangeEmail } from '../auth/change-email.js';
import { ChangePassword } from '../auth/change-password.js';
import { IdentifyHostUser, IssueHostToken } from '../auth/host-identity.js';
import { IssueWsTicket } from '../auth/issue-ws-ticket.js';
import { LogIn } from '../auth/log-in.js';
import { LogOut } from '../auth/log-out.js';
import { RedeemWsTicket } from '../auth/redeem-ws-ticket.js';
import { RequestPasswordReset } from '../auth/request-password-reset.js';
import { ResetPassword } from '../auth/reset-password.js';
import { SessionStarter } from '../auth/session-starter.js';
import { ShowAccount } from '../auth/show-account.js';
import { SignOutHostUser } from '../auth/sign-out-host-user.js';
import { ListConversations } from '../conversations/list-conversations.js';
import { MarkRead } from '../conversations/mark-read.js';
import { CatchUp } from '../messages/catch-up.js';
import { GetMessage } from '../messages/get-message.js';
import { ListHistory } from '../messages/list-history.js';
import { RecentMessages } from '../messages/recent-messages.js';
import { SendMessage } from '../messages/send-message.js';
import { RelayTyping } from '../presence/relay-typing.js';
import { WatchPresence } from '../presence/watch-presence.js';
import { CreateUser } from '../users/create-user.js';
import { ListUsers } from '../users/list-users.js';
import { ProvisionExternalUser } from '../users/provision-external-user.js';
import { RegisterUser } from '../users/register-user.js';
import { SetEmail } from '../users/set-email.js';
import { SetPassword } from '../users/set-password.js';
import { PORTS } from './tokens.js';

const token = <T>(name: string) => Symbol.for(`message-center.${name}`) as ServiceIdentifier<T>;

export const USE_CASES = {
  RegisterUser: token<RegisterUser>('RegisterUser'),
  CreateUser: token<CreateUser>('CreateUser'),
  SetPassword: token<SetPassword>('SetPassword'),
  SetEmail: token<SetEmail>('SetEmail'),
  LogIn: token<LogIn>('LogIn'),
  Authenticate: token<Authenticate>('Authenticate'),
  LogOut: token<LogOut>('LogOut'),
  ChangePassword: token<ChangePassword>('ChangePassword'),
  ShowAccount: token<ShowAccount>('ShowAccount'),
  ChangeEmail: token<ChangeEmail>('ChangeEmail'),
  RequestPasswordReset: token<RequestPasswordReset>('RequestPasswordReset'),
  ResetPassword: token<ResetPassword>('ResetPassword'),
  IssueWsTicket: token<IssueWsTicket>('IssueWsTicket'),
  RedeemWsTicket: token<RedeemWsTicket>('RedeemWsTicket'),
  SendMessage: token<SendMessage>('SendMessage'),
  GetMessage: token<GetMessage>('GetMessage'),
  ListHistory: token<ListHistory>('ListHistory'),
  CatchUp: token<CatchUp>('CatchUp'),
  ListConversations: token<ListConversations>('ListConversations'),
  MarkRead: token<MarkRead>('MarkRead'),
  ListUsers: token<ListUsers>('ListUsers'),
  WatchPresence: token<WatchPresence>('WatchPresence'),
  RelayTyping: token<RelayTyping>('RelayTyping'),
  ProvisionExternalUser: token<ProvisionExternalUser>('ProvisionExternalUser'),
  IdentifyHostUser: token<IdentifyHostUser>('IdentifyHostUser'),
  IssueHostToken: token<IssueHostToken>('IssueHostToken'),
  SignOutHostUser: token<SignOutHostUser>('SignOutHostUser'),
} as const;

const SESSION_STARTER = token<SessionStarter>('SessionStarter');
const RECENT_MESSAGES = token<RecentMessages>('RecentMessages');

/**
 * Binds a class as a singleton built from other bindings. The dependency list
 * is typed from the constructor, so a wrong or misordered token fails to compile.
 */
function singleton<T, A extends unknown[]>(
  bind: Bind,
  id: ServiceIdentifier<T>,
  Class: new (...args: A) => T,
  deps: MapToResolvedValueInjectOptions<A>,
): void {
  bind(id)
    .toResolvedValue((...args: A) => new Class(...args), deps)
    .inSingletonScope();
}

/** Binds every use case; the application binds `PORTS` before loading it. */
export const coreModule = new ContainerModule(({ bind }) => {
  const P = PORTS;
  singleton(bind, SESSION_STARTER, SessionStarter, [P.SessionStore, P.TokenGenerator, P.Clock, P.CoreConfig]);
  singleton(bind, USE_CASES.RegisterUser, RegisterUser, [P.UserRepository, P.PasswordHasher, SESSION_STARTER, P.Limits, P.CoreConfig]);
  singleton(bind, USE_CASES.CreateUser, CreateUser, [P.UserRepository, P.PasswordHasher]);
  singleton(bind, USE_CASES.SetPassword, SetPassword, [P.UserRepository, P.PasswordHasher, P.SessionStore, P.Notifier]);
  singleton(bind, USE_CASES.LogIn, LogIn, [P.UserRepository, P.PasswordHasher, P.LoginThrottle, P.Limits, SESSION_STARTER, P.Clock]);
  singleton(bind, USE_CASES.Authenticate, Authenticate, [P.SessionStore, P.UserRepository, P.TokenGenerator, P.Clock]);
  singleton(bind, USE_CASES.LogOut, LogOut, [P.SessionStore, P.Notifier]);
  singleton(bind, USE_CASES.ChangePassword, ChangePassword, [P.UserRepository, P.PasswordHasher, P.Limits, P.SessionStore, P.Notifier]);
  singleton(bind, USE_CASES.SetEmail, SetEmail, [P.UserRepository]);
  singleton(bind, USE_CASES.ShowAccount, ShowAccount, [P.UserRepository]);
  singleton(bind, USE_CASES.ChangeEmail, ChangeEmail, [P.UserRepository, P.PasswordHasher, P.Limits]);
  singleton(bind, USE_CASES.RequestPasswordReset, RequestPasswordReset, [
    P.UserRepository,
    P.ResetTokenStore,
    P.TokenGenerator,
    P.Limits,
    P.Mailer,
    P.Background,
    P.Clock,
  ]);
  singleton(bind, USE_CASES.ResetPassword, ResetPassword, [
    P.UserRepository,
    P.PasswordHasher,
    P.ResetTokenStore,
    P.SessionStore,
    P.Notifier,
    P.TokenGenerator,
    P.Clock,
  ]);
  singleton(bind, USE_CASES.IssueWsTicket, IssueWsTicket, [P.TicketStore, P.TokenGenerator, P.Clock]);
  singleton(bind, USE_CASES.RedeemWsTicket, RedeemWsTicket, [P.TicketStore, P.SessionStore, P.UserRepository, P.TokenGenerator, P.Clock]);
  singleton(bind, RECENT_MESSAGES, RecentMessages, [P.Clock]);
  singleton(bind, USE_CASES.SendMessage, SendMessage, [P.MessageRepository, P.Notifier, P.Limits, P.Clock, P.CoreConfig, RECENT_MESSAGES]);
  singleton(bind, USE_CASES.GetMessage, GetMessage, [P.MessageRepository, RECENT_MESSAGES]);
  singleton(bind, USE_CASES.ListHistory, ListHistory, [P.UserRepository, P.MessageRepository, P.CoreConfig]);
  singleton(bind, USE_CASES.CatchUp, CatchUp, [P.MessageRepository]);
  singleton(bind, USE_CASES.ListConversations, ListConversations, [P.MessageRepository]);
  singleton(bind, USE_CASES.MarkRead, MarkRead, [P.UserRepository, P.MessageRepository, P.Notifier]);
  singleton(bind, USE_CASES.ListUsers, ListUsers, [P.UserRepository]);
  singleton(bind, USE_CASES.WatchPresence, WatchPresence, [P.UserRepository, P.Presence]);
  singleton(bind, USE_CASES.RelayTyping, RelayTyping, [P.UserRepository, P.Notifier]);
  const U = USE_CASES;
  singleton(bind, U.ProvisionExternalUser, ProvisionExternalUser, [P.UserRepository]);
  singleton(bind, U.IdentifyHostUser, IdentifyHostUser, [U.ProvisionExternalUser, SESSION_STARTER, P.SessionStore, P.Clock]);
  singleton(bind, U.IssueHostToken, IssueHostToken, [U.ProvisionExternalUser, SESSION_STARTER]);
  singleton(bind, U.SignOutHostUser, SignOutHostUser, [P.UserRepository, P.SessionStore, P.Notifier]);
});

/** The use cases as one object, for the driving adapters to take in their constructors. */
export interface UseCases {
  readonly registerUser: RegisterUser;
  readonly createUser: CreateUser;
  readonly setPassword: SetPassword;
  readonly logIn: LogIn;
  /** The `Authenticate` use case, or a cache in front of it. */
  readonly authenticate: Authenticator;
  readonly logOut: LogOut;
  readonly changePassword: ChangePassword;
  readonly setEmail: SetEmail;
  readonly showAccount: ShowAccount;
  readonly changeEmail: ChangeEmail;
  readonly requestPasswordReset: RequestPasswordReset;
  readonly resetPassword: ResetPassword;
  readonly issueWsTicket: IssueWsTicket;
  readonly redeemWsTicket: RedeemWsTicket;
  readonly sendMessage: SendMessage;
  readonly getMessage: GetMessage;
  readonly listHistory: ListHistory;
  readonly catchUp: CatchUp;
  readonly listConversations: ListConversations;
  readonly markRead: MarkRead;
  readonly listUsers: ListUsers;
  readonly watchPresence: WatchPresence;
  readonly relayTyping: RelayTyping;
  /** For a host application's own users (`createMessageCenter({ identity })`). */
  readonly provisionExternalUser: ProvisionExternalUser;
  readonly identifyHostUser: IdentifyHostUser;
  readonly issueHostToken: IssueHostToken;
  readonly signOutHostUser: SignOutHostUser;
}

/** For composition roots: the use cases out of a container that has `coreModule` and the ports loaded. */
export function resolveUseCases(container: { get<T>(id: ServiceIdentifier<T>): T }): UseCases {
  const get = container.get.bind(container);
  return {
    registerUser: get(USE_CASES.RegisterUser),
    createUser: get(USE_CASES.CreateUser),
    setPassword: get(USE_CASES.SetPassword),
    logIn: get(USE_CASES.LogIn),
    authenticate: get(USE_CASES.Authenticate),
    logOut: get(USE_CASES.LogOut),
    changePassword: get(USE_CASES.ChangePassword),
    setEmail: get(USE_CASES.SetEmail),
    showAccount: get(USE_CASES.ShowAccount),
    changeEmail: get(USE_CASES.ChangeEmail),
    requestPasswordReset: get(USE_CASES.RequestPasswordReset),
    resetPassword: get(USE_CASES.ResetPassword),
    issueWsTicket: get(USE_CASES.IssueWsTicket),
    redeemWsTicket: get(USE_CASES.RedeemWsTicket),
    sendMessage: get(USE_CASES.SendMessage),
    getMessage: get(USE_CASES.GetMessage),
    listHistory: get(USE_CASES.ListHistory),
    catchUp: get(USE_CASES.CatchUp),
    listConversations: get(USE_CASES.ListConversations),
    markRead: get(USE_CASES.MarkRead),
    listUsers: get(USE_CASES.ListUsers),
    watchPresence: get(USE_CASES.WatchPresence),
    relayTyping: get(USE_CASES.RelayTyping),
    provisionExternalUser: get(USE_CASES.ProvisionExternalUser),
    identifyHostUser: get(USE_CASES.IdentifyHostUser),
    issueHostToken: get(USE_CASES.IssueHostToken),
    signOutHostUser: get(USE_CASES.SignOutHostUser),
  };
}
