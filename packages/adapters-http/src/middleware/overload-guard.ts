import { performance } from 'node:perf_hooks';
import type { Context, MiddlewareHandler } from 'hono';
import { problemOf, problemResponse } from '../problems/problem.js';

export interface OverloadBounds {
  /** Event-loop delay (smoothed) above which new requests are refused (reads: see `OverloadGate.refuses`). */
  readonly maxEventLoopDelayMs: number;
  /** API requests being answered at once above which new ones are refused (reads: see `OverloadGate.refuses`). */
  readonly maxInFlight: number;
  /** Whole seconds a refused client is asked to wait. */
  readonly retryAfterSeconds?: number;
}

/**
 * Tight enough that what is accepted stays fast (API.md: accepted sends well
 * under 250 ms past capacity). Every request waits for the event loop's delay
 * before any of its own work, so a bound of 1 s let accepted requests wait
 * seconds. Requests in flight mostly wait for one of the 16 pooled database
 * connections: 128 of them meant a queue of more than a hundred behind those
 * 16 (about half a second at this server's few hundred sends a second);
 * 32 is two per connection.
 */
export const DEFAULT_OVERLOAD_BOUNDS: OverloadBounds = { maxEventLoopDelayMs: 100, maxInFlight: 32, retryAfterSeconds: 1 };

/** How often the event loop is sampled: a bound of tens of milliseconds needs samples finer than it. */
const SAMPLE_EVERY_MS = 10;

/** Each on-time sample keeps this much of the figure: a stall fades within about 100 ms. */
const DECAY = 0.8;

/**
 * Measures how late the event loop runs a timer, as far as this process's own
 * work made it late. A loop that cannot keep up runs every callback late, so
 * the lateness is the queueing delay every new request would meet. A late
 * sample counts at once; the figure then fades over a few samples, so the
 * requests that queued behind a stall (and are answered over several turns of
 * the loop) all meet it.
 *
 * Lateness is weighed by the loop's utilization over the same interval: a loop
 * that was busy the whole time is late because of its own work, which refusing
 * new requests relieves; a loop that was idle and woke late was starved by other
 * processes on the machine, which refusing cannot relieve, and which would
 * otherwise refuse an idle server's few requests on any busy machine.
 */
export class EventLoopDelay {
  private smoothed = 0;
  private last = performance.now();
  private lastUse = performance.eventLoopUtilization();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => {
      const now = performance.now();
      const use = performance.eventLoopUtilization();
      const late = Math.max(0, now - this.last - SAMPLE_EVERY_MS);
      const busy = performance.eventLoopUtilization(use, this.lastUse).utilization;
      this.last = now;
      this.lastUse = use;
      this.smoothed = Math.max(late * busy, this.smoothed * DECAY);
    }, SAMPLE_EVERY_MS);
    // Measuring must not keep an otherwise finished process alive.
    this.timer.unref();
  }

  /**
   * The smoothed delay. A loop held busy runs this sampler, a timer, before the
   * requests that queued meanwhile (timers come before I/O in each turn), so they meet the new figure.
   */
  get ms(): number {
    return this.smoothed;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

let shared: EventLoopDelay | undefined;

/** One sampler per process, however many apps it serves. */
export function eventLoopDelay(): EventLoopDelay {
  shared ??= new EventLoopDelay();
  return shared;
}

/**
 * Whether this process should refuse new API requests now, and how many it is
 * answering. One per app; the Hono guard and the Node-level early refusal read the same one.
 */
export class OverloadGate {
  inFlight = 0;
  readonly retryAfter: string;

  constructor(
    readonly bounds: OverloadBounds,
    private readonly delay: { readonly ms: number },
  ) {
    this.retryAfter = String(bounds.retryAfterSeconds ?? DEFAULT_OVERLOAD_BOUNDS.retryAfterSeconds);
  }

  /**
   * Whether a new request with this method is refused now. Past capacity, new
   * sends arrive far faster than anything else, and with one bound for all they
   * would take every place that frees up: the recipient's GET of a message it
   * was just told of, the work that finishes a send already accepted, would be
   * refused and come back a `Retry-After` later. So the bounds stop writes, and
   * reads (GET, HEAD: WebSocket handshakes too) only at `READ_HEADROOM` times
   * the bounds (measured at 4,000 sends a second offered: with twice, 2 % of
   * the recipients' GETs were still refused; with three times, none).
   */
  refuses(method: string): boolean {
    const headroom = method === 'GET' || method === 'HEAD' ? READ_HEADROOM : 1;
    return this.inFlight >= this.bounds.maxInFlight * headroom || this.delay.ms > this.bounds.maxEventLoopDelayMs * headroom;
  }
}

/** How many times the bounds a read may go past before it too is refused. */
export const READ_HEADROOM = 3;

/** Preflights (`OPTIONS`) carry no work, CORS answers them: never refused, never counted in flight. */
export const exemptFromOverload = (method: string): boolean => method === 'OPTIONS';

export const OVERLOADED_DETAIL = 'The server is overloaded; try again shortly.';

/**
 * Refuses new API requests at once with 503 `unavailable` and `Retry-After`
 * when the process cannot keep up (API.md, "Limits and overload"): a refusal
 * costs next to nothing, so the requests already accepted stay fast. Mounted
 * on the API only, so `/healthz` still answers.
 */
export function overloadGuard(
  gate: OverloadGate,
  /** What a refusal is sent as: e.g. with CORS headers. */
  send: (c: Context, refusal: Response) => Response | Promise<Response> = (_c, refusal) => refusal,
): MiddlewareHandler {
  return async function overloadGuard(c, next) {
    if (gate.refuses(c.req.method)) {
      const refusal = problemResponse({
        problem: problemOf('unavailable', OVERLOADED_DETAIL),
        headers: { 'Retry-After': gate.retryAfter },
      });
      return send(c, refusal);
    }
    gate.inFlight++;
    try {
      await next();
    } finally {
      gate.inFlight--;
    }
  };
}
