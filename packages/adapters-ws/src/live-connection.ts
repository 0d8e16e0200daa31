import type { User } from '@message-center/core';
import type { WebSocket } from 'ws';
import type { Connection } from './connection-registry.js';

/**
 * Everything the endpoint keeps about one open socket, in one object of plain
 * fields: the heartbeat, the frame budget and the session expiry read and
 * write these from shared sweeps and listeners, so a connection costs no
 * timer and no closure of its own.
 */
export class LiveConnection implements Connection {
  /** Heard from since the heartbeat's last sweep. */
  heard = true;
  /** Pinged by the last sweep and silent since. */
  pinged = false;
  /** Frames it may still send at once, and when that was last topped up (ms, monotonic). */
  tokens: number;
  toppedUpAt: number;
  /** When to ask the store whether the session still holds (ms since the epoch). */
  checkAt: number;
  /** When this server sent its close frame (ms, monotonic); 0 while open. */
  closingSince = 0;

  constructor(
    readonly user: User,
    readonly sessionId: string,
    readonly socket: WebSocket,
    checkAt: number,
    tokens: number,
    now: number,
  ) {
    this.checkAt = checkAt;
    this.tokens = tokens;
    this.toppedUpAt = now;
  }

  get userId(): string {
    return this.user.id;
  }
}
