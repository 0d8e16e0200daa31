import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { Authenticate } from '../auth/authenticate.js';
import { ChangePassword } from '../auth/change-password.js';
import { IssueWsTicket } from '../auth/issue-ws-ticket.js';
import { LogIn } from '../auth/log-in.js';
import { LogOut } from '../auth/log-out.js';
import { RedeemWsTicket } from '../auth/redeem-ws-ticket.js';
import { SessionStarter } from '../auth/session-starter.js';
import { ListConversations } from '../conversations/list-conversations.js';
import { MarkRead } from '../conversations/mark-read.js';
import { CatchUp } from '../messages/catch-up.js';
import { GetMessage } from '../messages/get-message.js';
import { ListHistory } from '../messages/list-history.js';
import { SendMessage } from '../messages/send-message.js';
import { CreateUser } from '../users/create-user.js';
import { ListUsers } from '../users/list-users.js';
import { RegisterUser } from '../users/register-user.js';
import { SetPassword } from '../users/set-password.js';
import { PORTS } from './tokens.js';

const token = <T>(name: string) => Symbol.for(`message-center.${name}`) as ServiceIdentifier<T>;

export const USE_CASES = {
  RegisterUser: token<RegisterUser>('RegisterUser'),
  CreateUser: token<CreateUser>('CreateUser'),
  SetPassword: token<SetPassword>('SetPassword'),
  LogIn: token<LogIn>('LogIn'),
  Authenticate: token<Authenticate>('Authenticate'),
  LogOut: token<LogOut>('LogOut'),
  ChangePassword: token<ChangePassword>('ChangePassword'),
  IssueWsTicket: token<IssueWsTicket>('IssueWsTicket'),
  RedeemWsTicket: token<RedeemWsTicket>('RedeemWsTicket'),
  SendMessage: token<SendMessage>('SendMessage'),
  GetMessage: token<GetMessage>('GetMessage'),
  ListHistory: token<ListHistory>('ListHistory'),
  CatchUp: token<CatchUp>('CatchUp'),
  ListConversations: token<ListConversations>('ListConversations'),
  MarkRead: token<MarkRead>('MarkRead'),
  ListUsers: token<ListUsers>('ListUsers'),
} as const;

const SESSION_STARTER = token<SessionStarter>('SessionStarter');

/** Binds every use case; the application binds `PORTS` before loading it. */
export const coreModule = new ContainerModule(({ bind }) => {
  const P = PORTS;
  bind(SESSION_STARTER)
    .toResolvedValue(
      (sessions, tokens, clock, config) => new SessionStarter(sessions, tokens, clock, config),
      [P.SessionStore, P.TokenGenerator, P.Clock, P.CoreConfig],
    )
    .inSingletonScope();
  bind(USE_CASES.RegisterUser)
    .toResolvedValue(
      (users, hasher, starter, config) => new RegisterUser(users, hasher, starter, config),
      [P.UserRepository, P.PasswordHasher, SESSION_STARTER, P.CoreConfig],
    )
    .inSingletonScope();
  bind(USE_CASES.CreateUser)
    .toResolvedValue((users, hasher) => new CreateUser(users, hasher), [P.UserRepository, P.PasswordHasher])
    .inSingletonScope();
  bind(USE_CASES.SetPassword)
    .toResolvedValue(
      (users, hasher, sessions, notifier) => new SetPassword(users, hasher, sessions, notifier),
      [P.UserRepository, P.PasswordHasher, P.SessionStore, P.Notifier],
    )
    .inSingletonScope();
  bind(USE_CASES.LogIn)
    .toResolvedValue(
      (users, hasher, throttle, starter, clock) => new LogIn(users, hasher, throttle, starter, clock),
      [P.UserRepository, P.PasswordHasher, P.LoginThrottle, SESSION_STARTER, P.Clock],
    )
    .inSingletonScope();
  bind(USE_CASES.Authenticate)
    .toResolvedValue(
      (sessions, users, tokens, clock) => new Authenticate(sessions, users, tokens, clock),
      [P.SessionStore, P.UserRepository, P.TokenGenerator, P.Clock],
    )
    .inSingletonScope();
  bind(USE_CASES.LogOut)
    .toResolvedValue((sessions, notifier) => new LogOut(sessions, notifier), [P.SessionStore, P.Notifier])
    .inSingletonScope();
  bind(USE_CASES.ChangePassword)
    .toResolvedValue(
      (users, hasher, sessions, notifier) => new ChangePassword(users, hasher, sessions, notifier),
      [P.UserRepository, P.PasswordHasher, P.SessionStore, P.Notifier],
    )
    .inSingletonScope();
  bind(USE_CASES.IssueWsTicket)
    .toResolvedValue((tickets, tokens, clock) => new IssueWsTicket(tickets, tokens, clock), [P.TicketStore, P.TokenGenerator, P.Clock])
    .inSingletonScope();
  bind(USE_CASES.RedeemWsTicket)
    .toResolvedValue(
      (tickets, sessions, users, tokens, clock) => new RedeemWsTicket(tickets, sessions, users, tokens, clock),
      [P.TicketStore, P.SessionStore, P.UserRepository, P.TokenGenerator, P.Clock],
    )
    .inSingletonScope();
  bind(USE_CASES.SendMessage)
    .toResolvedValue(
      (users, messages, notifier, clock, config) => new SendMessage(users, messages, notifier, clock, config),
      [P.UserRepository, P.MessageRepository, P.Notifier, P.Clock, P.CoreConfig],
    )
    .inSingletonScope();
  bind(USE_CASES.GetMessage)
    .toResolvedValue((messages) => new GetMessage(messages), [P.MessageRepository])
    .inSingletonScope();
  bind(USE_CASES.ListHistory)
    .toResolvedValue(
      (users, messages, config) => new ListHistory(users, messages, config),
      [P.UserRepository, P.MessageRepository, P.CoreConfig],
    )
    .inSingletonScope();
  bind(USE_CASES.CatchUp)
    .toResolvedValue((messages) => new CatchUp(messages), [P.MessageRepository])
    .inSingletonScope();
  bind(USE_CASES.ListConversations)
    .toResolvedValue((messages) => new ListConversations(messages), [P.MessageRepository])
    .inSingletonScope();
  bind(USE_CASES.MarkRead)
    .toResolvedValue(
      (users, messages, notifier) => new MarkRead(users, messages, notifier),
      [P.UserRepository, P.MessageRepository, P.Notifier],
    )
    .inSingletonScope();
  bind(USE_CASES.ListUsers)
    .toResolvedValue((users) => new ListUsers(users), [P.UserRepository])
    .inSingletonScope();
});

/** The use cases as one object, for the driving adapters to take in their constructors. */
export interface UseCases {
  readonly registerUser: RegisterUser;
  readonly createUser: CreateUser;
  readonly setPassword: SetPassword;
  readonly logIn: LogIn;
  readonly authenticate: Authenticate;
  readonly logOut: LogOut;
  readonly changePassword: ChangePassword;
  readonly issueWsTicket: IssueWsTicket;
  readonly redeemWsTicket: RedeemWsTicket;
  readonly sendMessage: SendMessage;
  readonly getMessage: GetMessage;
  readonly listHistory: ListHistory;
  readonly catchUp: CatchUp;
  readonly listConversations: ListConversations;
  readonly markRead: MarkRead;
  readonly listUsers: ListUsers;
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
    issueWsTicket: get(USE_CASES.IssueWsTicket),
    redeemWsTicket: get(USE_CASES.RedeemWsTicket),
    sendMessage: get(USE_CASES.SendMessage),
    getMessage: get(USE_CASES.GetMessage),
    listHistory: get(USE_CASES.ListHistory),
    catchUp: get(USE_CASES.CatchUp),
    listConversations: get(USE_CASES.ListConversations),
    markRead: get(USE_CASES.MarkRead),
    listUsers: get(USE_CASES.ListUsers),
  };
}
