import { type CoreTimes, sampleCores } from './proc.js';
import { sleep } from './stats.js';

export interface QuietOptions {
  /** Busy share of every core (100 = all cores busy) below which the machine counts as quiet. */
  readonly busyBelowPercent: number;
  readonly windowMs: number;
  /** Past this, measure anyway: the wait must not stretch a run that shares the machine with other work. */
  readonly giveUpAfterMs: number;
}

export const QUIET: QuietOptions = { busyBelowPercent: 25, windowMs: 250, giveUpAfterMs: 5_000 };

export interface QuietWait {
  readonly quiet: boolean;
  readonly waitedMs: number;
  /** How busy the last window was. */
  readonly busyPercent: number;
}

/** What the wait reads and how it passes time: /proc/stat and the clock, or a test's stand-ins. */
export interface QuietClock {
  sample(): CoreTimes;
  sleep(ms: number): Promise<void>;
  now(): number;
}

const realClock: QuietClock = { sample: sampleCores, sleep, now: () => performance.now() };

/**
 * Waits, a window at a time, until the machine is quiet or the wait has lasted
 * `giveUpAfterMs`. After an open loop on the pipeline MariaDB goes on flushing
 * for seconds, and whichever target is measured next would pay for it.
 */
export async function untilQuiet(options: QuietOptions = QUIET, clock: QuietClock = realClock): Promise<QuietWait> {
  const started = clock.now();
  for (;;) {
    const before = clock.sample();
    await clock.sleep(options.windowMs);
    const after = clock.sample();
    const all = after.allMs - before.allMs;
    // No ticks counted (a window shorter than the kernel's tick): nothing known, so not quiet.
    const busyPercent = all > 0 ? ((after.busyMs - before.busyMs) / all) * 100 : 100;
    const waitedMs = clock.now() - started;
    if (busyPercent < options.busyBelowPercent) return { quiet: true, waitedMs, busyPercent };
    if (waitedMs >= options.giveUpAfterMs) return { quiet: false, waitedMs, busyPercent };
  }
}
