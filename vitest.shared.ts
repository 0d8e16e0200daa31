import { defineConfig } from 'vitest/config';

/** Tests import sibling packages from source, so no build is needed before `npm test`. */
export const sourceConditions = ['@message-center/source', 'import', 'module', 'node', 'default'];

export function packageConfig(name: string, overrides: { testTimeout?: number; hookTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@message-center/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 15_000,
      hookTimeout: overrides.hookTimeout ?? 60_000,
    },
  });
}
