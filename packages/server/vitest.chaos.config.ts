import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

// `npm run test:chaos`: real server processes under faults. Not part of `npm test`
// (its files do not end in .test.ts); it runs the built CLI, so build first.
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@message-center/source'] } },
  test: {
    name: 'chaos',
    include: ['test/chaos/**/*.chaos.ts'],
    testTimeout: 900_000,
    hookTimeout: 180_000,
  },
});
