/** What the expiry watch reads and writes on each connection. */
export interface Expiring {
  /** When to ask the store about the session (ms since the epoch); `Infinity` while asking. */
  checkAt: number;
}

/** setTimeout's longest delay; a later check simply arms again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * An expiring session publishes nothing, so without this its sockets would
 * outlive it. One timer, armed for the soonest `checkAt` of all connections,
 * asks the store about each session that is due (the store is the clock that
 * counts); a session it still calls live is asked again `retryMs` later, should
 * this process's clock run ahead of the store's.
 */
export class SessionExpiry<C extends Expiring> {
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly connections: () => Iterable<C>,
    /** Resolves `true` when the session holds; otherwise it has closed the connection itself. */
    private readonly ask: (connection: C) => Promise<boolean>,
    private readonly retryMs: number,
  ) {}

  watch(connection: C): void {
    if (connection.checkAt < this.armedFor) this.arm(connection.checkAt);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(at: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.sweep(), Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS));
    // A watch alone must not keep a finished process alive.
    this.timer.unref();
  }

  private sweep(): void {
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const connection of this.connections()) {
      if (connection.checkAt <= now) void this.check(connection);
      else if (connection.checkAt < next) next = connection.checkAt;
    }
    if (next < this.armedFor) this.arm(next);
  }

  private async check(connection: C): Promise<void> {
    connection.checkAt = Number.POSITIVE_INFINITY;
    if (!(await this.ask(connection))) return;
    connection.checkAt = Date.now() + this.retryMs;
    this.watch(connection);
  }
}
