import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialects/index.js';
import { guarded } from './store-errors.js';

/** Resolves when the database answers a trivial query; throws `StoreUnavailable` when it cannot. */
export async function checkHealth<DB>(db: Kysely<DB>): Promise<void> {
  await guarded(dialectOf(db), () => sql`select 1`.execute(db));
}
