import { type Kysely, SqliteAdapter } from 'kysely';
import { mysqlDialect } from './mysql.js';
import type { DialectName, SqlDialect } from './sql-dialect.js';
import { sqliteDialect } from './sqlite.js';

export function dialectNamed(name: DialectName): SqlDialect {
  return name === 'mysql' ? mysqlDialect : sqliteDialect;
}

/** For callers that hold only the Kysely instance (migrations, health checks). */
export function dialectOf<DB>(db: Kysely<DB>): SqlDialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? sqliteDialect : mysqlDialect;
}
