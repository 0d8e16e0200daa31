import type { PresenceFigures } from '../scenarios/presence.js';

export const PRESENCE_START = '<!-- npm run bench -- --only presence: start -->';
export const PRESENCE_END = '<!-- npm run bench -- --only presence: end -->';

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–');
const within = (ratio: number, better: 'higher' | 'lower') => (better === 'higher' ? ratio >= 0.9 : ratio <= 1.1);

/** The presence comparison as markdown rows, for its own section of BENCHMARKS.md. */
export function presenceTable(figures: PresenceFigures): string {
  const { without, with: on } = figures;
  const rate = on.deliveredPerS / without.deliveredPerS;
  const p99 = on.latency.p99 / without.latency.p99;
  const rows = [
    ['measure', 'without presence', `with presence`, 'ratio', 'target'],
    [
      'delivered messages/s (closed loop)',
      fmt(without.deliveredPerS, 0),
      fmt(on.deliveredPerS, 0),
      `${rate.toFixed(2)}×`,
      `≥ 0.90×${within(rate, 'higher') ? ' ✓' : ' ✗'}`,
    ],
    [
      'delivered p50 / p99',
      `${fmt(without.latency.p50, 2)} / ${fmt(without.latency.p99, 2)} ms`,
      `${fmt(on.latency.p50, 2)} / ${fmt(on.latency.p99, 2)} ms`,
      `${(on.latency.p50 / without.latency.p50).toFixed(2)}× / ${p99.toFixed(2)}×`,
      `p99 ≤ 1.10×${within(p99, 'lower') ? ' ✓' : ' ✗'}`,
    ],
    [
      'server CPU per delivered message',
      `${fmt(without.serverCpuMsPerMessage, 2)} ms`,
      `${fmt(on.serverCpuMsPerMessage, 2)} ms`,
      `${(on.serverCpuMsPerMessage / without.serverCpuMsPerMessage).toFixed(2)}×`,
      '',
    ],
    ['lost', String(without.lost), String(on.lost), '', '0'],
  ];
  const [head, ...body] = rows as [string[], ...string[][]];
  return [
    `${figures.connections.toLocaleString('en-US')} connections each watching ${figures.watchedPerConnection} users (${figures.flappers} of them coming and going all along, ` +
      `${figures.presenceFrames.toLocaleString('en-US')} presence frames delivered during the "with" stretches), ` +
      `${without.concurrency} sends in flight, ${fmt(without.seconds, 0)} s of each side in alternating stretches:`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** Puts the table between its own markers, which the rest of the bench never touches. */
export function replacePresenceSection(existing: string, body: string, header: string): string {
  const block = `${PRESENCE_START}\n${header}\n\n${body.trim()}\n${PRESENCE_END}`;
  const start = existing.indexOf(PRESENCE_START);
  const end = existing.indexOf(PRESENCE_END);
  if (start >= 0 && end > start) return `${existing.slice(0, start)}${block}${existing.slice(end + PRESENCE_END.length)}`;
  return `${existing.trimEnd()}\n\n${block}\n`;
}
