import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PresenceWatch } from '../client/presence.js';
import { base, t } from './theme.js';
import { WatchedUser } from './watched-user.js';

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

  #user = new WatchedUser(this);

  override willUpdate(): void {
    this.#user.sync();
    this.online = this.#user.entry?.online ?? false;
  }

  override render() {
    const entry = this.#user.entry;
    if (!entry) return nothing;
    return html`<span class="dot" part="dot" aria-hidden="true"></span><span class="visually-hidden">${entry.online ? ' online ' : ' offline '}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-presence-dot': McPresenceDot;
  }
}
