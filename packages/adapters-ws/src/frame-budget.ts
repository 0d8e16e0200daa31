/** The two numbers of a token bucket, kept on the connection itself. */
export interface Budgeted {
  tokens: number;
  toppedUpAt: number;
}

/**
 * `perSecond` frames per second sustained, bursts up to twice that (API.md's
 * `WS_FRAME_RATE`): a token bucket refilled lazily when a frame arrives, so
 * the accounting is two numbers and a subtraction, never a timer.
 */
export class FrameBudget {
  readonly burst: number;
  private readonly perMs: number;

  constructor(perSecond: number) {
    this.burst = 2 * perSecond;
    this.perMs = perSecond / 1000;
  }

  /** Spends one frame; `false` once the sender is past the rate. */
  spend(budget: Budgeted, now: number): boolean {
    const tokens = Math.min(this.burst, budget.tokens + (now - budget.toppedUpAt) * this.perMs);
    budget.toppedUpAt = now;
    if (tokens < 1) {
      budget.tokens = tokens;
      return false;
    }
    budget.tokens = tokens - 1;
    return true;
  }
}
