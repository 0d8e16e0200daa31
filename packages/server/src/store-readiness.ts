import type { OpenDatabase } from '@message-center/adapters-mysql';
import { migrate } from '@message-center/adapters-mysql';

/**
 * Migrates the schema once, and again on the next call if the database could
 * not be reached: a server started while its database is down answers 503
 * and heals when the database comes back, instead of refusing to start.
 */
export class StoreReadiness {
  private migrated = false;
  private attempt: Promise<void> | undefined;

  constructor(private readonly db: OpenDatabase['db']) {}

  get ready(): boolean {
    return this.migrated;
  }

  ensure(): Promise<void> {
    if (this.migrated) return Promise.resolve();
    this.attempt ??= migrate(this.db).then(
      () => {
        this.migrated = true;
      },
      (error: unknown) => {
        this.attempt = undefined;
        throw error;
      },
    );
    return this.attempt;
  }
}
