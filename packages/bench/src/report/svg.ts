import type { LoadFigures } from '../scenarios/run.js';

interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 200, top: 40, bottom: 56 };

/**
 * p50 and p99 delivered latency against offered load, server and pipeline on
 * one chart: both axes logarithmic, so a tenfold jump reads the same anywhere.
 */
export function latencyVsLoadSvg(
  sweeps: ReadonlyArray<{ name: string; color: string; runs: readonly LoadFigures[] }>,
  caption: string,
): string {
  const series: Series[] = sweeps.flatMap(({ name, color, runs }) => [
    { label: `${name} p50`, color, dashed: false, points: runs.map((r) => [r.offeredPerS ?? 0, r.latency.p50] as const) },
    { label: `${name} p99`, color, dashed: true, points: runs.map((r) => [r.offeredPerS ?? 0, r.latency.p99] as const) },
  ]);
  const xs = series.flatMap((s) => s.points.map(([x]) => x)).filter((x) => x > 0);
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter((y) => Number.isFinite(y) && y > 0);
  const xMin = Math.min(...xs) / 1.3;
  const xMax = Math.max(...xs) * 1.3;
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys, 1)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys, 10)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + ((Math.log(v) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin))) * plotW;
  const y = (v: number) => MARGIN.top + plotH - ((Math.log(v) - Math.log(yMin)) / (Math.log(yMax) - Math.log(yMin))) * plotH;

  const parts: string[] = [];
  parts.push('<title>p50 and p99 delivered latency against offered load, server and bare pipeline</title>');
  parts.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`);
  parts.push(`<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">Delivered latency vs offered load (open loop)</text>`);
  for (let v = yMin; v <= yMax; v *= 10) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${MARGIN.left - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`,
    );
  }
  for (const v of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    parts.push(`<text x="${x(v)}" y="${MARGIN.top + plotH + 16}" font-size="11" text-anchor="middle">${v}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`);
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 22}" font-size="12" text-anchor="middle">offered messages per second (log)</text>`,
  );
  parts.push(
    `<text x="16" y="${MARGIN.top + plotH / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotH / 2})">POST → frame → GET (log)</text>`,
  );
  parts.push(`<text x="${MARGIN.left}" y="${HEIGHT - 6}" font-size="10" fill="#555">${escapeXml(caption)}</text>`);
  series.forEach((s, i) => {
    const points = s.points.filter(([, v]) => Number.isFinite(v) && v > 0);
    const path = points.map(([px, py], j) => `${j === 0 ? 'M' : 'L'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const [px, py] of points) parts.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = MARGIN.top + 16 + i * 20;
    const lx = MARGIN.left + plotW + 16;
    parts.push(
      `<line x1="${lx}" x2="${lx + 28}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${lx + 34}" y="${ly + 4}" font-size="12">${escapeXml(s.label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">\n${parts.join('\n')}\n</svg>\n`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
