import { describe, expect, it } from 'vitest';
import { headline, markdownSection, replaceSection, SECTION_END, SECTION_START } from '../src/report/markdown.js';
import { latencyVsLoadSvg } from '../src/report/svg.js';
import type { LoadFigures } from '../src/scenarios/run.js';

const aRun = (target: string, over: Partial<LoadFigures> = {}): LoadFigures => ({
  target,
  offeredPerS: undefined,
  concurrency: 16,
  seconds: 1,
  attempted: 100,
  delivered: 100,
  deliveredPerS: 100,
  latency: { count: 100, p50: 2, p95: 4, p99: 5, max: 9 },
  acceptedLatency: { count: 100, p50: 1, p95: 2, p99: 3, max: 4 },
  clientLagP99Ms: 12,
  refusedLatency: { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN },
  refusedByStatus: {},
  refusedWithRetryAfter: 0,
  lost: 0,
  failedByReason: {},
  serverCpuMsPerMessage: 1,
  serverCpuPercent: 50,
  serverRssMiB: 80,
  machineBusyPercent: 90,
  mariadbCpuPercent: 40,
  redisCpuPercent: 10,
  clientCpuPercent: 30,
  perStretchPerS: [100],
  ...over,
});

describe('BENCHMARKS.md section', () => {
  it('goes before the storage section the first time, and replaces only itself after that', () => {
    const original = '# Benchmarks\n\n## Storage\n\nold figures\n';
    const once = replaceSection(original, 'first');
    expect(once).toBe(`# Benchmarks\n\n${SECTION_START}\nfirst\n${SECTION_END}\n\n## Storage\n\nold figures\n`);
    const twice = replaceSection(once, 'second');
    expect(twice).toContain('second');
    expect(twice).not.toContain('first');
    expect(twice).toContain('## Storage\n\nold figures\n');
  });
});

describe('headline table', () => {
  it('reads the server as a ratio to the pipeline of the same run, and marks the target', () => {
    const rows = headline({
      date: '',
      command: '',
      machine: { cpus: '', cores: 2, memory: '', loadAverage: '', node: '' },
      options: {},
      latency: [],
      throughput: [aRun('server', { deliveredPerS: 70 }), aRun('pipeline', { deliveredPerS: 100 })],
      sweep: [],
      connections: [],
      seconds: 0,
    });
    expect(rows[1]).toEqual(['delivered messages/s, one process, 16 in flight', '70', '100', '0.70×', '≥ 0.6× the pipeline ✓']);
  });
});

describe('machine CPU', () => {
  const results = (throughput: LoadFigures[]) => ({
    date: '',
    command: '',
    machine: { cpus: '', cores: 2, memory: '', loadAverage: '', node: '' },
    options: { pairs: 1, sweepMs: 1000, sockets: 1 },
    latency: [],
    throughput,
    sweep: [],
    connections: [],
    seconds: 0,
  });

  it('says beside WORKERS=2 how busy all the cores were, with it and with one process', () => {
    const rows = headline(
      results([
        aRun('server', { deliveredPerS: 100, machineBusyPercent: 85 }),
        aRun('server, WORKERS=2', { deliveredPerS: 90, machineBusyPercent: 99 }),
      ]),
    );
    expect(rows.find((r) => r[0]?.startsWith('WORKERS=2'))?.[1]).toBe('90 vs 100 msgs/s; all 2 cores busy 99% vs 85% of the time');
  });

  it('gives the lowest and highest ratio of the rounds beside the ratio of the whole run', () => {
    const rows = headline(
      results([
        aRun('server', { deliveredPerS: 100, perStretchPerS: [80, 120] }),
        aRun('server, limits on', { deliveredPerS: 95, perStretchPerS: [90, 100] }),
      ]),
    );
    expect(rows.find((r) => r[0]?.startsWith('limits on'))?.[3]).toBe('0.95× (rounds 0.83–1.13×)');
  });

  it('shows who spent the busy time of all cores: server, MariaDB, Redis, load generator, and the rest', () => {
    // 90% of 2 cores = 180% of one: 50 server + 40 + 10 + 30 named, 50 left for the rest.
    const section = markdownSection(results([aRun('server')]), undefined);
    expect(section).toContain('| 50% | 1 ms | 80 MiB | 90% | 40% / 10% / 30% / 50% |');
  });
});

describe('latency chart', () => {
  it('draws one line per target and percentile, on log axes', () => {
    const runs = [250, 1000, 4000].map((rate, i) =>
      aRun('server', { offeredPerS: rate, latency: { count: 1, p50: 2 * 10 ** i, p95: 0, p99: 5 * 10 ** i, max: 0 } }),
    );
    const svg = latencyVsLoadSvg([{ name: 'server', color: '#c00', runs }], 'caption');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('server p99');
  });
});
