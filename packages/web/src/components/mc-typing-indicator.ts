import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TypingWatch } from '../client/typing.js';
import { Subscriptions } from './subscriptions.js';
import { base, t } from './theme.js';

/**
 * "alice is typing…" while `username` types to this user: shown until 6 s
 * pass without another `typing` frame or a message from them arrives. Polite
 * live region, so a screen reader says it once without interrupting.
 * @csspart text - the sentence
 */
@customElement('mc-typing-indicator')
export class McTypingIndicator extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        min-height: 1.6em;
        padding: 0.15rem 1rem;
        font-size: 0.8rem;
        font-style: italic;
        color: ${t.muted};
      }
    `,
  ];

  /** Where typing comes from: the client's `typing`. */
  @property({ attribute: false }) typing: TypingWatch | undefined;
  @property() username = '';
  /** Reflects whether the user is typing now; set by the element, not by the page. */
  @property({ type: Boolean, reflect: true }) active = false;

  #subscriptions = new Subscriptions();

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#subscriptions.clear();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('typing') || changed.has('username')) && this.isConnected) this.#listen();
  }

  override render() {
    return html`<div role="status" aria-live="polite">${this.active ? html`<span part="text">${this.username} is typing…</span>` : nothing}</div>`;
  }

  #listen(): void {
    const typing = this.typing;
    this.active = !!this.username && (typing?.isTyping(this.username) ?? false);
    if (!typing) {
      this.#subscriptions.clear();
      return;
    }
    this.#subscriptions.replace([
      typing.on('change', (change) => {
        if (change.username.toLowerCase() === this.username.toLowerCase()) this.active = change.typing;
      }),
    ]);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-typing-indicator': McTypingIndicator;
  }
}
