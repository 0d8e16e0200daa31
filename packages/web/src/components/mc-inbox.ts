import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { MessageCenterClient } from '../client/message-center-client.js';
import type { ConversationSummary } from '../client/types.js';
import { type ConversationSelectDetail, emit } from './events.js';
import { formatFull, formatShort } from './format.js';
import './mc-presence-dot.js';
import { Subscriptions } from './subscriptions.js';
import { base, pane, t } from './theme.js';

/**
 * The conversations of the signed-in person, most recent first, kept live.
 * @fires mc-conversation-select - `{ peer, unreadCount }` when a conversation is opened
 * @csspart list - the list
 * @csspart item - one conversation
 * @csspart badge - the unread count
 */
@customElement('mc-inbox')
export class McInbox extends LitElement {
  static override styles = [
    base,
    pane,
    css`
      ul {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        list-style: none;
        margin: 0;
        padding: 0.25rem 0.5rem 0.5rem;
      }
      button.item {
        display: flex;
        align-items: center;
        gap: 0.75em;
        width: 100%;
        text-align: start;
        border: 0;
        background: none;
        padding: 0.65em 0.6em;
        border-radius: 12px;
        cursor: pointer;
      }
      button.item:hover {
        background: ${t.bg};
      }
      button.item[aria-current='true'] {
        background: ${t.accentSoft};
      }
      .text {
        flex: 1;
        min-width: 0;
      }
      .top {
        display: flex;
        justify-content: space-between;
        gap: 0.5em;
        align-items: baseline;
      }
      .name {
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      time {
        flex: none;
        font-size: 0.78rem;
        color: ${t.muted};
      }
      .bottom {
        display: flex;
        justify-content: space-between;
        gap: 0.5em;
        align-items: center;
        margin-top: 0.15em;
      }
      .preview {
        font-size: 0.88rem;
        color: ${t.muted};
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .unread .preview {
        color: ${t.text};
        font-weight: 600;
      }
      .badge {
        flex: none;
        min-width: 1.5em;
        padding: 0.1em 0.45em;
        border-radius: 999px;
        background: ${t.accent};
        color: ${t.accentText};
        font-size: 0.75rem;
        font-weight: 700;
        text-align: center;
      }
      .empty {
        padding: 1.5rem 1rem;
        color: ${t.muted};
        text-align: center;
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) client: MessageCenterClient | undefined;
  /** Username of the open conversation, highlighted in the list. */
  @property() selected = '';

  @state() private items: ConversationSummary[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loaded = false;
  @state() private failed = false;

  #subscriptions = new Subscriptions();
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #loadingMore = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#subscriptions.clear();
    clearTimeout(this.#refreshTimer);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('client')) {
      this.#subscribe();
      this.items = [];
      this.loaded = false;
      void this.refresh();
    }
  }

  /** Reloads from the server, which owns unread counts; bursts of events coalesce into one request. */
  scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.refresh(), 120);
  }

  async refresh(): Promise<void> {
    if (!this.client) return;
    try {
      const page = await this.client.api.conversations({ limit: Math.min(100, Math.max(20, this.items.length)) });
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.failed = false;
    } catch {
      this.failed = true;
    } finally {
      this.loaded = true;
    }
  }

  override render() {
    if (!this.loaded) return html`<p class="empty">Loading conversations…</p>`;
    if (this.failed && this.items.length === 0) return html`<p class="empty" role="alert">Could not load conversations.</p>`;
    if (this.items.length === 0) return html`<p class="empty">No conversations yet. Find someone under “People” to start one.</p>`;
    return html`<ul part="list" aria-label="Conversations" @scroll=${this.onScroll}>
      ${repeat(
        this.items,
        (item) => item.peer.id,
        (item) => this.renderItem(item),
      )}
    </ul>`;
  }

  private renderItem(item: ConversationSummary) {
    const mine = item.lastMessage.sender !== item.peer.username;
    const unread = item.unreadCount > 0;
    const presence = this.client?.presence.get(item.peer.username);
    // The button's label replaces its content for screen readers, so the dot's words go in here.
    const status = presence ? `, ${presence.online ? 'online' : 'offline'}` : '';
    const label = `${item.peer.username}${status}${unread ? `, ${item.unreadCount} unread` : ''}`;
    return html`<li>
      <button
        class="item ${unread ? 'unread' : ''}"
        part="item"
        aria-current=${item.peer.username === this.selected ? 'true' : 'false'}
        aria-label=${label}
        data-peer=${item.peer.username}
        @click=${() => this.open(item)}
      >
        <span class="avatar-with-dot">
          <span class="avatar" aria-hidden="true">${item.peer.username.slice(0, 1)}</span>
          <mc-presence-dot .presence=${this.client?.presence} username=${item.peer.username}></mc-presence-dot>
        </span>
        <span class="text">
          <span class="top">
            <span class="name">${item.peer.username}</span>
            <time datetime=${item.lastMessage.createdAt} title=${formatFull(item.lastMessage.createdAt)}>${formatShort(item.lastMessage.createdAt)}</time>
          </span>
          <span class="bottom">
            <span class="preview">${mine ? 'You: ' : ''}${item.lastMessage.body}</span>
            ${unread ? html`<span class="badge" part="badge" aria-hidden="true">${item.unreadCount > 99 ? '99+' : item.unreadCount}</span>` : nothing}
          </span>
        </span>
      </button>
    </li>`;
  }

  private open(item: ConversationSummary): void {
    emit<ConversationSelectDetail>(this, 'mc-conversation-select', { peer: item.peer, unreadCount: item.unreadCount });
  }

  private async onScroll(event: Event): Promise<void> {
    const list = event.currentTarget as HTMLElement;
    if (!this.client || this.#loadingMore || this.nextCursor === null) return;
    if (list.scrollTop + list.clientHeight < list.scrollHeight - 80) return;
    this.#loadingMore = true;
    try {
      const page = await this.client.api.conversations({ cursor: this.nextCursor });
      const known = new Set(this.items.map((item) => item.peer.id));
      this.items = [...this.items, ...page.items.filter((item) => !known.has(item.peer.id))];
      this.nextCursor = page.nextCursor;
    } finally {
      this.#loadingMore = false;
    }
  }

  #subscribe(): void {
    const client = this.client;
    this.#subscriptions.replace(
      client && this.isConnected
        ? [
            client.realtime.on('message', () => this.scheduleRefresh()),
            client.realtime.on('read', () => this.scheduleRefresh()),
            client.realtime.on('status', (status) => {
              if (status === 'connected') this.scheduleRefresh();
            }),
            // Each row's accessible name says whether that peer is online.
            client.presence.on('change', () => this.requestUpdate()),
          ]
        : [],
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-inbox': McInbox;
  }
}
