import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../../vitest.shared.js';

/** `npm run bench:storage`: never part of `npm test`, whose configs include only *.test.ts. */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@message-center/source'] } },
  test: {
    name: 'bench-storage',
    include: ['bench/storage-benchmark.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
  },
});
