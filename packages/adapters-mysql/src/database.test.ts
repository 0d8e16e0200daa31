import { describe, expect, it } from 'vitest';
import { mysqlOptions, openDatabase } from './database.js';

describe('database urls', () => {
  it('reads every part of a MySQL url', () => {
    expect(mysqlOptions('mysql://app:p%40ss@db.internal:3307/chat?connectionLimit=4&connectTimeout=500')).toMatchObject({
      host: 'db.internal',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'chat',
      connectionLimit: 4,
      connectTimeout: 500,
    });
  });

  it('never puts the password of a malformed url on the error', () => {
    const url = 'mysql://app:s3cret-password@db.internal:99999/chat';
    let caught: unknown;
    try {
      openDatabase(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(JSON.stringify(caught, Object.getOwnPropertyNames(caught))).not.toContain('s3cret');
    expect(() => mysqlOptions('mysql://app:s3cret@db/chat?connectionLimit=0')).toThrow(/connectionLimit must be a positive integer/);
  });
});
