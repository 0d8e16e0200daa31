import { aUser } from '@message-center/core/testing';
import { describe, expect, it } from 'vitest';
import type { StorageDatabase } from '../src/database.js';
import { PreparedQuery } from '../src/prepared-query.js';
import { kyselyStorage } from '../src/storage.js';
import { onEveryEngine } from './support/every-engine.js';

function behaviour(name: string, database: () => StorageDatabase) {
  describe(name, () => {
    it('runs the same compiled query with the values of each call, in the builder’s order', async () => {
      const { db } = database();
      const store = kyselyStorage(database());
      const alice = await aUser(store.users, 'alice');
      const bob = await aUser(store.users, 'bob');
      const byName = new PreparedQuery(
        db.selectFrom('users').select(['id', 'username']).where('username', '=', '').where('id', '>', 0n),
        2,
      );
      expect((await byName.first(db, ['alice', 0n]))?.username).toBe('alice');
      expect((await byName.first(db, ['bob', 0n]))?.username).toBe('bob');
      expect(await byName.first(db, ['bob', BigInt(bob.id)])).toBeUndefined();
      expect(await byName.first(db, ['carol', 0n])).toBeUndefined();
      expect(String((await byName.first(db, ['alice', 0n]))?.id)).toBe(alice.id);
    });

    it('refuses a query whose parameters are not those its caller counts on, and a call with the wrong number of values', async () => {
      const { db } = database();
      const query = db.selectFrom('users').select('id').where('username', '=', '');
      expect(() => new PreparedQuery(query, 2)).toThrow(/1 parameters, not 2/);
      const prepared = new PreparedQuery(query, 1);
      await expect(prepared.first(db, [])).rejects.toThrow(/expected 1 parameters/);
    });
  });
}

onEveryEngine((engine, database) => behaviour(`prepared queries on ${engine}`, database));
