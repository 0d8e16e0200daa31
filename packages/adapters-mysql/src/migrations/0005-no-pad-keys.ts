import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../dialects/sql-dialect.js';

/**
 * NO PAD collations for every text column that is a key or is looked up by
 * equality, in the order preferred: MariaDB (10.2+) and MySQL 8 each know only one.
 */
const NO_PAD_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'] as const;

/** `varchar(length)` columns whose values must match only themselves: table, column, length, nullable. */
const EXACT_KEYS = [
  ['messages', 'client_id', 64, true],
  ['users', 'username', 32, false],
  ['users', 'username_key', 32, false],
  ['users', 'email', 254, true],
  ['users', 'email_key', 254, true],
  ['users', 'external_id', 255, true],
] as const;

/**
 * MySQL's and MariaDB's `utf8mb4_bin` is a PAD SPACE collation: `'abc'` and
 * `'abc '` compare equal, so a unique key merged two clientIds a client kept
 * apart (and a lookup of `'alice '` found alice), where SQLite keeps them
 * distinct. The columns move to the server's NO PAD binary collation; their
 * bytes, order and indexes are otherwise the same, and no two stored values can
 * collide by the change (NO PAD tells more apart, never fewer). Hashes of
 * tokens and keys are fixed-length hex and need no change.
 *
 * SQLite compares text byte by byte already: nothing to do. Each column is
 * checked first, so the migration runs again safely over half-finished work
 * (MySQL commits DDL statement by statement).
 */
export function noPadKeysSchema(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect.name !== 'mysql') return;
      const collation = await noPadCollation(db);
      const { rows } = await sql<{ table: string; column: string; collation: string | null }>`
        select table_name as \`table\`, column_name as \`column\`, collation_name as collation
          from information_schema.columns
         where table_schema = database() and table_name in ('messages', 'users')`.execute(db);
      const current = new Map(rows.map((r) => [`${r.table}.${r.column}`, r.collation]));
      for (const table of new Set(EXACT_KEYS.map(([t]) => t))) {
        const changes = EXACT_KEYS.filter(
          ([t, c]) => t === table && current.has(`${t}.${c}`) && current.get(`${t}.${c}`) !== collation,
        ).map(
          ([, column, length, nullable]) =>
            `modify \`${column}\` varchar(${length}) character set utf8mb4 collate ${collation} ${nullable ? 'null' : 'not null'}`,
        );
        // Names and lengths are constants of this file, never input: raw SQL is safe here.
        if (changes.length > 0) await sql.raw(`alter table \`${table}\` ${changes.join(', ')}`).execute(db);
      }
    },
  };
}

async function noPadCollation(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ name: string }>`
    select collation_name as name from information_schema.collations
     where collation_name in (${sql.join(NO_PAD_COLLATIONS.map((c) => sql.lit(c)))})`.execute(db);
  const found = NO_PAD_COLLATIONS.find((c) => rows.some((r) => r.name === c));
  if (!found) {
    throw new Error(
      'This MySQL server has no NO PAD binary utf8mb4 collation (utf8mb4_nopad_bin or utf8mb4_0900_bin): MariaDB 10.2+ or MySQL 8.0+ is required.',
    );
  }
  return found;
}
