import { Overloaded, StoreUnavailable } from '@message-center/core';
import { codeOf } from './dialects/driver-error.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import { asOneOperation } from './operation-deadline.js';

/**
 * A storage failure that is not an outage: a bug or a broken schema. Its
 * message names the driver's error code only; the SQL stays in `cause`, for
 * server logs, never for clients.
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}

/** The one place driver errors are translated for the core. */
export function translateError(dialect: SqlDialect, error: unknown): Error {
  // Refused for want of a pooled connection (`DeadlinePool`): an answer for the client, not a failure.
  if (error instanceof StoreUnavailable || error instanceof StorageError || error instanceof Overloaded) return error;
  if (dialect.isUnavailable(error) || isClosed(error)) return new StoreUnavailable(undefined, { cause: error });
  const code = codeOf(error);
  return new StorageError(`storage operation failed${code ? ` (${code})` : ''}`, { cause: error });
}

/** Kysely after `close()`: a request racing a graceful shutdown should get a 503, not a 500. */
function isClosed(error: unknown): boolean {
  return error instanceof Error && /driver has already been destroyed/i.test(error.message);
}

/** Runs one repository operation, within one time budget (see `DeadlinePool`), so that only core-shaped errors escape it. */
export function guarded<T>(dialect: SqlDialect, work: () => Promise<T>): Promise<T> {
  return guardedLongRunning(dialect, () => asOneOperation(work));
}

/** As `guarded`, without the budget: for maintenance (migrations, sweeps) that may rightly take long. */
export async function guardedLongRunning<T>(dialect: SqlDialect, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateError(dialect, error);
  }
}

const MAX_ATTEMPTS = 5;

/** Runs a whole transaction again when the engine chose it as a deadlock victim or was busy. */
export async function retryingTransaction<T>(dialect: SqlDialect, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !dialect.isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
