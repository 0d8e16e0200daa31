import type { LocalDelivery, Notification } from '@message-center/core';
import { CloseCode, serializeFrame } from './server-frames.js';

/** The little of a `ws` WebSocket the registry needs; a `ws` WebSocket satisfies it. */
export interface LiveSocket {
  readonly readyState: number;
  /** Bytes queued for the peer and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface Connection {
  readonly userId: string;
  readonly sessionId: string;
  readonly socket: LiveSocket;
}

export interface ConnectionRegistryOptions {
  /**
   * A socket whose send buffer passes this many bytes is closed with 1008
   * rather than buffered without limit; the client catches up on reconnect.
   */
  readonly maxBufferedBytes?: number;
  /** Told when sending to one socket throws, so one bad socket never stops delivery to the others. */
  readonly onError?: (error: unknown) => void;
}

const OPEN = 1;
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

/** The live connections of this process, by user and by session; what every notifier delivers into. */
export class ConnectionRegistry implements LocalDelivery {
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly bySession = new Map<string, Set<Connection>>();
  private readonly maxBufferedBytes: number;
  private endingsHeard = 0;

  constructor(private readonly options: ConnectionRegistryOptions = {}) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  }

  /** Registers a connection; the returned function removes it (call it, or `remove`, when the socket closes). */
  add(connection: Connection): () => void {
    addTo(this.byUser, connection.userId, connection);
    addTo(this.bySession, connection.sessionId, connection);
    return () => this.remove(connection);
  }

  /** Forgets a connection; nothing happens for one that is not registered. */
  remove(connection: Connection): void {
    removeFrom(this.byUser, connection.userId, connection);
    removeFrom(this.bySession, connection.sessionId, connection);
  }

  /**
   * How many session endings (`endSession`, as for each session of an
   * `end-sessions` notification) and `resync` notifications this registry has
   * been handed: a handshake that sees it move while it authenticates may have
   * missed the end of its own session, and asks the store again.
   */
  get sessionEndings(): number {
    return this.endingsHeard;
  }

  countForUser(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  get size(): number {
    let total = 0;
    for (const connections of this.byUser.values()) total += connections.size;
    return total;
  }

  deliver(notification: Notification): void {
    switch (notification.kind) {
      case 'event': {
        const frame = serializeFrame(notification.event);
        // A user named twice (a note to oneself) still gets each frame once per connection.
        for (const userId of new Set(notification.userIds)) {
          for (const connection of [...(this.byUser.get(userId) ?? [])]) this.send(connection, frame);
        }
        return;
      }
      case 'end-sessions':
        for (const sessionId of notification.sessionIds) this.endSession(sessionId);
        return;
      case 'resync':
        // What was published while the link was down never arrived: end-sessions among it.
        this.endingsHeard++;
        this.sendToAll(serializeFrame({ type: 'resync' }));
        return;
      default:
        notification satisfies never;
    }
  }

  /** The distinct sessions that have a live connection here. */
  sessionIds(): string[] {
    return [...this.bySession.keys()];
  }

  /** Closes every connection of an ended session with 4401. */
  endSession(sessionId: string): void {
    this.endingsHeard++;
    for (const connection of [...(this.bySession.get(sessionId) ?? [])]) {
      this.close(connection, CloseCode.sessionEnded, 'session ended');
    }
  }

  /** Sends to one connection, dropping it if it cannot keep up. */
  send(connection: Connection, frame: string): void {
    const { socket } = connection;
    if (socket.readyState !== OPEN) return;
    try {
      if (socket.bufferedAmount + Buffer.byteLength(frame) > this.maxBufferedBytes) {
        this.close(connection, CloseCode.policyViolation, 'too slow');
        return;
      }
      socket.send(frame);
    } catch (error) {
      this.report(error);
    }
  }

  /** The same frame to every live connection of this process. */
  sendToAll(frame: string): void {
    for (const connections of [...this.byUser.values()]) {
      for (const connection of [...connections]) this.send(connection, frame);
    }
  }

  /** Closes every connection, for a shutdown (1001) or anything else that ends them all. */
  closeAll(code: number = CloseCode.goingAway, reason = 'server shutting down'): void {
    for (const connections of [...this.byUser.values()]) {
      for (const connection of [...connections]) this.close(connection, code, reason);
    }
  }

  /** Closes one connection and forgets it at once. */
  close(connection: Connection, code: number, reason: string): void {
    // Forget it now: a closing socket must get no more frames even before its close handshake ends.
    this.remove(connection);
    try {
      connection.socket.close(code, reason);
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing reporter must not stop delivery to the other connections.
    }
  }
}

function addTo(index: Map<string, Set<Connection>>, key: string, connection: Connection): void {
  const set = index.get(key);
  if (set) set.add(connection);
  else index.set(key, new Set([connection]));
}

function removeFrom(index: Map<string, Set<Connection>>, key: string, connection: Connection): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(connection);
  if (set.size === 0) index.delete(key);
}
