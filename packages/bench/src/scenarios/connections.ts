import { openMany } from '../participants.js';
import { round, sleep } from '../stats.js';
import type { Target } from '../targets.js';

export interface ConnectionFigures {
  readonly target: string;
  readonly sockets: number;
  readonly openSeconds: number;
  /** Settled RSS (see `settledRss`) before the sockets open and with them open. */
  readonly rssBeforeMiB: number;
  readonly rssAfterMiB: number;
  /** (settled RSS with the sockets open − settled RSS before) / sockets. */
  readonly bytesPerSocket: number;
  /** The same with RSS read once, 3 s after the last socket opened: what this figure was before it settled. */
  readonly bytesPerSocketAt3s: number;
  /** Sockets the message reached, of `expected` (the measured ones and the warm-up ones). */
  readonly reached: number;
  readonly expected: number;
  /** From the POST to the last socket's frame. */
  readonly fanOutMs: number;
}

const WARM_UP_SOCKETS = 50;
/**
 * RSS is read once a second for this long, and the lowest reading kept. The
 * sockets are idle, so what they hold does not change; what moves RSS is the
 * process's own heap sizing: V8's young generation grows to 32 MB under the
 * handshakes (3.2 KB a socket at 10,000) and its memory reducer shrinks it,
 * and gives back the handshakes' garbage, on its own timer, seconds to tens of
 * seconds after the allocation stops. A single reading 3 s after the last
 * socket opened caught that or not, by luck (from 5 to 10.3 KB a socket on the
 * same build, 7.75 and 10.22 on another); the lowest reading of an idle minute
 * is what the sockets keep. The "before" reading is taken the same way.
 */
const SETTLE_MS = 60_000;
/** Bounds the run on a slow machine: the figure is then per socket actually opened. */
const OPENING_BUDGET_MS = 60_000;

/**
 * N idle authenticated sockets of one user on a fresh server: what each one
 * costs in resident memory, then one message that must reach every one of them.
 */
export async function connections(target: Target, count: number): Promise<ConnectionFigures> {
  const [token, senderToken] = (await target.signUp(['crowd', 'herald'])) as [string, string];
  let at3s = 0;
  const warm = await openMany(target.port, [token], WARM_UP_SOCKETS, { skipRefused: true });
  const before = await settledRss(target);
  const started = performance.now();
  const sockets = await openMany(target.port, [token], count, { deadline: started + OPENING_BUDGET_MS, skipRefused: true });
  const openSeconds = (performance.now() - started) / 1000;
  const after = await settledRss(target, (rss, elapsedMs) => {
    if (elapsedMs === 3_000) at3s = rss;
  });

  let reached = 0;
  let lastAt = 0;
  const all = [...warm, ...sockets];
  const everyone = new Promise<void>((resolve) => {
    for (const socket of all) {
      socket.on('message', (data) => {
        if (!data.toString().includes('"message.created"')) return;
        reached++;
        lastAt = performance.now();
        if (reached === all.length) resolve();
      });
    }
  });
  const posted = performance.now();
  const answer = await target.http.send('POST', '/api/v1/messages', senderToken, { recipient: 'crowd', body: 'to everyone' });
  if (answer.status !== 201) throw new Error(`fan-out send: ${answer.status} ${answer.body}`);
  await Promise.race([everyone, sleep(30_000)]);
  for (const socket of all) socket.terminate();
  return {
    target: target.spec.name,
    sockets: sockets.length,
    openSeconds: round(openSeconds),
    rssBeforeMiB: round(before / 1024 / 1024, 1),
    rssAfterMiB: round(after / 1024 / 1024, 1),
    bytesPerSocket: Math.round((after - before) / sockets.length),
    bytesPerSocketAt3s: Math.round((at3s - before) / sockets.length),
    reached,
    expected: all.length,
    fanOutMs: round(lastAt - posted, 1),
  };
}

/** The lowest RSS of the target read once a second for `SETTLE_MS`; `each` sees every reading. */
async function settledRss(target: Target, each?: (rss: number, elapsedMs: number) => void): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let elapsedMs = 1_000; elapsedMs <= SETTLE_MS; elapsedMs += 1_000) {
    await sleep(1_000);
    const rss = target.sample().rssBytes;
    each?.(rss, elapsedMs);
    lowest = Math.min(lowest, rss);
  }
  return lowest;
}
