import type { WebSocket } from 'ws';
import { openMany, openSocket, type Pair } from '../participants.js';
import { sleep } from '../stats.js';
import type { Target } from '../targets.js';
import { closedLoop } from './load.js';
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

  const sockets = await openMany(target.port, crowdTokens, load.connections);
  const pairNames = pairs.flatMap((pair) => [pair.sender.username, pair.recipient.username]);
  let presenceFrames = 0;
  let counting = false;
  for (const socket of sockets) {
    socket.on('message', (data) => {
      if (counting && data.toString().startsWith('{"type":"presence"')) presenceFrames++;
    });
  }
  const watchLists = sockets.map((_, i) => watchListFor(i, load.watched, pairNames, flapperNames, crowdNames));

  const flapping = flap(target.port, flapperTokens);
  const without = new Recorder();
  const withPresence = new Recorder();
  try {
    for (let round = 0; round < load.rounds; round++) {
      await setWatches(sockets, () => []);
      await closedLoop(target, pairs, load.concurrency, load.ms, without);
      await sleep(500);
      await setWatches(sockets, (i) => watchLists[i] as string[]);
      counting = true;
      await closedLoop(target, pairs, load.concurrency, load.ms, withPresence);
      counting = false;
      await sleep(500);
    }
  } finally {
    flapping.stop();
    await flapping.done;
    for (const socket of sockets) socket.terminate();
  }
  return {
    connections: sockets.length,
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

/** Sends each socket its list and waits until every one has answered (the answer comes first after a watch). */
async function setWatches(sockets: readonly WebSocket[], listFor: (i: number) => string[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (socket, i) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, 30_000);
          function done(): void {
            clearTimeout(timer);
            socket.off('message', onMessage);
            resolve();
          }
          function onMessage(data: unknown): void {
            if (String(data).startsWith('{"type":"presence"')) done();
          }
          socket.on('message', onMessage);
          socket.send(JSON.stringify({ type: 'presence.watch', users: listFor(i) }));
        }),
    ),
  );
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
