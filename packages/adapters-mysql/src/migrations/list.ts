import type { Migration } from 'kysely';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { initialSchema } from './0001-initial.js';
import { accountEmailSchema } from './0003-account-email.js';
import { externalIdSchema } from './0004-external-id.js';
import { noPadKeysSchema } from './0005-no-pad-keys.js';
import { sendProcedureSchema } from './0006-send-procedure.js';

/** In code rather than globbed from disk, so a bundled or installed package migrates the same way. */
export function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(dialect),
    '0003-account-email': accountEmailSchema(dialect),
    '0004-external-id': externalIdSchema(dialect),
    '0005-no-pad-keys': noPadKeysSchema(dialect),
    '0006-send-procedure': sendProcedureSchema(dialect),
  };
}
