import { parentPort, workerData } from 'node:worker_threads';
import type { WebSocket } from 'ws';
import { openMany } from '../participants.js';

/**
 * The watching crowd of the presence scenario, on a thread of its own. Each
 * change reaches hundreds of these sockets at once; read on the measuring
 * thread, that burst held up the very replies whose latency was being
 * measured, and the load generator's own lateness counted as the server's.
 * Watchers are other people's browsers, not part of the sender's loop.
 */
export interface CrowdData {
  readonly port: number;
  readonly tokens: readonly string[];
  readonly connections: number;
  /** What each socket watches in the "with" stretches, by socket. */
  readonly watchLists: readonly (readonly string[])[];
}

export type CrowdCommand =
  | { readonly type: 'watch'; readonly lists: boolean }
  | { readonly type: 'count'; readonly on: boolean }
  | { readonly type: 'close' };

export type CrowdReport =
  | { readonly type: 'open'; readonly sockets: number }
  | { readonly type: 'watched' }
  | { readonly type: 'closed'; readonly presenceFrames: number };

const PRESENCE_FRAME = '{"type":"presence"';

async function crowd(data: CrowdData, port: NonNullable<typeof parentPort>): Promise<void> {
  const sockets = await openMany(data.port, data.tokens, data.connections);
  let counting = false;
  let presenceFrames = 0;
  for (const socket of sockets) {
    socket.on('message', (frame) => {
      if (counting && frame.toString().startsWith(PRESENCE_FRAME)) presenceFrames++;
    });
  }
  const report = (message: CrowdReport) => port.postMessage(message);
  port.on('message', async (command: CrowdCommand) => {
    switch (command.type) {
      case 'watch':
        await setWatches(sockets, (i) => (command.lists ? (data.watchLists[i] ?? []) : []));
        report({ type: 'watched' });
        return;
      case 'count':
        counting = command.on;
        return;
      case 'close':
        for (const socket of sockets) socket.terminate();
        report({ type: 'closed', presenceFrames });
        port.close();
        return;
      default:
        command satisfies never;
    }
  });
  report({ type: 'open', sockets: sockets.length });
}

/** Sends each socket its list and waits until every one has answered (the answer comes first after a watch). */
async function setWatches(sockets: readonly WebSocket[], listFor: (i: number) => readonly string[]): Promise<void> {
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
            if (String(data).startsWith(PRESENCE_FRAME)) done();
          }
          socket.on('message', onMessage);
          socket.send(JSON.stringify({ type: 'presence.watch', users: listFor(i) }));
        }),
    ),
  );
}

if (parentPort) void crowd(workerData as CrowdData, parentPort);
