import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PresenceWatch } from '../client/presence.js';
import { presenceText } from './presence-text.js';
import { base, t } from './theme.js';
import { WatchedUser } from './watched-user.js';

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

  @state() private now = Date.now();

  #user = new WatchedUser(this, () => {
    this.now = Date.now();
  });
  #clock: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => {
      this.now = Date.now();
    }, 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
  }

  override willUpdate(): void {
    this.#user.sync();
    this.online = this.#user.entry?.online ?? false;
  }

  override render() {
    return html`<span part="text">${presenceText(this.#user.entry, this.now)}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-presence-status': McPresenceStatus;
  }
}
