import type { Kysely } from 'kysely';
import type { Database } from '../../src/schema.js';

/** Empties every table, children before parents, so the next test starts clean without re-migrating. */
export async function clearTables(db: Kysely<Database>): Promise<void> {
  for (const table of ['reset_tokens', 'ws_tickets', 'login_failures', 'conversations', 'messages', 'sessions', 'users'] as const) {
    await db.deleteFrom(table).execute();
  }
}
