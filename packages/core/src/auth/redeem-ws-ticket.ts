import type { Clock } from '../shared/clock.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, type Result } from '../shared/result.js';
import type { UserRepository } from '../users/user-repository.js';
import { type Principal, principalOf } from './authenticate.js';
import type { SessionStore } from './session-store.js';
import type { TicketStore } from './ticket-store.js';
import type { TokenGenerator } from './token-generator.js';

export class RedeemWsTicket {
  constructor(
    private readonly tickets: TicketStore,
    private readonly sessions: SessionStore,
    private readonly users: UserRepository,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { ticket: string }): Promise<Result<Principal, ErrorOf<'unauthenticated'>>> {
    if (input.ticket.length === 0 || input.ticket.length > 512) return err({ kind: 'unauthenticated' });
    const now = this.clock.now();
    const grant = await this.tickets.redeem(this.tokens.hash(input.ticket), now);
    if (!grant) return err({ kind: 'unauthenticated' });
    // The session may have ended since the ticket was issued.
    return principalOf(await this.sessions.findById(grant.sessionId, now), this.users);
  }
}
