// The public API of @message-center/adapters-mysql: open a MySQL or SQLite
// database, migrate it, and get the core's storage ports over it.

export { KyselyLoginThrottle } from './auth/kysely-login-throttle.js';
export { KyselySessionStore } from './auth/kysely-session-store.js';
export { KyselyTicketStore } from './auth/kysely-ticket-store.js';
export { type OpenDatabase, openDatabase, type StorageDatabase } from './database.js';
export type { DialectName } from './dialects/sql-dialect.js';
export { checkHealth } from './health.js';
export { KyselyMessageRepository } from './messages/kysely-message-repository.js';
export { migrate } from './migrate.js';
export type { Database } from './schema.js';
export { type KyselyStorage, kyselyStorage } from './storage.js';
export { type SweepOutcome, sweepExpired } from './sweep.js';
export { KyselyUserRepository } from './users/kysely-user-repository.js';
