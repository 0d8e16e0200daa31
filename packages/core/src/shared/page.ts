import { type ErrorOf, invalid } from './errors.js';
import { err, ok, type Result } from './result.js';

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface LimitRule {
  readonly default: number;
  readonly max: number;
}

/** A positive integer; above the maximum it is clamped, never refused. */
export function pageLimit(raw: number | undefined, rule: LimitRule): Result<number, ErrorOf<'validation-failed'>> {
  if (raw === undefined) return ok(rule.default);
  if (!Number.isInteger(raw) || raw < 1) return err(invalid('limit', 'must be a positive integer'));
  return ok(Math.min(raw, rule.max));
}

/**
 * Repositories are asked for one row more than the page holds: its presence
 * is how we know there is a next page without a second query.
 */
export function toPage<T>(rows: readonly T[], limit: number, keyOf: (last: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: keyOf(items[items.length - 1] as T) };
}
