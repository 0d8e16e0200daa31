import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StorageFixture, storageContracts } from '@message-center/core/testing';
import { afterAll } from 'vitest';
import { openDatabase } from '../src/database.js';
import { migrate } from '../src/migrate.js';
import { kyselyStorage } from '../src/storage.js';

async function openFresh(url: string): Promise<StorageFixture> {
  const database = openDatabase(url);
  await migrate(database.db);
  return { ...kyselyStorage(database), close: () => database.close() };
}

storageContracts('Kysely on SQLite in memory', () => openFresh('sqlite::memory:'));

const dir = mkdtempSync(join(tmpdir(), 'mc-sqlite-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
storageContracts('Kysely on an SQLite file', () => openFresh(`sqlite:${join(dir, `store-${++files}.db`)}`));
