export interface TicketGrant {
  readonly userId: string;
  readonly sessionId: string;
}

export interface NewTicket extends TicketGrant {
  readonly ticketHash: string;
  readonly expiresAt: Date;
}

export interface TicketStore {
  issue(ticket: NewTicket): Promise<void>;
  /**
   * Consumes the ticket: of two concurrent redeems of one ticket, exactly one
   * gets the grant. Expired tickets are treated as absent.
   */
  redeem(ticketHash: string, now: Date): Promise<TicketGrant | undefined>;
}

export const WS_TICKET_TTL_MS = 30_000;
