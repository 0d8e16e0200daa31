import { LOGIN_FAILURE_RETENTION_MS } from './auth/kysely-login-throttle.js';
import type { StorageDatabase } from './database.js';
import { dialectNamed } from './dialects/index.js';
import { guardedLongRunning } from './store-errors.js';

export interface SweepOutcome {
  readonly sessions: number;
  readonly tickets: number;
  readonly loginFailures: number;
}

/**
 * Deletes what can no longer matter: sessions and tickets past their expiry,
 * login failures older than any throttle window. Stores already treat these
 * as absent; the sweep only keeps the tables small. Run it every few minutes.
 */
export async function sweepExpired(database: StorageDatabase, now: Date = new Date()): Promise<SweepOutcome> {
  const dialect = dialectNamed(database.dialect);
  const { db } = database;
  return guardedLongRunning(dialect, async () => {
    const expiry = dialect.encodeTime(now);
    const tickets = await db.deleteFrom('ws_tickets').where('expires_at', '<=', expiry).executeTakeFirst();
    const sessions = await db.deleteFrom('sessions').where('expires_at', '<=', expiry).executeTakeFirst();
    const failures = await db
      .deleteFrom('login_failures')
      .where('failed_at', '<', dialect.encodeTime(new Date(now.getTime() - LOGIN_FAILURE_RETENTION_MS)))
      .executeTakeFirst();
    return {
      sessions: Number(sessions.numDeletedRows),
      tickets: Number(tickets.numDeletedRows),
      loginFailures: Number(failures.numDeletedRows),
    };
  });
}
