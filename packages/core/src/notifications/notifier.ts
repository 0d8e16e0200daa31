import type { Notification } from './events.js';

/**
 * Tells every process that holds connections. Delivery is a hint, the store is
 * the truth: `publish` resolves once the notification is handed on and never
 * rejects for a transport failure (the adapter reports those itself), so a
 * committed send is never turned into an error by a broker blip.
 */
export interface Notifier {
  publish(notification: Notification): Promise<void>;
}

/**
 * The connections of this process. The WebSocket adapter implements it; a
 * notifier, in-process or over a broker, hands it what it receives.
 */
export interface LocalDelivery {
  deliver(notification: Notification): void;
}
