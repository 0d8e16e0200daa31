import fc from 'fast-check';
import { it } from 'vitest';
import type { OpenStorage } from '../storage-fixture.js';
import { aScenario } from './ops.js';
import { runScenario } from './run-scenario.js';
import { KNOWN_SCENARIOS } from './scenarios.js';

export { CONNECTIONS_PER_USER, MAX_ID, MODEL_USERNAMES, type Op, type SendOp } from './ops.js';
export { runScenario, type ScenarioStats } from './run-scenario.js';
export { KNOWN_SCENARIOS } from './scenarios.js';

export interface PromiseModelOptions {
  /** Scenarios to try; `MODEL_RUNS` overrides it for a longer run. */
  readonly numRuns: number;
  /** Steps per scenario at most. */
  readonly maxSteps?: number;
  readonly timeoutMs?: number;
}

/** The fixed seed of CI runs, so a failure there replays anywhere; `MODEL_SEED` picks another. */
export const MODEL_SEED = 20261202;

/**
 * The property: on any interleaving of sends, retries, disconnects,
 * reconnects, catch-ups and read markers, the promise holds. Each scenario
 * runs on a store `open` gives empty. A failure prints the seed and the
 * shrunk steps; paste those into `runScenario` as an ordinary test.
 */
export function promiseModel(backend: string, open: OpenStorage, options: PromiseModelOptions): void {
  for (const [name, ops] of Object.entries(KNOWN_SCENARIOS)) {
    it(`on ${backend}: ${name}`, async () => {
      const storage = await open();
      try {
        await runScenario(storage, ops);
      } finally {
        await storage.close();
      }
    });
  }
  const seed = Number(process.env.MODEL_SEED ?? MODEL_SEED);
  const numRuns = Number(process.env.MODEL_RUNS ?? options.numRuns);
  it(
    `keeps the promise on ${backend} (${numRuns} random scenarios, seed ${seed})`,
    async () => {
      let messages = 0;
      let attempts = 0;
      let steps = 0;
      await fc.assert(
        fc.asyncProperty(aScenario(options.maxSteps ?? 30), async (ops) => {
          const storage = await open();
          try {
            const stats = await runScenario(storage, ops);
            messages += stats.messages;
            attempts += stats.attempts;
            steps += stats.steps;
          } finally {
            await storage.close();
          }
        }),
        { seed, numRuns },
      );
      // Shrinking also runs scenarios, so these totals are only printed when every run passed.
      console.info(
        `promise model on ${backend}: ${numRuns} scenarios, seed ${seed}, ${steps} steps, ${attempts} sends, ${messages} messages stored`,
      );
    },
    // A longer run (`npm run fuzz`) sets MODEL_RUNS and gets the time it needs.
    process.env.MODEL_RUNS ? 60 * 60_000 : (options.timeoutMs ?? 120_000),
  );
}
