#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchOptions, parseOptions, USAGE, UsageError } from './options.js';
import { type Pair, pairs } from './participants.js';
import { machine } from './proc.js';
import { untilQuiet } from './quiet.js';
import { type BenchResults, markdownSection, replaceSection, textTables } from './report/markdown.js';
import { presenceTable, replacePresenceSection } from './report/presence.js';
import { latencyVsLoadSvg } from './report/svg.js';
import { type ConnectionFigures, connections } from './scenarios/connections.js';
import { closedLoop, oneAtATime, openLoop } from './scenarios/load.js';
import { type PresenceFigures, presenceComparison } from './scenarios/presence.js';
import { type LoadFigures, Recorder } from './scenarios/run.js';
import { round, Turns } from './stats.js';
import { type Services, startTarget, type Target, type TargetSpec } from './targets.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER: TargetSpec = { name: 'server', kind: 'server' };
const PIPELINE: TargetSpec = { name: 'pipeline', kind: 'pipeline' };
/**
 * Connections per target for the open loop: an open loop is many independent
 * clients, each with its own connection. With fewer (512 once), every request
 * beyond them queued inside this process, waiting for a free socket, and that
 * wait (seconds at 4,000/s) was counted as the server's. 4,096 is a second of
 * the highest default rate in flight at once.
 */
const SOCKETS_PER_TARGET = 4_096;

/** Closed-loop time on every target before anything is measured, uncounted (see `warmUp`). */
const WARM_UP_MS = 1_000;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const options = parseOptions(process.argv.slice(2), repoRoot);
  const services: Services = {
    mysqlUrl: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  const started = performance.now();
  const results: BenchResults = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: { ...machine(), node: process.version },
    options: { ...options, scenarios: [...options.scenarios], variants: options.variants.map((v) => v.name) },
    latency: [],
    throughput: [],
    sweep: [],
    connections: [],
    seconds: 0,
  };

  // One folder per target: profiles are named by pid, and a WORKERS=2 target writes one per worker.
  const withProfile = (spec: TargetSpec): TargetSpec =>
    options.cpuProfileDir ? { ...spec, cpuProfileDir: `${options.cpuProfileDir}/${spec.name.replace(/[^\w.-]+/g, '-')}` } : spec;
  if (['latency', 'throughput', 'sweep'].some((s) => options.scenarios.has(s as never))) {
    const primary: TargetSpec[] = [withProfile(SERVER), PIPELINE];
    // Another checkout's server (`--compare`) is in the open loop too: shedding is an A/B of two builds as well.
    const extra = options.scenarios.has('throughput')
      ? options.variants.map(withProfile)
      : options.scenarios.has('sweep')
        ? options.variants.filter((spec) => spec.checkout !== undefined)
        : [];
    log(`starting ${[...primary, ...extra].map((s) => s.name).join(', ')}`);
    const targets = await startAll([...primary, ...extra], services);
    try {
      const people = new Map<Target, Pair[]>();
      for (const [i, target] of targets.entries()) people.set(target, await pairs(target, options.pairs, `${i}x`));
      await warmUp(targets, people, options);
      const [server, pipeline] = targets as [Target, Target, ...Target[]];
      if (options.scenarios.has('latency')) results.latency = await latency([server, pipeline], people, options);
      if (options.scenarios.has('throughput')) results.throughput = await throughput(targets, people, options);
      if (options.scenarios.has('sweep')) {
        const builds = targets.filter((t) => t.spec.checkout !== undefined);
        results.sweep = await sweep([server, ...builds, pipeline], people, options);
      }
    } finally {
      await Promise.all(targets.map((t) => t.stop()));
    }
  }
  if (options.scenarios.has('connections')) {
    // Another checkout's server (`--compare`) too: memory per socket is what an A/B of two builds is most often about.
    const builds = options.variants.filter((spec) => spec.checkout !== undefined);
    // Side by side: each target's idle minutes of settling overlap, its busy steps take turns.
    const turns = new Turns();
    results.connections.push(
      ...(await Promise.all([SERVER, PIPELINE, ...builds].map((spec) => connectionsOn(spec, services, options, turns)))),
    );
  }
  const presence = options.scenarios.has('presence') ? await presenceOn(services, options) : undefined;
  results.seconds = round((performance.now() - started) / 1000, 1);

  const loadRan = [...options.scenarios].some((s) => s !== 'presence');
  if (loadRan) {
    process.stdout.write(`\n${textTables(results)}\n`);
    process.stdout.write(`${JSON.stringify(results)}\n`);
  }
  if (presence) {
    const table = presenceTable(presence);
    process.stdout.write(`\n${table}\n${JSON.stringify(presence)}\n`);
    if (options.markdownFile) {
      const header = `Measured ${results.date.slice(0, 16)}Z on ${results.machine.cores} cores (load average ${results.machine.loadAverage}), ${results.machine.node}: \`${results.command}\`.`;
      writeFileSync(options.markdownFile, replacePresenceSection(readOrEmpty(options.markdownFile), table, header));
      log(`wrote the presence section of ${options.markdownFile}`);
    }
  }
  // A presence-only run leaves the load section as it was.
  if (options.markdownFile && loadRan) {
    const svgRelative = options.svgFile ? options.svgFile.slice(repoRoot.length) : undefined;
    const existing = readOrEmpty(options.markdownFile);
    writeFileSync(options.markdownFile, replaceSection(existing, markdownSection(results, svgRelative)));
    log(`wrote ${options.markdownFile}`);
  }
  if (options.svgFile && results.sweep.length > 0) {
    mkdirSync(dirname(options.svgFile), { recursive: true });
    const colors = ['#c0392b', '#2471a3'];
    writeFileSync(
      options.svgFile,
      latencyVsLoadSvg(
        results.sweep.map((s, i) => ({ name: s.target, color: colors[i] ?? '#555', runs: s.runs })),
        `${results.date.slice(0, 16)}Z, ${results.machine.cores} cores, ${results.machine.node}; ${results.command}`,
      ),
    );
    log(`wrote ${options.svgFile}`);
  }
}

/**
 * A fresh process runs its first messages partly in code V8 has not optimised
 * yet: measured first of all, the server's p50 / p99 at concurrency 1 were
 * 1.7-1.8 / 6.4-7.5 ms, against 1.0-1.2 / 4.2-4.4 once warm; and a variant
 * first measured in the closed loop after the server had been warmed by the
 * latency scenario paid for its own warming in its first round (BENCHMARKS.md).
 * A second of the closed loop on every target runs every path a message takes,
 * before anything is counted.
 */
async function warmUp(targets: readonly Target[], people: Map<Target, Pair[]>, options: BenchOptions): Promise<void> {
  log('warming up every target (not counted)');
  for (const target of targets) await closedLoop(target, people.get(target) as Pair[], options.concurrency, WARM_UP_MS, new Recorder());
}

async function latency(targets: Target[], people: Map<Target, Pair[]>, options: BenchOptions): Promise<LoadFigures[]> {
  log('latency: one message at a time');
  const recorders = targets.map(() => new Recorder());
  // Alternating in rounds, so both targets meet the same moments of a noisy machine.
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, target] of targets.entries()) {
      await quietMachine(target.spec.name);
      await oneAtATime(target, people.get(target)?.[0] as Pair, options.latencyMessages / options.rounds, recorders[i] as Recorder);
    }
  }
  return targets.map((t, i) => (recorders[i] as Recorder).figures(t.spec.name, { concurrency: 1 }));
}

async function throughput(targets: Target[], people: Map<Target, Pair[]>, options: BenchOptions): Promise<LoadFigures[]> {
  log(`throughput: closed loop, ${options.concurrency} in flight`);
  const recorders = targets.map(() => new Recorder());
  for (let round = 0; round < options.rounds; round++) {
    for (const i of roundOrder(targets.length, round)) {
      const target = targets[i] as Target;
      await quietMachine(target.spec.name);
      await closedLoop(target, people.get(target) as Pair[], options.concurrency, options.throughputMs, recorders[i] as Recorder);
    }
  }
  return targets.map((t, i) => (recorders[i] as Recorder).figures(t.spec.name, { concurrency: options.concurrency }));
}

/**
 * The targets' order in a round of the closed loop: each round starts one
 * target later, and every other round runs backwards, so that whoever follows
 * the pipeline (2–3 times the writes into MariaDB, whose flushing goes on after
 * it) changes from round to round. A rotation alone keeps every neighbour: the
 * "limits on" server followed the pipeline in every round.
 */
function roundOrder(count: number, round: number): number[] {
  const order = Array.from({ length: count }, (_, k) => (k + round) % count);
  return round % 2 === 1 ? order.reverse() : order;
}

async function sweep(targets: Target[], people: Map<Target, Pair[]>, options: BenchOptions): Promise<BenchResults['sweep']> {
  const runs = targets.map(() => [] as LoadFigures[]);
  for (const [step, rate] of options.sweepRates.entries()) {
    // Each rate starts one target later, as in the closed loop: no target always follows the pipeline's heavier stretch.
    for (let k = 0; k < targets.length; k++) {
      const i = (k + step) % targets.length;
      const target = targets[i] as Target;
      const waitedMs = await quietMachine(target.spec.name);
      log(`open loop: ${target.spec.name} at ${rate} msgs/s (after ${waitedMs} ms waiting for a quiet machine)`);
      // Just before, not once for all, and after the wait: a connection idle for 5 s is closed (the server's
      // keepAliveTimeout), and reconnecting thousands at once overflows its accept queue, which the client then retries a second later.
      await target.http.warm(SOCKETS_PER_TARGET);
      const recorder = new Recorder();
      await openLoop(target, people.get(target) as Pair[], rate, options.sweepMs, recorder);
      runs[i]?.push(recorder.figures(target.spec.name, { offeredPerS: rate }));
    }
  }
  return targets.map((t, i) => ({ target: t.spec.name, runs: runs[i] as LoadFigures[] }));
}

/**
 * Before each measured stretch: the queues of the last one drained and the
 * machine quiet (MariaDB flushes for seconds after the pipeline's open loop),
 * or, on a machine shared with other work, measured anyway a few seconds on.
 * Returns how long it waited, in ms.
 */
async function quietMachine(next: string): Promise<number> {
  const wait = await untilQuiet();
  const waitedMs = Math.round(wait.waitedMs);
  if (!wait.quiet) log(`machine still ${wait.busyPercent.toFixed(0)} % busy after ${waitedMs} ms; measuring ${next} anyway`);
  return waitedMs;
}

async function connectionsOn(spec: TargetSpec, services: Services, options: BenchOptions, turns: Turns): Promise<ConnectionFigures> {
  // Shedding is measured by the open loop; here thousands of handshakes at once must all be let in.
  const target = await turns.take(() => {
    log(`connections: ${options.sockets} idle sockets on a fresh ${spec.name}`);
    return startTarget({ ...spec, env: { ...spec.env, OVERLOAD_MAX_IN_FLIGHT: '0', OVERLOAD_MAX_DELAY_MS: '0' } }, services, 8);
  });
  try {
    return await connections(target, options.sockets, turns);
  } finally {
    await target.stop();
  }
}

async function presenceOn(services: Services, options: BenchOptions): Promise<PresenceFigures> {
  log(`presence: ${options.presenceConnections} sockets each watching ${options.presenceWatched} users, against the same watching nobody`);
  // A short grace, so the users that come and go produce offline changes within the run too.
  // As for the connections scenario: thousands of handshakes at once must all be let in, not shed.
  const target = await startTarget(
    {
      name: 'server',
      kind: 'server',
      env: { PRESENCE_GRACE_MS: '2000', OVERLOAD_MAX_IN_FLIGHT: '0', OVERLOAD_MAX_DELAY_MS: '0' },
      ...(options.cpuProfileDir ? { cpuProfileDir: `${options.cpuProfileDir}/presence` } : {}),
    },
    services,
    512,
  );
  try {
    const people = await pairs(target, options.pairs, 'p');
    return await presenceComparison(target, people, {
      connections: options.presenceConnections,
      watched: options.presenceWatched,
      concurrency: options.concurrency,
      ms: options.throughputMs,
      rounds: options.presenceRounds,
    });
  } finally {
    await target.stop();
  }
}

/** Every target or none: one that fails to start must not leave the others running. */
async function startAll(specs: readonly TargetSpec[], services: Services): Promise<Target[]> {
  const started = await Promise.allSettled(specs.map((spec) => startTarget(spec, services, SOCKETS_PER_TARGET)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<Target>).value);
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  throw failed.reason;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '# Benchmarks\n';
  }
}

const benchStarted = performance.now();

function log(line: string): void {
  process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}`);
    process.exit(2);
  }
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
