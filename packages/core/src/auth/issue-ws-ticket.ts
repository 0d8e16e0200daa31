import type { Clock } from '../shared/clock.js';
import type { Principal } from './authenticate.js';
import { type TicketStore, WS_TICKET_TTL_MS } from './ticket-store.js';
import type { TokenGenerator } from './token-generator.js';

/** A short-lived, single-use credential for a WebSocket opened from another origin. */
export class IssueWsTicket {
  constructor(
    private readonly tickets: TicketStore,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: Principal): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = this.tokens.generate();
    const expiresAt = new Date(this.clock.now().getTime() + WS_TICKET_TTL_MS);
    await this.tickets.issue({ ticketHash: this.tokens.hash(ticket), userId: input.user.id, sessionId: input.session.id, expiresAt });
    return { ticket, expiresAt };
  }
}
