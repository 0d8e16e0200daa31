import { checkHealth, kyselyStorage, openDatabase, sweepExpired } from '@message-center/adapters-mysql';
import type { CorePorts } from '@message-center/core';
import { inMemoryPorts } from '@message-center/core/memory';
import { StoreReadiness } from './store-readiness.js';

/** The storage ports, ready-made: SQL repositories you opened yourself, or your own adapters. */
export interface StorageAdapters extends Pick<CorePorts, 'users' | 'sessions' | 'messages' | 'throttle' | 'tickets'> {
  /** Behind `GET /healthz`: resolves when the store answers, throws `StoreUnavailable` (or resolves `false`) when not. */
  readonly healthCheck?: () => Promise<unknown>;
  /** Called by `center.close()`. */
  readonly close?: () => Promise<void>;
}

/**
 * `'memory'` (nothing persists; for tests, demos and single-process embedding),
 * `'sqlite:<path>'`, `'sqlite::memory:'`, `'mysql://user:password@host:3306/db'`,
 * or adapter instances.
 */
export type StorageOption = 'memory' | `sqlite:${string}` | `mysql://${string}` | StorageAdapters;

export interface OpenedStorage {
  readonly ports: StorageAdapters;
  readonly healthCheck: () => Promise<boolean>;
  /** Awaited before each API request; throws while the store is not usable. */
  readonly ready?: () => Promise<void>;
  /** Deletes expired rows; absent where the store expires nothing itself. */
  readonly sweep?: () => Promise<unknown>;
  close(): Promise<void>;
}

export interface OpenStorageOptions {
  /** `true`: migrate now and fail when the database cannot be reached. `false`: start anyway and heal. */
  readonly requireStore: boolean;
  readonly onNotReady: (error: unknown) => void;
}

export async function openStorage(option: StorageOption, options: OpenStorageOptions): Promise<OpenedStorage> {
  if (option === 'memory') {
    const { users, sessions, messages, throttle, tickets } = inMemoryPorts();
    return { ports: { users, sessions, messages, throttle, tickets }, healthCheck: async () => true, close: async () => {} };
  }
  if (typeof option === 'string') return openSql(option, options);
  return {
    ports: option,
    healthCheck: async () => (await option.healthCheck?.()) !== false,
    close: async () => option.close?.(),
  };
}

async function openSql(url: string, options: OpenStorageOptions): Promise<OpenedStorage> {
  const database = openDatabase(url);
  const readiness = new StoreReadiness(database.db);
  try {
    if (options.requireStore) await readiness.ensure();
    else await readiness.ensure().catch(options.onNotReady);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    ports: kyselyStorage(database),
    healthCheck: async () => {
      await readiness.ensure();
      await checkHealth(database.db);
      return true;
    },
    ready: () => readiness.ensure(),
    sweep: async () => {
      if (readiness.ready) await sweepExpired(database);
    },
    close: () => database.close(),
  };
}
