import { type NewTicket, type TicketGrant, type TicketStore, WS_TICKET_TTL_MS } from '@message-center/core';
import type { Kysely } from 'kysely';
import type { StorageDatabase } from '../database.js';
import { dialectNamed } from '../dialects/index.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { type Database, toId } from '../schema.js';
import { guarded } from '../store-errors.js';

export class KyselyTicketStore implements TicketStore {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;

  constructor(database: StorageDatabase) {
    this.db = database.db;
    this.dialect = dialectNamed(database.dialect);
  }

  issue(ticket: NewTicket): Promise<void> {
    return guarded(this.dialect, async () => {
      // Unredeemed tickets would pile up: whatever had expired when this one was issued goes now.
      const issuedAt = new Date(ticket.expiresAt.getTime() - WS_TICKET_TTL_MS);
      await this.db.deleteFrom('ws_tickets').where('expires_at', '<=', this.dialect.encodeTime(issuedAt)).execute();
      await this.db
        .insertInto('ws_tickets')
        .values({
          ticket_hash: ticket.ticketHash,
          user_id: BigInt(ticket.userId),
          session_id: BigInt(ticket.sessionId),
          expires_at: this.dialect.encodeTime(ticket.expiresAt),
        })
        .execute();
    });
  }

  redeem(ticketHash: string, now: Date): Promise<TicketGrant | undefined> {
    return guarded(this.dialect, async () => {
      const row = await this.db
        .selectFrom('ws_tickets')
        .select(['user_id', 'session_id', 'expires_at'])
        .where('ticket_hash', '=', ticketHash)
        .executeTakeFirst();
      if (!row) return undefined;
      // Of two concurrent redeems both may read the row; only the one whose DELETE removed it wins.
      const deleted = await this.db.deleteFrom('ws_tickets').where('ticket_hash', '=', ticketHash).executeTakeFirst();
      if (deleted.numDeletedRows !== 1n) return undefined;
      if (this.dialect.decodeTime(row.expires_at).getTime() <= now.getTime()) return undefined;
      return { userId: toId(row.user_id), sessionId: toId(row.session_id) };
    });
  }
}
