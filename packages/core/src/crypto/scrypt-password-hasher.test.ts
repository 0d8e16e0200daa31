import { describe, expect, it } from 'vitest';
import { OWASP_SCRYPT_COST, ScryptPasswordHasher, TEST_SCRYPT_COST } from './scrypt-password-hasher.js';

describe('ScryptPasswordHasher', () => {
  // The production cost, once: it must work within Node's memory limit and produce the documented encoding.
  it('hashes at the OWASP cost as scrypt$N$r$p$salt$hash and verifies', { timeout: 30_000 }, async () => {
    const hasher = new ScryptPasswordHasher();
    const hash = await hasher.hash('correct horse battery staple');
    const [scheme, N, r, p, salt, key, ...rest] = hash.split('$');
    expect([scheme, N, r, p]).toEqual(['scrypt', '131072', '8', '1']);
    expect(OWASP_SCRYPT_COST).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(rest).toEqual([]);
    expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
    expect(await hasher.verify('correct horse battery stapler', hash)).toBe(false);
  });

  const hasher = new ScryptPasswordHasher(TEST_SCRYPT_COST);

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
    expect(a).not.toBe(b);
    expect(await hasher.verify('same password', a)).toBe(true);
    expect(await hasher.verify('same password', b)).toBe(true);
  });

  it('reads the cost from the stored hash, so a change of cost keeps old hashes valid', async () => {
    const old = await new ScryptPasswordHasher({ N: 2 ** 11, r: 4, p: 2 }).hash('password one');
    expect(old.startsWith('scrypt$2048$4$2$')).toBe(true);
    expect(await hasher.verify('password one', old)).toBe(true);
  });

  it('verifies unicode passwords, composed and decomposed alike', async () => {
    const hash = await hasher.hash('pässwörd 🔑 中文');
    expect(await hasher.verify('pässwörd 🔑 中文', hash)).toBe(true);
    expect(await hasher.verify('pa\u0308sswo\u0308rd 🔑 中文', hash)).toBe(true);
    expect(await hasher.verify('passwort 🔑 中文', hash)).toBe(false);
  });

  it('says false for a hash it cannot read, never throws', async () => {
    const good = await hasher.hash('password one');
    const parts = good.split('$');
    const variants = [
      '',
      'plain',
      'bcrypt$2b$10$abc',
      parts.slice(0, 5).join('$'),
      [...parts, 'extra'].join('$'),
      ['scrypt', '1000', ...parts.slice(2)].join('$'),
      ['scrypt', String(2 ** 30), ...parts.slice(2)].join('$'),
      ['scrypt', parts[1], '0', ...parts.slice(3)].join('$'),
      ['scrypt', parts[1], '999', ...parts.slice(3)].join('$'),
      [...parts.slice(0, 5), Buffer.alloc(16).toString('base64')].join('$'),
      [...parts.slice(0, 4), '', parts[5]].join('$'),
    ];
    for (const bad of variants) expect(await hasher.verify('password one', bad)).toBe(false);
  });

  it('refuses a tampered key', async () => {
    const good = await hasher.hash('password one');
    const parts = good.split('$');
    const key = Buffer.from(parts[5] ?? '', 'base64');
    key[0] = (key[0] ?? 0) ^ 1;
    expect(await hasher.verify('password one', [...parts.slice(0, 5), key.toString('base64')].join('$'))).toBe(false);
  });
});
