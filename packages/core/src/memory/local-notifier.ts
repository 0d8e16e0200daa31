import type { Notification } from '../notifications/events.js';
import type { LocalDelivery, Notifier } from '../notifications/notifier.js';

export interface LocalNotifierOptions {
  /** Told when delivery throws; `publish` itself never rejects. */
  readonly onError?: (error: unknown, notification: Notification) => void;
}

/** The notifier of a single process: what it publishes goes straight to its own connections. */
export class LocalNotifier implements Notifier {
  constructor(
    private readonly delivery: LocalDelivery,
    private readonly options: LocalNotifierOptions = {},
  ) {}

  async publish(notification: Notification): Promise<void> {
    try {
      this.delivery.deliver(notification);
    } catch (error) {
      try {
        this.options.onError?.(error, notification);
      } catch {
        // A failing error reporter must not turn a committed send into a failure either.
      }
    }
  }
}

/** For applications with no connections to deliver to, such as a CLI. */
export const noDelivery: LocalDelivery = { deliver: () => {} };
