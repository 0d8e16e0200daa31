import type { WebSocket } from 'ws';

/** What the heartbeat reads and writes on each connection. */
export interface Beating {
  heard: boolean;
  pinged: boolean;
}

/**
 * Pings the connections that have been quiet for a beat and drops those that
 * stay quiet for the next one, so a peer that vanished without a close (a
 * laptop lid, a dead NAT mapping) does not hold a registry entry forever. One
 * interval sweeps every connection; the endpoint's listeners set `heard`.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly connections: ReadonlyMap<WebSocket, Beating>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // Heartbeats alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    for (const [socket, liveness] of this.connections) {
      if (liveness.heard) {
        liveness.heard = false;
        liveness.pinged = false;
      } else if (liveness.pinged) {
        // Its close event removes it from the map.
        socket.terminate();
      } else {
        liveness.pinged = true;
        try {
          socket.ping();
        } catch {
          // The socket is closing already; its close event removes it.
        }
      }
    }
  }
}
