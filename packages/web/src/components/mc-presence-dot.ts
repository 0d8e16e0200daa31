import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PresenceWatch } from '../client/presence.js';
import type { PresenceEntry } from '../client/types.js';
import { Subscriptions } from './subscriptions.js';
import { base, t } from './theme.js';

/**
 * A dot for a user's avatar: filled when online, hollow when not, and said as
 * text ("online" / "offline") to screen readers, never by colour alone. While
 * it is on the page it watches its user, so only users on screen are watched.
 * @csspart dot - the dot
 * @cssprop --mc-success - the colour of an online dot
 */
@customElement('mc-presence-dot')
export class McPresenceDot extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: inline-block;
        line-height: 0;
      }
      .dot {
        display: inline-block;
        width: 0.7em;
        height: 0.7em;
        border-radius: 50%;
        box-sizing: border-box;
        border: 2px solid ${t.muted};
        background: ${t.surface};
        box-shadow: 0 0 0 2px ${t.surface};
      }
      :host([online]) .dot {
        border-color: ${t.success};
        background: ${t.success};
      }
    `,
  ];

  /** Where presence comes from: the client's `presence`. */
  @property({ attribute: false }) presence: PresenceWatch | undefined;
  @property() username = '';
  /** Reflects the user's state, for styling from outside; set by the element, not by the page. */
  @property({ type: Boolean, reflect: true }) online = false;

  @state() private entry: PresenceEntry | undefined;

  #subscriptions = new Subscriptions();

  override connectedCallback(): void {
    super.connectedCallback();
    this.#watch();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#subscriptions.clear();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('presence') || changed.has('username')) && this.isConnected) this.#watch();
    this.online = this.entry?.online ?? false;
  }

  override render() {
    if (!this.entry) return nothing;
    return html`<span class="dot" part="dot" aria-hidden="true"></span><span class="visually-hidden">${this.entry.online ? ' online ' : ' offline '}</span>`;
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
        if (entry.username.toLowerCase() === key) this.entry = entry;
      }),
    ]);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-presence-dot': McPresenceDot;
  }
}
