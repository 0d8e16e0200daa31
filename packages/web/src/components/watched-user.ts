import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PresenceWatch } from '../client/presence.js';
import type { PresenceEntry } from '../client/types.js';
import { Subscriptions } from './subscriptions.js';

/** An element that shows one user's presence, from the client's `presence`. */
export interface WatchedUserHost extends ReactiveControllerHost {
  readonly presence: PresenceWatch | undefined;
  readonly username: string;
  readonly isConnected: boolean;
}

/**
 * Watches the host's one user while the host is on the page, so that only
 * users on screen are watched, and re-renders the host when that user comes
 * or goes. The host calls `sync()` in `willUpdate`, where its `presence` and
 * `username` may just have changed.
 */
export class WatchedUser implements ReactiveController {
  /** The user's last known state; undefined until the server has said. */
  entry: PresenceEntry | undefined;
  #subscriptions = new Subscriptions();
  #watching: { presence: PresenceWatch; username: string } | undefined;

  constructor(
    private readonly host: WatchedUserHost,
    private readonly onChange: () => void = () => {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.#subscriptions.clear();
    this.#watching = undefined;
  }

  sync(): void {
    const { presence, username } = this.host;
    if (!this.host.isConnected) return;
    const watching = this.#watching;
    if (watching && watching.presence === presence && watching.username === username) return;
    if (!presence || !username) {
      this.hostDisconnected();
      this.entry = undefined;
      return;
    }
    const key = username.toLowerCase();
    this.#watching = { presence, username };
    this.entry = presence.get(username);
    this.#subscriptions.replace([
      presence.watch([username]),
      presence.on('change', (entry) => {
        if (entry.username.toLowerCase() !== key) return;
        this.entry = entry;
        this.onChange();
        this.host.requestUpdate();
      }),
    ]);
  }
}
