import { createHash, randomBytes } from 'node:crypto';
import type { TokenGenerator } from '../auth/token-generator.js';

/** 256 random bits; a fast hash suffices to store them because they cannot be guessed. */
export class RandomTokenGenerator implements TokenGenerator {
  generate(): string {
    return randomBytes(32).toString('base64url');
  }

  hash(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
  }
}
