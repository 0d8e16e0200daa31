import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RandomTokenGenerator } from './random-token-generator.js';

describe('RandomTokenGenerator', () => {
  const tokens = new RandomTokenGenerator();

  it('makes 32 random bytes in base64url, different every time', () => {
    const made = Array.from({ length: 100 }, () => tokens.generate());
    for (const token of made) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(new Set(made).size).toBe(100);
  });

  it('hashes with SHA-256 to hex, deterministically', () => {
    const token = tokens.generate();
    expect(tokens.hash(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(tokens.hash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.hash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
