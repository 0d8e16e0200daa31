import { openMany } from '../participants.js';
import { round, sleep } from '../stats.js';
import type { Target } from '../targets.js';

export interface ConnectionFigures {
  readonly target: string;
  readonly sockets: number;
  readonly openSeconds: number;
  readonly rssBeforeMiB: number;
  readonly rssAfterMiB: number;
  /** (RSS with the sockets open − RSS before) / sockets. */
  readonly bytesPerSocket: number;
  /** Sockets the message reached, of `expected` (the measured ones and the warm-up ones). */
  readonly reached: number;
  readonly expected: number;
  /** From the POST to the last socket's frame. */
  readonly fanOutMs: number;
}

const WARM_UP_SOCKETS = 50;
/** Bounds the run on a slow machine: the figure is then per socket actually opened. */
const OPENING_BUDGET_MS = 60_000;

/**
 * N idle authenticated sockets of one user on a fresh server: what each one
 * costs in resident memory, then one message that must reach every one of them.
 */
export async function connections(target: Target, count: number): Promise<ConnectionFigures> {
  const [token, senderToken] = (await target.signUp(['crowd', 'herald'])) as [string, string];
  const warm = await openMany(target.port, [token], WARM_UP_SOCKETS, { skipRefused: true });
  await sleep(1_000);
  const before = target.sample().rssBytes;
  const started = performance.now();
  const sockets = await openMany(target.port, [token], count, { deadline: started + OPENING_BUDGET_MS, skipRefused: true });
  const openSeconds = (performance.now() - started) / 1000;
  // Let allocation settle and a GC run, so the figure is what stays, not what passed through.
  await sleep(3_000);
  const after = target.sample().rssBytes;

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
    reached,
    expected: all.length,
    fanOutMs: round(lastAt - posted, 1),
  };
}
