import type { WebSocket } from 'ws';

interface Liveness {
  heardSinceTick: boolean;
  pinged: boolean;
}

/**
 * Pings the connections that have been quiet for a beat and drops those that
 * stay quiet for the next one, so a peer that vanished without a close (a
 * laptop lid, a dead NAT mapping) does not hold a registry entry forever.
 */
export class Heartbeat {
  private readonly sockets = new Map<WebSocket, Liveness>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  track(socket: WebSocket): void {
    const liveness: Liveness = { heardSinceTick: true, pinged: false };
    const heard = () => {
      liveness.heardSinceTick = true;
    };
    socket.on('pong', heard);
    socket.on('message', heard);
    socket.once('close', () => this.sockets.delete(socket));
    this.sockets.set(socket, liveness);
    this.start();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sockets.clear();
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // Heartbeats alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  private tick(): void {
    for (const [socket, liveness] of this.sockets) {
      if (liveness.heardSinceTick) {
        liveness.heardSinceTick = false;
        liveness.pinged = false;
      } else if (liveness.pinged) {
        this.sockets.delete(socket);
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
