import type { Background } from '../shared/background.js';

/**
 * Runs each task on its own promise, after the current call stack, and
 * keeps count: `settled()` lets tests and shutdown wait for what is running.
 */
export class BackgroundTasks implements Background {
  private readonly pending = new Set<Promise<void>>();
  private failed = 0;

  constructor(private readonly onError: (label: string, error: unknown) => void = () => {}) {}

  run(label: string, task: () => Promise<void>): void {
    const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((error: unknown) => {
        this.failed++;
        this.onError(label, error);
      })
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
  }

  /** Tasks that failed so far. */
  get failures(): number {
    return this.failed;
  }

  /** Resolves once every task started so far (and any they started) has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
