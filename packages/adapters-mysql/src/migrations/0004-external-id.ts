import type { Kysely } from 'kysely';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { indexesOf } from './0003-account-email.js';

/**
 * Users a host application provisions: the host's own id for each, unique and
 * compared exactly, NULL for users who signed up here. Each step checks what is
 * there already, so a run cut short (MySQL commits DDL statement by statement)
 * simply runs again.
 */
export function externalIdSchema(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const users = (await db.introspection.getTables()).find((t) => t.name === 'users');
      if (!users?.columns.some((c) => c.name === 'external_id')) {
        await db.schema.alterTable('users').addColumn('external_id', dialect.ddl.exactString(255)).execute();
      }
      // Provisioning looks users up by it on every host request; NULLs never collide.
      if (!(await indexesOf(db, dialect, 'users')).has('users_external_id')) {
        await db.schema.createIndex('users_external_id').unique().on('users').column('external_id').execute();
      }
    },
  };
}
