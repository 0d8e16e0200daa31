import { Worker } from 'node:worker_threads';
import type { WebSocket } from 'ws';
import { openSocket, type Pair } from '../participants.js';
import { sleep } from '../stats.js';
import type { Target } from '../targets.js';
import { closedLoop } from './load.js';
import type { CrowdCommand, CrowdData, CrowdReport } from './presence-crowd.js';
import { type LoadFigures, Recorder } from './run.js';

export interface PresenceFigures {
  readonly connections: number;
  readonly watchedPerConnection: number;
  /** Users that come and go during both stretches, so there are changes to deliver; each socket watches two. */
  readonly flappers: number;
  /** Presence frames the watching connections received during the "with" stretches. */
  readonly presenceFrames: number;
  readonly without: LoadFigures;
  readonly with: LoadFigures;
}

export interface PresenceLoad {
  readonly connections: number;
  readonly watched: number;
  readonly concurrency: number;
  readonly ms: number;
  readonly rounds: number;
}

const SOCKETS_PER_CROWD_USER = 10;
const FLAPPERS = 20;
const FLAP_EVERY_MS = 250;

/**
 * The comparison: `connections` sockets each watching `watched` users
 * (the message pairs, some users that keep coming and going, and the crowd),
 * against the very same sockets watching nobody, measured in alternating
 * stretches of the closed loop so both meet the same moments of the machine.
 * Users come and go in both stretches; only in "with" does anyone watch them.
 */
export async function presenceComparison(target: Target, pairs: readonly Pair[], load: PresenceLoad): Promise<PresenceFigures> {
  const crowdUsers = Math.ceil(load.connections / SOCKETS_PER_CROWD_USER);
  const crowdNames = Array.from({ length: crowdUsers }, (_, i) => `crowd${i}`);
  const flapperNames = Array.from({ length: FLAPPERS }, (_, i) => `flap${i}`);
  const tokens = await target.signUp([...crowdNames, ...flapperNames]);
  const crowdTokens = tokens.slice(0, crowdUsers);
  const flapperTokens = tokens.slice(crowdUsers);

  const pairNames = pairs.flatMap((pair) => [pair.sender.username, pair.recipient.username]);
  const watchLists = Array.from({ length: load.connections }, (_, i) => watchListFor(i, load.watched, pairNames, flapperNames, crowdNames));
  const crowd = await Crowd.open({ port: target.port, tokens: crowdTokens, connections: load.connections, watchLists });

  const flapping = flap(target.port, flapperTokens);
  const without = new Recorder();
  const withPresence = new Recorder();
  let presenceFrames = 0;
  try {
    for (let round = 0; round < load.rounds; round++) {
      await crowd.watch(false);
      await closedLoop(target, pairs, load.concurrency, load.ms, without);
      await sleep(500);
      await crowd.watch(true);
      crowd.count(true);
      await closedLoop(target, pairs, load.concurrency, load.ms, withPresence);
      crowd.count(false);
      await sleep(500);
    }
  } finally {
    flapping.stop();
    await flapping.done;
    presenceFrames = await crowd.close();
  }
  return {
    connections: crowd.sockets,
    watchedPerConnection: load.watched,
    flappers: FLAPPERS,
    presenceFrames,
    without: without.figures('without presence', { concurrency: load.concurrency }),
    with: withPresence.figures('with presence', { concurrency: load.concurrency }),
  };
}

/**
 * Each socket watches two of the flappers (so a change reaches a tenth of the
 * sockets, not all of them), the message pairs, and crowd users round the list: `watched` names in all.
 */
function watchListFor(i: number, watched: number, pairNames: string[], flapperNames: string[], crowdNames: string[]): string[] {
  const flappers = [flapperNames[i % flapperNames.length], flapperNames[(i + 1) % flapperNames.length]] as string[];
  const list = [...flappers, ...pairNames].slice(0, watched);
  for (let k = 0; list.length < watched && k < crowdNames.length; k++) list.push(crowdNames[(i + k) % crowdNames.length] as string);
  return list;
}

/** The watching sockets, on their own thread (`presence-crowd.ts`). */
class Crowd {
  private readonly reports: CrowdReport[] = [];
  private waiting: (() => void) | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly sockets: number,
  ) {}

  static async open(data: CrowdData): Promise<Crowd> {
    const worker = new Worker(new URL('./presence-crowd.js', import.meta.url), { workerData: data });
    const opened = await new Promise<CrowdReport>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (opened.type !== 'open') throw new Error(`the crowd answered ${opened.type} before opening`);
    const crowd = new Crowd(worker, opened.sockets);
    worker.on('message', (report: CrowdReport) => {
      crowd.reports.push(report);
      crowd.waiting?.();
    });
    return crowd;
  }

  /** Every socket watches its list (or nobody), and has had its answer. */
  async watch(lists: boolean): Promise<void> {
    this.command({ type: 'watch', lists });
    await this.next('watched');
  }

  count(on: boolean): void {
    this.command({ type: 'count', on });
  }

  /** Closes every socket; the presence frames counted while counting was on. */
  async close(): Promise<number> {
    this.command({ type: 'close' });
    const closed = await this.next('closed');
    await this.worker.terminate();
    return closed.type === 'closed' ? closed.presenceFrames : 0;
  }

  private command(command: CrowdCommand): void {
    this.worker.postMessage(command);
  }

  private async next(type: CrowdReport['type']): Promise<CrowdReport> {
    for (;;) {
      const report = this.reports.shift();
      if (report) {
        if (report.type !== type) throw new Error(`the crowd answered ${report.type}, not ${type}`);
        return report;
      }
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }
}

/** Each flapper in turn connects or drops its one socket, so presence has news throughout. */
function flap(port: number, tokens: readonly string[]): { stop(): void; done: Promise<void> } {
  let running = true;
  const open = new Map<number, WebSocket>();
  const done = (async () => {
    for (let turn = 0; running; turn++) {
      const who = turn % tokens.length;
      const socket = open.get(who);
      if (socket) {
        socket.terminate();
        open.delete(who);
      } else {
        // A handshake the server sheds (503: every pooled database connection busy) is tried again at this
        // flapper's next turn, as a client reconnecting with backoff would; it is not a lost message.
        const opened = await openSocket(port, tokens[who] as string).catch(() => undefined);
        if (opened) open.set(who, opened);
      }
      await sleep(FLAP_EVERY_MS);
    }
    for (const socket of open.values()) socket.terminate();
  })();
  return {
    stop: () => {
      running = false;
    },
    done,
  };
}
