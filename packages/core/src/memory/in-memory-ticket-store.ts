import type { NewTicket, TicketGrant, TicketStore } from '../auth/ticket-store.js';

export class InMemoryTicketStore implements TicketStore {
  private readonly tickets = new Map<string, NewTicket>();

  async issue(ticket: NewTicket): Promise<void> {
    this.tickets.set(ticket.ticketHash, { ...ticket, expiresAt: new Date(ticket.expiresAt) });
  }

  async redeem(ticketHash: string, now: Date): Promise<TicketGrant | undefined> {
    const ticket = this.tickets.get(ticketHash);
    this.tickets.delete(ticketHash);
    // Unredeemed tickets would otherwise pile up; the caller's clock says which are over.
    for (const [hash, other] of this.tickets) if (other.expiresAt.getTime() <= now.getTime()) this.tickets.delete(hash);
    if (!ticket) return undefined;
    return ticket.expiresAt.getTime() > now.getTime() ? { userId: ticket.userId, sessionId: ticket.sessionId } : undefined;
  }
}
