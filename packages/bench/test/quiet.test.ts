import { describe, expect, it } from 'vitest';
import type { CoreTimes } from '../src/proc.js';
import { type QuietClock, untilQuiet } from '../src/quiet.js';

/** A machine whose cores are `busyPercent` busy in every window, on a clock that moves only when slept on. */
function aMachine(busyPercent: (window: number) => number): QuietClock & { windows: number } {
  let now = 0;
  let busyMs = 0;
  let allMs = 0;
  const machine = {
    windows: 0,
    sample: (): CoreTimes => ({ busyMs, allMs }),
    now: () => now,
    async sleep(ms: number) {
      now += ms;
      // Two cores.
      allMs += 2 * ms;
      busyMs += (2 * ms * busyPercent(machine.windows)) / 100;
      machine.windows++;
    },
  };
  return machine;
}

const options = { busyBelowPercent: 25, windowMs: 250, giveUpAfterMs: 5_000 };

describe('untilQuiet', () => {
  it('measures at once on a quiet machine, after one window', async () => {
    const machine = aMachine(() => 5);
    expect(await untilQuiet(options, machine)).toEqual({ quiet: true, waitedMs: 250, busyPercent: 5 });
  });

  it('waits while the machine is busy', async () => {
    const machine = aMachine((window) => (window < 3 ? 80 : 10));
    expect(await untilQuiet(options, machine)).toMatchObject({ quiet: true, waitedMs: 1_000 });
  });

  it('gives up at its bound on a machine that stays busy', async () => {
    const machine = aMachine(() => 90);
    expect(await untilQuiet(options, machine)).toEqual({ quiet: false, waitedMs: 5_000, busyPercent: 90 });
    expect(machine.windows).toBe(20);
  });
});
