import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PresenceWatch } from '../client/presence.js';
import type { PresenceEntry } from '../client/types.js';
import { presenceText } from './presence-text.js';
import { Subscriptions } from './subscriptions.js';
import { base, t } from './theme.js';

/**
 * "online" or "last seen 5 min ago" for one user, kept current while on the
 * page (it watches that user, and re-reads the clock every 30 s).
 * @csspart text - the status text
 */
@customElement('mc-presence-status')
export class McPresenceStatus extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        font-size: 0.8rem;
        color: ${t.muted};
        min-height: 1.2em;
      }
      :host([online]) {
        color: ${t.success};
      }
    `,
  ];

  @property({ attribute: false }) presence: PresenceWatch | undefined;
  @property() username = '';
  /** Reflects the user's state; set by the element, not by the page. */
  @property({ type: Boolean, reflect: true }) online = false;

  @state() private entry: PresenceEntry | undefined;
  @state() private now = Date.now();

  #subscriptions = new Subscriptions();
  #clock: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#watch();
    this.#clock = setInterval(() => {
      this.now = Date.now();
    }, 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#subscriptions.clear();
    clearInterval(this.#clock);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('presence') || changed.has('username')) && this.isConnected) this.#watch();
    this.online = this.entry?.online ?? false;
  }

  override render() {
    return html`<span part="text">${presenceText(this.entry, this.now)}</span>`;
  }

  #watch(): void {
    const presence = this.presence;
    if (!presence || !this.username) {
      this.#subscriptions.clear();
      return;
    }
    const key = this.username.toLowerCase();
    this.entry = presence.get(this.username);
    this.#subscriptions.replace([
      presence.watch([this.username]),
      presence.on('change', (entry) => {
        if (entry.username.toLowerCase() !== key) return;
        this.entry = entry;
        this.now = Date.now();
      }),
    ]);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-presence-status': McPresenceStatus;
  }
}
