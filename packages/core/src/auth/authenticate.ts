import type { Clock } from '../shared/clock.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Session } from './session.js';
import type { SessionStore } from './session-store.js';
import type { TokenGenerator } from './token-generator.js';

export interface Principal {
  readonly user: User;
  readonly session: Session;
}

/** Token → the user and session it stands for; the one check behind REST and the WebSocket handshake. */
export class Authenticate {
  constructor(
    private readonly sessions: SessionStore,
    private readonly users: UserRepository,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string }): Promise<Result<Principal, ErrorOf<'unauthenticated'>>> {
    if (input.token.length === 0 || input.token.length > 512) return err({ kind: 'unauthenticated' });
    const session = await this.sessions.findByTokenHash(this.tokens.hash(input.token), this.clock.now());
    return principalOf(session, this.users);
  }

  /**
   * Whether the session still stands, for a connection that outlives the check
   * that admitted it: a revocation that lands in between reaches no socket otherwise.
   */
  async sessionIsLive(sessionId: string): Promise<boolean> {
    return (await this.sessions.findById(sessionId, this.clock.now())) !== undefined;
  }
}

export async function principalOf(
  session: Session | undefined,
  users: UserRepository,
): Promise<Result<Principal, ErrorOf<'unauthenticated'>>> {
  if (!session) return err({ kind: 'unauthenticated' });
  const account = await users.findById(session.userId);
  if (!account) return err({ kind: 'unauthenticated' });
  return ok({ user: { id: account.id, username: account.username }, session });
}
