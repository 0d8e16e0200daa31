import type { ConnectionFigures } from '../scenarios/connections.js';
import type { LoadFigures } from '../scenarios/run.js';

export interface BenchResults {
  readonly date: string;
  readonly command: string;
  readonly machine: { cpus: string; cores: number; memory: string; loadAverage: string; node: string };
  readonly options: Record<string, unknown>;
  latency: LoadFigures[];
  throughput: LoadFigures[];
  sweep: Array<{ target: string; runs: LoadFigures[] }>;
  connections: ConnectionFigures[];
  seconds: number;
}

export const SECTION_START = '<!-- npm run bench: start -->';
export const SECTION_END = '<!-- npm run bench: end -->';

/** Puts the section between its markers, or before the storage section the first time; the rest of the file stays. */
export function replaceSection(existing: string, section: string): string {
  const block = `${SECTION_START}\n${section.trim()}\n${SECTION_END}`;
  const start = existing.indexOf(SECTION_START);
  const end = existing.indexOf(SECTION_END);
  if (start >= 0 && end > start) return `${existing.slice(0, start)}${block}${existing.slice(end + SECTION_END.length)}`;
  const storage = existing.indexOf('## Storage');
  if (storage >= 0) return `${existing.slice(0, storage)}${block}\n\n${existing.slice(storage)}`;
  return `${existing.trimEnd()}\n\n${block}\n`;
}

const by = (runs: readonly LoadFigures[], name: string) => runs.find((r) => r.target === name);
const fmt = (n: number | undefined, digits = 1) =>
  n === undefined || !Number.isFinite(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits });
const ratio = (a: number | undefined, b: number | undefined) => (a && b && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');
const mark = (met: boolean | undefined) => (met === undefined ? '' : met ? ' ✓' : ' ✗');

function atRate(results: BenchResults, target: string, rate: number): LoadFigures | undefined {
  return results.sweep.find((s) => s.target === target)?.runs.find((r) => r.offeredPerS === rate);
}

function refusedCount(r: LoadFigures | undefined): number {
  return r ? Object.values(r.refusedByStatus).reduce((a, b) => a + b, 0) : 0;
}

function openLoopCell(r: LoadFigures | undefined): string {
  if (!r) return '–';
  const refused = refusedCount(r);
  const failures = Object.entries(r.failedByReason)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return (
    `${fmt(r.deliveredPerS, 0)} delivered/s, delivered p50 / p99 ${fmt(r.latency.p50)} / ${fmt(r.latency.p99)} ms, ` +
    `sends accepted (201) p50 / p99 ${fmt(r.acceptedLatency.p50)} / ${fmt(r.acceptedLatency.p99)} ms` +
    (refused > 0
      ? `; ${refused} refused (${statusList(r)}), refusal p99 ${fmt(r.refusedLatency.p99)} ms, ${r.refusedWithRetryAfter} with Retry-After`
      : '; none refused') +
    `; lost ${r.lost}` +
    (failures ? ` (${failures})` : '') +
    `; load generator lag p99 ${fmt(r.clientLagP99Ms)} ms`
  );
}

function statusList(r: LoadFigures): string {
  return Object.entries(r.refusedByStatus)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');
}

/** The issue's table: each figure of the server beside the pipeline's of the same run, with its target. */
export function headline(results: BenchResults): string[][] {
  const rows: string[][] = [['measure', 'server', 'bare pipeline, same run', 'ratio', 'target']];
  const server = by(results.throughput, 'server');
  const pipeline = by(results.throughput, 'pipeline');
  if (server && pipeline) {
    const r = server.deliveredPerS / pipeline.deliveredPerS;
    rows.push([
      `delivered messages/s, one process, ${server.concurrency} in flight`,
      fmt(server.deliveredPerS, 0),
      fmt(pipeline.deliveredPerS, 0),
      ratio(server.deliveredPerS, pipeline.deliveredPerS),
      `≥ 0.6× the pipeline${mark(r >= 0.6)}`,
    ]);
    rows.push([
      'server CPU per delivered message',
      `${fmt(server.serverCpuMsPerMessage, 2)} ms`,
      `${fmt(pipeline.serverCpuMsPerMessage, 2)} ms`,
      ratio(server.serverCpuMsPerMessage, pipeline.serverCpuMsPerMessage),
      '',
    ]);
  }
  const ls = by(results.latency, 'server');
  const lp = by(results.latency, 'pipeline');
  if (ls && lp) {
    rows.push([
      'delivered p50 / p99 at concurrency 1',
      `${fmt(ls.latency.p50, 2)} / ${fmt(ls.latency.p99, 2)} ms (lost ${ls.lost})`,
      `${fmt(lp.latency.p50, 2)} / ${fmt(lp.latency.p99, 2)} ms`,
      `${ratio(ls.latency.p50, lp.latency.p50)} / ${ratio(ls.latency.p99, lp.latency.p99)}`,
      `≤ 2 / 6 ms${mark(ls.latency.p50 <= 2 && ls.latency.p99 <= 6)}`,
    ]);
  }
  for (const rate of [1000, 4000]) {
    const s = atRate(results, 'server', rate);
    const p = atRate(results, 'pipeline', rate);
    if (!s) continue;
    const refused = refusedCount(s);
    const met =
      rate === 1000
        ? s.latency.p99 <= 25 || (refused > 0 && s.refusedLatency.p99 <= 100 && s.lost === 0)
        : refused > 0 && s.refusedLatency.p99 <= 100 && s.refusedWithRetryAfter === refused && s.latency.p99 <= 250 && s.lost === 0;
    rows.push([
      `open loop at ${rate.toLocaleString('en-US')} msgs/s`,
      openLoopCell(s),
      openLoopCell(p),
      ratio(s.deliveredPerS, p?.deliveredPerS),
      (rate === 1000
        ? 'p99 ≤ 25 ms, or beyond capacity excess refused'
        : 'excess refused within 100 ms with 503 + Retry-After; accepted p99 < 250 ms; none lost') + mark(met),
    ]);
  }
  const cs = results.connections.find((c) => c.target === 'server');
  const cp = results.connections.find((c) => c.target === 'pipeline');
  if (cs) {
    rows.push([
      `memory per idle authenticated WebSocket (${cs.sockets.toLocaleString('en-US')} open, fresh process)`,
      `${fmt(cs.bytesPerSocket / 1024, 2)} KB; one message reached ${cs.reached} of ${cs.expected} in ${fmt(cs.fanOutMs)} ms`,
      cp ? `\`ws\` alone: ${fmt(cp.bytesPerSocket / 1024, 2)} KB; reached ${cp.reached} of ${cp.expected} in ${fmt(cp.fanOutMs)} ms` : '–',
      ratio(cs.bytesPerSocket, cp?.bytesPerSocket),
      `≤ 8 KB${mark(cs.bytesPerSocket <= 8 * 1024 && cs.reached === cs.expected)}`,
    ]);
  }
  const workers = results.throughput.find((r) => r.target.includes('WORKERS=2'));
  if (server && workers) {
    rows.push([
      'WORKERS=2 vs one process (closed loop, same concurrency)',
      `${fmt(workers.deliveredPerS, 0)} vs ${fmt(server.deliveredPerS, 0)} msgs/s; all ${results.machine.cores} cores busy ` +
        `${fmt(workers.machineBusyPercent, 0)}% vs ${fmt(server.machineBusyPercent, 0)}% of the time`,
      '–',
      `${ratio(workers.deliveredPerS, server.deliveredPerS)}${roundSpread(workers, server)}`,
      `≥ 1.3×${mark(workers.deliveredPerS / server.deliveredPerS >= 1.3)}`,
    ]);
  }
  const limits = results.throughput.find((r) => r.target.includes('limits on'));
  if (server && limits) {
    rows.push([
      'limits on (set high) vs off',
      `${fmt(limits.deliveredPerS, 0)} vs ${fmt(server.deliveredPerS, 0)} msgs/s; server CPU per message ` +
        `${fmt(limits.serverCpuMsPerMessage, 2)} vs ${fmt(server.serverCpuMsPerMessage, 2)} ms`,
      '–',
      `${ratio(limits.deliveredPerS, server.deliveredPerS)}${roundSpread(limits, server)}`,
      `≥ 0.9×${mark(limits.deliveredPerS / server.deliveredPerS >= 0.9)}`,
    ]);
  }
  for (const other of results.throughput) {
    if (['server', 'pipeline'].includes(other.target) || other === workers || other === limits || !server) continue;
    rows.push([
      `${other.target} vs server`,
      `${fmt(other.deliveredPerS, 0)} vs ${fmt(server.deliveredPerS, 0)} msgs/s`,
      '–',
      `${ratio(other.deliveredPerS, server.deliveredPerS)}${roundSpread(other, server)}`,
      '',
    ]);
  }
  return rows;
}

/**
 * The lowest and highest ratio of the rounds, each round's figures measured
 * moments apart: how far the machine's noise moves a ratio, to read the
 * whole run's ratio against.
 */
function roundSpread(a: LoadFigures, b: LoadFigures): string {
  const ratios = a.perStretchPerS.map((perS, i) => perS / (b.perStretchPerS[i] ?? Number.NaN)).filter(Number.isFinite);
  if (ratios.length < 2) return '';
  return ` (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×)`;
}

function table(rows: string[][]): string {
  const [head, ...body] = rows;
  if (!head) return '';
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function loadRows(runs: readonly LoadFigures[], cores: number): string[][] {
  return [
    [
      'target',
      'offered',
      'delivered/s',
      'p50',
      'p95',
      'p99',
      'max',
      'POST 201 p99',
      'refused',
      'refusal p99',
      'lost',
      'failed',
      'server CPU',
      'CPU/msg',
      'RSS',
      'all cores busy',
      'MariaDB / Redis / load generator / rest',
      'client lag p99',
    ],
    ...runs.map((r) => [
      r.target,
      r.offeredPerS !== undefined ? `${r.offeredPerS}/s` : `${r.concurrency} in flight`,
      fmt(r.deliveredPerS, 0),
      fmt(r.latency.p50, 2),
      fmt(r.latency.p95, 2),
      fmt(r.latency.p99, 2),
      fmt(r.latency.max, 1),
      fmt(r.acceptedLatency.p99, 1),
      refusedCount(r) > 0 ? statusList(r) : '0',
      fmt(r.refusedLatency.p99, 1),
      String(r.lost),
      Object.entries(r.failedByReason)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || '0',
      `${fmt(r.serverCpuPercent, 0)}%`,
      `${fmt(r.serverCpuMsPerMessage, 2)} ms`,
      `${fmt(r.serverRssMiB, 0)} MiB`,
      `${fmt(r.machineBusyPercent, 0)}%`,
      elsewhere(r, cores)
        .map((p) => `${fmt(p, 0)}%`)
        .join(' / '),
      `${fmt(r.clientLagP99Ms, 0)} ms`,
    ]),
  ];
}

/**
 * Where the rest of the machine's CPU went, each as a share of one core like
 * the server's: MariaDB, Redis, the load generator, and what is left of all
 * cores' busy time (other work on the machine, the kernel's share not charged to a process).
 */
function elsewhere(r: LoadFigures, cores: number): number[] {
  const named = [r.mariadbCpuPercent, r.redisCpuPercent, r.clientCpuPercent];
  const rest = r.machineBusyPercent * cores - r.serverCpuPercent - named.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return [...named, Math.max(0, rest)];
}

/** Plain tables for the terminal. */
export function textTables(results: BenchResults): string {
  return [
    table(headline(results)),
    results.latency.length ? `\nLatency, concurrency 1 (ms)\n${table(loadRows(results.latency, results.machine.cores))}` : '',
    results.throughput.length ? `\nThroughput, closed loop\n${table(loadRows(results.throughput, results.machine.cores))}` : '',
    ...results.sweep.map((s) => `\nOpen loop: ${s.target}\n${table(loadRows(s.runs, results.machine.cores))}`),
    results.connections.length ? `\nConnections\n${table(connectionRows(results.connections))}` : '',
    `\n${results.seconds} s in all`,
  ].join('\n');
}

function connectionRows(list: readonly ConnectionFigures[]): string[][] {
  return [
    ['target', 'sockets', 'opened in', 'RSS before', 'RSS after', 'per socket', 'per socket at 3 s', 'reached', 'fan-out'],
    ...list.map((c) => [
      c.target,
      String(c.sockets),
      `${c.openSeconds} s`,
      `${c.rssBeforeMiB} MiB`,
      `${c.rssAfterMiB} MiB`,
      `${fmt(c.bytesPerSocket / 1024, 2)} KB`,
      `${fmt(c.bytesPerSocketAt3s / 1024, 2)} KB`,
      `${c.reached} / ${c.expected}`,
      `${c.fanOutMs} ms`,
    ]),
  ];
}

/** The load section of BENCHMARKS.md: method, machine, the headline table, details, the SVG. */
export function markdownSection(results: BenchResults, svgPath: string | undefined): string {
  const m = results.machine;
  return `## Under load (\`npm run bench\`)

Run on ${results.date.slice(0, 16).replace('T', ' ')} UTC with \`${results.command}\` (${results.seconds} s in all):
${m.cores} × ${m.cpus}, ${m.memory}, Node ${m.node}, load average at the end ${m.loadAverage}
(the machine is shared: other work runs on the same cores, so absolute figures are noise and only the ratios
measured side by side in this one run mean much). MariaDB and Redis on loopback, shared with that other work.

### Method

- \`packages/bench\` starts each target as its own process on loopback, with its own fresh MariaDB database and Redis
  channel prefix: the real server (\`message-center serve\`, built, \`NODE_ENV=production\`, its log read from a pipe
  and dropped) and the **bare pipeline** (\`packages/bench/src/pipeline/pipeline-server.ts\`: Hono POST → one INSERT →
  Redis PUBLISH to both users → \`ws\` frame → GET by id; no authentication, validation, inbox rows or logs). The
  pipeline is the ceiling for this stack on this machine; every server figure is read as a ratio to it.
- A delivered message is what a user sees: the sender's \`POST /api/v1/messages\`, the recipient's
  \`message.created\` frame on its WebSocket, the recipient's \`GET /api/v1/messages/<id>\`, timed from the start of the
  POST (in an open loop from its scheduled start, so queueing counts). No frame within 5 s, or a GET that is not 200,
  counts as lost. ${results.options.pairs as number} sender/recipient pairs, each user with one socket. Contract limits
  are off (\`0\`) except in the "limits on" variant, where they are set far above the load.
- Every target first runs a second of the closed loop below, not counted: on a fresh process the first messages
  run code V8 has not optimised yet. **latency**: one message at a time. **throughput**: a closed loop (each sender starts its next message when the last
  is delivered) for each target in turn, in alternating rounds so each meets the same moments of a noisy machine
  (each round starting one target later, and every other round backwards, so no target always follows the same one).
  **open loop**: sends started on a fixed schedule at each offered rate for ${(results.options.sweepMs as number) / 1000} s,
  server and pipeline in turn, each rate starting one target later. Before each stretch of these three the
  run waits until every core together is under 25 % busy over 250 ms (MariaDB flushes for seconds after a heavy
  stretch), or measures anyway after 5 s, and says so. The load generator is one Node process on the same machine,
  sending over keep-alive HTTP/1.1 (undici), with 4,096 connections a target opened just before each open-loop
  stretch; its own event-loop delay is shown as "client lag p99", since a late generator counts its lateness as the
  server's. **connections**: a fresh process, ${(results.options.sockets as number).toLocaleString('en-US')} idle sockets of one
  user opened after 50 warm-up ones; (RSS after − RSS before) / sockets, each RSS the lowest of one reading a second
  over 30 idle seconds (the targets' "before" readings overlap; each then opens, settles and fans out in turn; V8 grows its young generation under the handshakes and shrinks it, and gives back their garbage,
  on its own timer, so a single reading 3 s after the last socket opened, shown beside it, varies by a few KB a socket
  between runs); then one message must reach every socket.
- Server CPU (user + system, every process of the server) and RSS come from \`/proc/<pid>/stat\` and \`/status\`;
  "all cores busy" is the busy share of every core over the same stretch (\`/proc/stat\`: 100 % means no core was ever
  free, so a second worker had nothing to run on), and beside it the CPU of MariaDB (\`mariadbd\`), Redis
  (\`redis-server\`), the load generator itself and the rest (other work on the machine), each as a share of one core.
- To measure a feature on and off, add \`--variant "name:VAR=value,…"\` (its throughput is measured beside the plain
  server in the same rounds), or \`--compare "name=/path/to/other/checkout"\` to run another built checkout beside this
  one (an A/B of two commits; \`name=DIR:limits=on\` runs it with the "limits on" settings). \`--rounds N\` averages
  more rounds. \`--cpu-prof DIR\` writes a V8 profile of every server process, in a folder per target.
  \`npm run bench -- --help\`.

### Results

${table(headline(results))}

${svgPath ? `![p50 and p99 delivered latency against offered load, server and pipeline](${svgPath})\n` : ''}
#### Latency, one at a time (ms)

${table(loadRows(results.latency, results.machine.cores))}

#### Throughput, closed loop

${table(loadRows(results.throughput, results.machine.cores))}

${results.sweep.map((s) => `#### Open loop: ${s.target}\n\n${table(loadRows(s.runs, results.machine.cores))}`).join('\n\n')}

#### Connections

${table(connectionRows(results.connections))}
`;
}
