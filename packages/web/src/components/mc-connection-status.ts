import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionStatus } from '../client/types.js';
import { base, t } from './theme.js';

const LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/**
 * Shows whether live updates are flowing.
 * @csspart dot - the coloured status dot
 * @csspart label - the status text
 */
@customElement('mc-connection-status')
export class McConnectionStatus extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 0.4em;
        font-size: 0.8rem;
        color: ${t.muted};
      }
      .dot {
        width: 0.6em;
        height: 0.6em;
        border-radius: 50%;
        background: ${t.warning};
      }
      :host([status='connected']) .dot {
        background: ${t.success};
      }
      :host([status='offline']) .dot {
        background: ${t.danger};
      }
      :host([status='reconnecting']) .dot,
      :host([status='connecting']) .dot {
        animation: pulse 1.2s ease-in-out infinite;
      }
      @keyframes pulse {
        50% {
          opacity: 0.3;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .dot {
          animation: none !important;
        }
      }
    `,
  ];

  @property({ reflect: true }) status: ConnectionStatus = 'connecting';

  override render() {
    return html`<span class="dot" part="dot" aria-hidden="true"></span
      ><span part="label" role="status" aria-live="polite">${LABELS[this.status]}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-connection-status': McConnectionStatus;
  }
}
