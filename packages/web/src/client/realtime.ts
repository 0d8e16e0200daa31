import type { ApiClient } from './api-client.js';
import { ApiError } from './api-error.js';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { Emitter } from './emitter.js';
import { isGreater, maxId } from './ids.js';
import type { ClientFrame, ConnectionStatus, Message, PresenceEntry, ReadEvent, ServerEvent, User } from './types.js';

export interface RealtimeEvents {
  /** A message not emitted before (de-duplicated by id), whatever path brought it. */
  message: Message;
  read: ReadEvent;
  status: ConnectionStatus;
  /** The session was revoked or expired: the socket will not come back by itself. */
  'session-ended': undefined;
  ready: User;
  /** Someone is typing to this user (a `typing` frame). */
  typing: { from: string };
  /** A `presence` frame: the whole watched list after a watch, then each change. */
  presence: PresenceEntry[];
}

export interface RealtimeOptions {
  backoff?: BackoffOptions;
  /** How often an idle socket is probed with `ping`, and how long a `pong` may take. */
  heartbeatMs?: number;
  pongTimeoutMs?: number;
  /** The greatest message id already known; when omitted, `start()` asks the server for it. */
  after?: string;
}

const CATCH_UP_PAGE = 500;

/**
 * The live connection: a WebSocket that reconnects on its own and, on every
 * (re)connect and every `resync` frame, catches up with `?after=<greatest id seen>`. Notifications are
 * only hints; the store is the truth, so a message sent while this tab slept,
 * was offline or was reconnecting is still emitted — exactly once.
 */
export class RealtimeConnection extends Emitter<RealtimeEvents> {
  readonly #api: ApiClient;
  readonly #backoff: BackoffOptions;
  readonly #heartbeatMs: number;
  readonly #pongTimeoutMs: number;
  /** Greatest id reached by a catch-up: everything at or below it has been fetched. */
  #cursor: string | undefined;
  readonly #seen = new Set<string>();
  #status: ConnectionStatus = 'offline';
  #socket: WebSocket | undefined;
  #running = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #catchingUp: Promise<void> | undefined;
  #catchUpAgain = false;
  /** A failed catch-up is tried again while the socket stays up: the store, not the network, may have failed. */
  #catchUpRetryTimer: ReturnType<typeof setTimeout> | undefined;
  #catchUpFailures = 0;
  #hasConnected = false;

  constructor(api: ApiClient, options: RealtimeOptions = {}) {
    super();
    this.#api = api;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#heartbeatMs = options.heartbeatMs ?? 25_000;
    this.#pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
    this.#cursor = options.after;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The catch-up cursor: the greatest id up to which nothing can be missing. */
  get cursor(): string | undefined {
    return this.#cursor;
  }

  /**
   * Fixes the starting point (so loads made afterwards overlap rather than leave a gap)
   * and opens the socket. Resolves once the starting point is known.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.#onOnline);
      window.addEventListener('offline', this.#onOffline);
      document.addEventListener('visibilitychange', this.#onVisibility);
    }
    if (this.#cursor === undefined) {
      try {
        const inbox = await this.#api.conversations({ limit: 1 });
        this.#cursor = inbox.items[0]?.lastMessage.id ?? '0';
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return this.#endSession();
        // Unknown start: catching up from 0 is always correct, merely more work.
        this.#cursor = '0';
      }
    }
    if (this.#running) void this.#connect();
  }

  stop(): void {
    this.#running = false;
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.#onOnline);
      window.removeEventListener('offline', this.#onOffline);
      document.removeEventListener('visibilitychange', this.#onVisibility);
    }
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#catchUpRetryTimer);
    this.#dropSocket();
    this.#setStatus('offline');
  }

  /**
   * Hands over messages obtained elsewhere (a send's answer, a history page) so they
   * are emitted once and later notifications about them are ignored. They do not move
   * the catch-up cursor: only a contiguous catch-up may do that.
   */
  ingest(messages: Iterable<Message>): void {
    for (const message of messages) {
      if (this.#seen.has(message.id)) continue;
      this.#seen.add(message.id);
      this.emit('message', message);
    }
  }

  /** Sends a frame if the socket is open; `false` when it is not (nothing is queued). */
  send(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.#status !== 'connected') return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  hasSeen(id: string): boolean {
    return this.#seen.has(id);
  }

  /** Asks the server for everything above the cursor; concurrent calls coalesce into one more round. */
  catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#catchUpAgain = true;
      return this.#catchingUp;
    }
    this.#catchingUp = (async () => {
      try {
        do {
          this.#catchUpAgain = false;
          await this.#catchUpOnce();
        } while (this.#catchUpAgain && this.#running);
      } finally {
        this.#catchingUp = undefined;
      }
    })();
    return this.#catchingUp;
  }

  async #catchUpOnce(): Promise<void> {
    let after: string | null = this.#cursor ?? '0';
    try {
      while (after !== null) {
        const page = await this.#api.catchUp(after, CATCH_UP_PAGE);
        for (const message of page.items) this.#cursor = this.#cursor === undefined ? message.id : maxId(this.#cursor, message.id);
        this.ingest(page.items);
        after = page.nextCursor;
      }
      this.#catchUpFailures = 0;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.#endSession();
      // The socket may fail too, and the next connection catches up again; but it may
      // stay up (a 503 while the database blinks), and then nothing else would ask again.
      this.#retryCatchUpLater();
    }
  }

  #retryCatchUpLater(): void {
    if (!this.#running || this.#status !== 'connected') return;
    clearTimeout(this.#catchUpRetryTimer);
    const delay = backoffDelay(this.#catchUpFailures, this.#backoff);
    this.#catchUpFailures += 1;
    this.#catchUpRetryTimer = setTimeout(() => {
      if (this.#running && this.#status === 'connected') void this.catchUp();
    }, delay);
  }

  async #connect(): Promise<void> {
    if (!this.#running) return;
    this.#dropSocket();
    this.#setStatus(this.#hasConnected ? 'reconnecting' : 'connecting');
    let url: URL;
    try {
      url = await this.#socketUrl();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.#endSession();
      return this.#scheduleReconnect();
    }
    if (!this.#running) return;
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.addEventListener('message', (event) => {
      if (this.#socket === socket) this.#onFrame(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#stopHeartbeat();
      if (event.code === 4401) return this.#endSession();
      this.#scheduleReconnect();
    });
  }

  /** Same origin with cookies: the cookie authenticates. Otherwise a single-use ticket does. */
  async #socketUrl(): Promise<URL> {
    const url = this.#api.url('/ws');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.#api.auth === 'bearer' || !this.#api.isSameOrigin) url.searchParams.set('ticket', await this.#api.wsTicket());
    else if (this.#attempt >= 2) await this.#api.me(); // a handshake 401 is invisible to scripts; this one is not
    return url;
  }

  #onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let event: ServerEvent;
    try {
      event = JSON.parse(data) as ServerEvent;
    } catch {
      return;
    }
    switch (event.type) {
      case 'ready':
        this.#attempt = 0;
        this.#hasConnected = true;
        this.#setStatus('connected');
        this.#startHeartbeat();
        this.emit('ready', event.user);
        void this.catchUp();
        return;
      case 'message.created':
        void this.#onMessageCreated(event.id);
        return;
      case 'conversation.read':
        this.emit('read', { reader: event.reader, peer: event.peer, lastReadId: event.lastReadId });
        return;
      case 'typing':
        this.emit('typing', { from: event.from });
        return;
      case 'presence':
        this.emit('presence', event.users);
        return;
      case 'pong':
        clearTimeout(this.#pongTimer);
        this.#pongTimer = undefined;
        return;
      case 'resync':
        void this.catchUp();
        return;
    }
  }

  async #onMessageCreated(id: string): Promise<void> {
    if (this.#seen.has(id)) return;
    if (this.#cursor === undefined || isGreater(id, this.#cursor)) return this.catchUp();
    // Below the cursor yet unseen: it committed after a later id was caught up. Fetch it alone.
    try {
      this.ingest([await this.#api.message(id)]);
    } catch {
      // Not ours to see, or the network blinked; nothing to merge.
    }
  }

  #scheduleReconnect(): void {
    if (!this.#running) return;
    clearTimeout(this.#reconnectTimer);
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.#setStatus('offline'); // the `online` event reconnects
      return;
    }
    this.#setStatus('reconnecting');
    const delay = backoffDelay(this.#attempt, this.#backoff);
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => void this.#connect(), delay);
  }

  #reconnectNow(): void {
    if (!this.#running) return;
    clearTimeout(this.#reconnectTimer);
    this.#attempt = 0;
    void this.#connect();
  }

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    this.#heartbeatTimer = setInterval(() => this.#probe(), this.#heartbeatMs);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeatTimer);
    clearTimeout(this.#pongTimer);
    this.#heartbeatTimer = undefined;
    this.#pongTimer = undefined;
  }

  /** A socket can die silently (sleep, NAT timeout); an unanswered ping reveals it. */
  #probe(): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.#pongTimer) return;
    socket.send(JSON.stringify({ type: 'ping' }));
    this.#pongTimer = setTimeout(() => {
      this.#pongTimer = undefined;
      if (this.#socket === socket) this.#reconnectNow();
    }, this.#pongTimeoutMs);
  }

  #dropSocket(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#stopHeartbeat();
    if (socket && socket.readyState < WebSocket.CLOSING) socket.close(1000);
  }

  #endSession(): void {
    this.stop();
    this.emit('session-ended', undefined);
  }

  #setStatus(status: ConnectionStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.emit('status', status);
  }

  readonly #onOnline = (): void => {
    if (this.#status !== 'connected') this.#reconnectNow();
  };

  readonly #onOffline = (): void => {
    if (!this.#running) return;
    clearTimeout(this.#reconnectTimer);
    this.#dropSocket();
    this.#setStatus('offline');
  };

  readonly #onVisibility = (): void => {
    if (document.visibilityState !== 'visible' || !this.#running) return;
    if (this.#status === 'connected') {
      this.#probe();
      void this.catchUp();
    } else if (navigator.onLine !== false) this.#reconnectNow();
  };
}
