import { deliverOne, type Pair } from '../participants.js';
import { sleep } from '../stats.js';
import type { Target } from '../targets.js';
import type { Recorder } from './run.js';

const BODY = 'The quick brown fox jumps over the lazy dog, then sends a message about it.';

/** Closed loop: `concurrency` senders, each starting its next message when the last is delivered. */
export async function closedLoop(target: Target, pairs: readonly Pair[], concurrency: number, ms: number, into: Recorder): Promise<void> {
  await into.measure(target, async () => {
    const until = performance.now() + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        const pair = pairs[worker % pairs.length] as Pair;
        while (performance.now() < until) into.record(await deliverOne(target, pair, performance.now(), BODY));
      }),
    );
  });
}

/**
 * Open loop: sends start on a fixed schedule whatever the server's pace, and
 * each is timed from its scheduled start, so queueing shows up as latency
 * (no coordinated omission). Waits for the stragglers, each bounded by the client's timeouts.
 */
export async function openLoop(target: Target, pairs: readonly Pair[], perSecond: number, ms: number, into: Recorder): Promise<void> {
  await into.measure(target, async () => {
    const started = performance.now();
    const total = Math.round((perSecond * ms) / 1000);
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / perSecond;
      const wait = due - performance.now();
      // Timers are coarse: sleep only when at least a millisecond ahead, and catch up in bursts.
      if (wait >= 1) await sleep(wait);
      const pair = pairs[i % pairs.length] as Pair;
      // A send started up to a millisecond early is timed from its start: timed from its schedule, a fast
      // answer would count less than it took (even below zero).
      const from = Math.max(due, performance.now());
      inFlight.push(deliverOne(target, pair, from, BODY).then((outcome) => into.record(outcome)));
    }
    await Promise.all(inFlight);
  });
}

/** Closed loop at concurrency 1: the latency of one message at a time. */
export async function oneAtATime(target: Target, pair: Pair, count: number, into: Recorder): Promise<void> {
  await into.measure(target, async () => {
    for (let i = 0; i < count; i++) into.record(await deliverOne(target, pair, performance.now(), BODY));
  });
}
