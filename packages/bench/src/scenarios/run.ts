import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DeliveryOutcome } from '../participants.js';
import { type MachineSample, sampleMachine } from '../proc.js';
import { type LatencySummary, round, summarize, Tally } from '../stats.js';
import type { Target } from '../targets.js';

/** What one stretch of load on one target produced, in the shape every scenario reports. */
export interface LoadFigures {
  readonly target: string;
  /** Messages per second offered (open loop), or the concurrency's worth (closed loop: undefined). */
  readonly offeredPerS: number | undefined;
  readonly concurrency: number | undefined;
  readonly seconds: number;
  readonly attempted: number;
  readonly delivered: number;
  readonly deliveredPerS: number;
  /** POST → recipient frame → recipient GET, of delivered messages. */
  readonly latency: LatencySummary;
  /** The sender's POST alone (scheduled start → 201), of delivered messages: how fast an accepted send is answered. */
  readonly acceptedLatency: LatencySummary;
  /**
   * This process's own event-loop delay (p99, ms) while it ran: latencies are
   * timed from the scheduled start, so a late load generator would count its
   * own lateness as the server's. Tens of ms is the generator keeping time.
   */
  readonly clientLagP99Ms: number;
  /** Of refused sends: how fast the refusal came. */
  readonly refusedLatency: LatencySummary;
  readonly refusedByStatus: Record<string, number>;
  readonly refusedWithRetryAfter: number;
  readonly lost: number;
  readonly failedByReason: Record<string, number>;
  /** Server CPU (user + system, all its processes) per delivered message. */
  readonly serverCpuMsPerMessage: number;
  /** Server CPU as a share of one core over the stretch. */
  readonly serverCpuPercent: number;
  readonly serverRssMiB: number;
  /** Busy share of every core of the machine over the stretch (100 = no core had a moment free), whoever was busy. */
  readonly machineBusyPercent: number;
  /** As a share of one core, like the server's: MariaDB and Redis (NaN where unreadable), and the load generator itself. */
  readonly mariadbCpuPercent: number;
  readonly redisCpuPercent: number;
  readonly clientCpuPercent: number;
  /** Delivered per second in each measured stretch (each round of the closed loop), in order. */
  readonly perStretchPerS: readonly number[];
}

/** Collects outcomes while a stretch runs; several stretches of one target may be merged. */
export class Recorder {
  readonly delivered: number[] = [];
  readonly accepted: number[] = [];
  clientLagP99Ms = 0;
  readonly refused: number[] = [];
  readonly refusedByStatus = new Tally();
  readonly failed = new Tally();
  refusedWithRetryAfter = 0;
  lost = 0;
  attempted = 0;
  seconds = 0;
  cpuMs = 0;
  rssBytes = 0;
  private machineBusyMs = 0;
  private machineAllMs = 0;
  private mariadbMs = 0;
  private redisMs = 0;
  private clientMs = 0;
  private readonly perStretch: number[] = [];

  record(outcome: DeliveryOutcome): void {
    this.attempted++;
    switch (outcome.kind) {
      case 'delivered':
        this.delivered.push(outcome.ms);
        this.accepted.push(outcome.postMs);
        return;
      case 'refused':
        this.refused.push(outcome.ms);
        this.refusedByStatus.add(outcome.status);
        if (outcome.retryAfter) this.refusedWithRetryAfter++;
        return;
      case 'lost':
        this.lost++;
        this.failed.add(outcome.reason);
        return;
      case 'failed':
        this.failed.add(outcome.reason);
        return;
      default:
        outcome satisfies never;
    }
  }

  /** Runs `work` against `target`, adding its wall time and the server's CPU to this record. */
  async measure(target: Target, work: () => Promise<void>): Promise<void> {
    const before = target.sample();
    const machineBefore = sampleMachine();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = performance.now();
    const deliveredBefore = this.delivered.length;
    await work();
    const seconds = (performance.now() - started) / 1000;
    this.seconds += seconds;
    this.perStretch.push(round((this.delivered.length - deliveredBefore) / seconds, 1));
    lag.disable();
    this.clientLagP99Ms = Math.max(this.clientLagP99Ms, round(lag.percentile(99) / 1e6, 1));
    const machineAfter = sampleMachine();
    const after = target.sample();
    this.cpuMs += after.cpuMs - before.cpuMs;
    this.rssBytes = Math.max(this.rssBytes, after.rssBytes);
    this.addMachine(machineBefore, machineAfter);
  }

  private addMachine(before: MachineSample, after: MachineSample): void {
    const spent = (pick: (s: MachineSample) => number | undefined) => {
      const [b, a] = [pick(before), pick(after)];
      return a === undefined || b === undefined ? Number.NaN : a - b;
    };
    this.machineBusyMs += spent((s) => s.busyMs);
    this.machineAllMs += spent((s) => s.allMs);
    this.mariadbMs += spent((s) => s.mariadbMs);
    this.redisMs += spent((s) => s.redisMs);
    this.clientMs += spent((s) => s.clientMs);
  }

  private percentOfOneCore(ms: number): number {
    return round((ms / (this.seconds * 1000)) * 100, 1);
  }

  figures(target: string, load: { offeredPerS?: number; concurrency?: number }): LoadFigures {
    const delivered = this.delivered.length;
    return {
      target,
      offeredPerS: load.offeredPerS,
      concurrency: load.concurrency,
      seconds: round(this.seconds),
      attempted: this.attempted,
      delivered,
      deliveredPerS: round(delivered / this.seconds, 1),
      latency: summarize(this.delivered),
      acceptedLatency: summarize(this.accepted),
      clientLagP99Ms: this.clientLagP99Ms,
      refusedLatency: summarize(this.refused),
      refusedByStatus: this.refusedByStatus.counts,
      refusedWithRetryAfter: this.refusedWithRetryAfter,
      lost: this.lost,
      failedByReason: this.failed.counts,
      serverCpuMsPerMessage: delivered > 0 ? round(this.cpuMs / delivered, 3) : Number.NaN,
      serverCpuPercent: round((this.cpuMs / (this.seconds * 1000)) * 100, 1),
      serverRssMiB: round(this.rssBytes / 1024 / 1024, 1),
      machineBusyPercent: round((this.machineBusyMs / this.machineAllMs) * 100, 1),
      mariadbCpuPercent: this.percentOfOneCore(this.mariadbMs),
      redisCpuPercent: this.percentOfOneCore(this.redisMs),
      clientCpuPercent: this.percentOfOneCore(this.clientMs),
      perStretchPerS: [...this.perStretch],
    };
  }
}
