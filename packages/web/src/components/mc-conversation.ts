import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { compareIds, isGreater } from '../client/ids.js';
import type { MessageCenterClient } from '../client/message-center-client.js';
import type { OutboxEntry } from '../client/outbox.js';
import type { Message, ReadEvent, User } from '../client/types.js';
import { dayKey, formatDay, formatFull, formatTime } from './format.js';
import { Subscriptions } from './subscriptions.js';
import { base, pane, t } from './theme.js';

type Row =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'marker'; key: string }
  | { kind: 'message'; key: string; message: Message; own: boolean; last: boolean }
  | { kind: 'pending'; key: string; entry: OutboxEntry };

/** How close to an edge, in pixels, still counts as being at it. */
const EDGE = 48;

/**
 * One conversation: the latest page first, older pages as one scrolls up (the view
 * stays put), live messages, a “new messages” marker, read state. It marks the
 * conversation read while it is on screen and scrolled to the latest message.
 * @csspart messages - the scrolling message list
 * @csspart bubble - every message bubble
 * @csspart own - bubbles of the signed-in person
 * @csspart peer - bubbles of the other person
 * @csspart marker - the “new messages” divider
 * @csspart day - the day separators
 */
@customElement('mc-conversation')
export class McConversation extends LitElement {
  static override styles = [
    base,
    pane,
    css`
      :host {
        position: relative;
        background: ${t.bg};
      }
      .scroller {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        overflow-anchor: none;
        padding: 1rem clamp(0.75rem, 3vw, 2rem) 0.5rem;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 0.2rem;
      }
      li.message,
      li.pending {
        display: flex;
        flex-direction: column;
        align-items: flex-start;
        max-width: min(38rem, 85%);
      }
      li.own {
        align-self: flex-end;
        align-items: flex-end;
      }
      .bubble {
        padding: 0.5em 0.85em;
        border-radius: 18px 18px 18px 6px;
        background: ${t.peerBg};
        color: ${t.peerText};
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        line-height: 1.4;
      }
      .own .bubble {
        border-radius: 18px 18px 6px 18px;
        background: ${t.ownBg};
        color: ${t.ownText};
      }
      .pending .bubble {
        opacity: 0.65;
      }
      .failed .bubble {
        opacity: 1;
        background: ${t.surface};
        color: ${t.text};
        border: 1px solid ${t.danger};
      }
      .meta {
        font-size: 0.72rem;
        color: ${t.muted};
        margin: 0.15rem 0.4rem 0.45rem;
        display: flex;
        gap: 0.5em;
        align-items: center;
      }
      .meta .failed-text {
        color: ${t.danger};
        font-weight: 600;
      }
      .meta button {
        border: 0;
        background: none;
        padding: 0.1em 0.3em;
        color: ${t.accent};
        font-weight: 600;
        cursor: pointer;
        text-decoration: underline;
        font-size: inherit;
      }
      li.day,
      li.marker {
        display: flex;
        align-items: center;
        gap: 0.75em;
        margin: 0.75rem 0 0.5rem;
        font-size: 0.75rem;
        font-weight: 600;
        color: ${t.muted};
      }
      li.day::before,
      li.day::after,
      li.marker::before,
      li.marker::after {
        content: '';
        flex: 1;
        height: 1px;
        background: ${t.border};
      }
      li.marker {
        color: ${t.danger};
      }
      li.marker::before,
      li.marker::after {
        background: ${t.danger};
        opacity: 0.5;
      }
      .older {
        display: flex;
        justify-content: center;
        margin-bottom: 0.5rem;
        min-height: 2.4em;
      }
      .state {
        margin: auto;
        padding: 2rem 1rem;
        text-align: center;
        color: ${t.muted};
      }
      .jump {
        position: absolute;
        inset-inline-end: 1rem;
        bottom: 1rem;
        border-radius: 999px;
        box-shadow: 0 4px 14px rgb(20 26 42 / 0.2);
      }
    `,
  ];

  @property({ attribute: false }) client: MessageCenterClient | undefined;
  @property({ attribute: false }) me: User | undefined;
  @property({ attribute: false }) peer: User | undefined;
  /** Unread count when the conversation is opened: places the “new messages” marker. */
  @property({ type: Number, attribute: 'unread-count' }) unreadCount = 0;
  /** Page size; omitted, the server's own default (`MESSAGES_TO_LOAD`) applies. */
  @property({ type: Number, attribute: 'page-size' }) pageSize: number | undefined;

  @state() private messages: Message[] = [];
  @state() private olderCursor: string | null = null;
  @state() private loadingOlder = false;
  @state() private loaded = false;
  @state() private failed = false;
  @state() private pending: OutboxEntry[] = [];
  @state() private peerReadId: string | undefined;
  @state() private markerId: string | undefined;
  @state() private unseenBelow = false;
  @state() private announcement = '';

  @query('.scroller') private scroller!: HTMLElement;

  #ids = new Set<string>();
  #loadedFor = '';
  #readSent: string | undefined;
  #wasAtBottom = true;
  #scrollToBottom = false;
  #subscriptions = new Subscriptions();
  #generation = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#subscribe();
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#subscriptions.clear();
    document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client')) this.#subscribe();
    const key = this.client && this.peer && this.me ? `${this.me.username}\n${this.peer.username}` : '';
    if (key !== this.#loadedFor) {
      this.#loadedFor = key;
      this.#reset();
      if (key) void this.#loadLatest();
    }
    this.#wasAtBottom = this.scroller ? this.#isAtBottom() : true;
  }

  override updated(): void {
    if (this.#scrollToBottom || (this.#wasAtBottom && this.loaded)) {
      this.#scrollToBottom = false;
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }
    this.#maybeMarkRead();
  }

  override render() {
    if (!this.peer) return html`<p class="state">Choose a conversation, or find someone under “People”.</p>`;
    const peerName = this.peer.username;
    return html`
      <div class="scroller" part="messages" tabindex="0" aria-label="Messages with ${peerName}" @scroll=${this.#onScroll}>
        ${this.renderOlder()}
        ${
          this.loaded && this.messages.length === 0 && this.pending.length === 0
            ? html`<p class="state">No messages yet. Say hello to ${peerName}!</p>`
            : nothing
        }
        ${this.failed ? html`<p class="state" role="alert">Could not load messages. <button class="button ghost" @click=${() => this.#loadLatest()}>Retry</button></p>` : nothing}
        <ol aria-label="Messages">
          ${repeat(
            this.#rows(),
            (row) => row.key,
            (row) => this.renderRow(row),
          )}
        </ol>
      </div>
      ${this.unseenBelow ? html`<button class="button jump" @click=${this.#jumpToLatest}>↓ New messages</button>` : nothing}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  private renderOlder() {
    if (!this.loaded || this.olderCursor === null) return nothing;
    return html`<div class="older">
      <button class="button ghost" ?disabled=${this.loadingOlder} @click=${() => this.#loadOlder()}>
        ${this.loadingOlder ? 'Loading…' : 'Load earlier messages'}
      </button>
    </div>`;
  }

  private renderRow(row: Row) {
    switch (row.kind) {
      case 'day':
        return html`<li class="day" part="day">${row.label}</li>`;
      case 'marker':
        return html`<li class="marker" part="marker" id="new-messages">New messages</li>`;
      case 'message': {
        const { message, own } = row;
        const seen = own && row.last && this.peerReadId !== undefined && !isGreater(message.id, this.peerReadId);
        return html`<li class="message ${own ? 'own' : 'peer'}" data-id=${message.id}>
          <span class="visually-hidden">${own ? 'You' : message.sender}:</span>
          <div class="bubble" part="bubble ${own ? 'own' : 'peer'}">${message.body}</div>
          <div class="meta">
            <time datetime=${message.createdAt} title=${formatFull(message.createdAt)}>${formatTime(message.createdAt)}</time>
            ${own && row.last ? html`<span class="receipt">${seen ? 'Seen' : 'Sent'}</span>` : nothing}
          </div>
        </li>`;
      }
      case 'pending': {
        const { entry } = row;
        const failed = entry.status === 'failed';
        return html`<li class="pending own ${failed ? 'failed' : ''}" data-client-id=${entry.clientId}>
          <span class="visually-hidden">You:</span>
          <div class="bubble" part="bubble own">${entry.body}</div>
          <div class="meta">
            ${
              failed
                ? html`<span class="failed-text" role="alert">Not sent${entry.error?.detail ? `: ${entry.error.detail}` : ''}.</span>
                  <button @click=${() => this.client?.outbox.retry(entry.clientId)}>Retry</button>
                  <button @click=${() => this.client?.outbox.discard(entry.clientId)}>Discard</button>`
                : html`<span>Sending…</span>`
            }
          </div>
        </li>`;
      }
    }
  }

  #rows(): Row[] {
    const rows: Row[] = [];
    let lastDay = '';
    const me = this.me?.username;
    let lastOwnIndex = -1;
    this.messages.forEach((message, index) => {
      if (message.sender === me) lastOwnIndex = index;
    });
    this.messages.forEach((message, index) => {
      const day = dayKey(message.createdAt);
      if (day !== lastDay) {
        rows.push({ kind: 'day', key: `day-${day}`, label: formatDay(message.createdAt) });
        lastDay = day;
      }
      if (message.id === this.markerId) rows.push({ kind: 'marker', key: 'marker' });
      rows.push({ kind: 'message', key: message.id, message, own: message.sender === me, last: index === lastOwnIndex });
    });
    for (const entry of this.pending) rows.push({ kind: 'pending', key: `pending-${entry.clientId}`, entry });
    return rows;
  }

  #reset(): void {
    this.#generation++;
    this.messages = [];
    this.#ids = new Set();
    this.olderCursor = null;
    this.loaded = false;
    this.failed = false;
    this.loadingOlder = false;
    this.peerReadId = undefined;
    this.markerId = undefined;
    this.unseenBelow = false;
    this.announcement = '';
    this.#readSent = undefined;
    this.pending = this.#pendingFor(this.client?.outbox.entries ?? []);
  }

  async #loadLatest(): Promise<void> {
    const { client, peer } = this;
    if (!client || !peer) return;
    const generation = this.#generation;
    this.failed = false;
    try {
      const page = await client.api.history(peer.username, this.pageSize === undefined ? {} : { limit: this.pageSize });
      if (generation !== this.#generation) return;
      this.#merge(page.items);
      this.olderCursor = page.nextCursor;
      this.markerId = this.#initialMarker();
      this.loaded = true;
      this.#scrollToBottom = true;
      if (this.markerId) void this.#revealMarker();
    } catch {
      if (generation === this.#generation) this.failed = true;
    }
  }

  async #loadOlder(): Promise<void> {
    const { client, peer } = this;
    if (!client || !peer || this.loadingOlder || this.olderCursor === null) return;
    const generation = this.#generation;
    this.loadingOlder = true;
    try {
      const page = await client.api.history(peer.username, {
        before: this.olderCursor,
        ...(this.pageSize === undefined ? {} : { limit: this.pageSize }),
      });
      if (generation !== this.#generation) return;
      // Keep the message under the reader's eyes where it is: measure from the bottom.
      const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
      this.#merge(page.items);
      this.olderCursor = page.nextCursor;
      this.loadingOlder = false;
      await this.updateComplete;
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    } catch {
      // The button stays; pressing it or scrolling again retries.
    } finally {
      if (generation === this.#generation) this.loadingOlder = false;
    }
  }

  #initialMarker(): string | undefined {
    if (this.unreadCount <= 0) return undefined;
    const fromPeer = this.messages.filter((message) => message.sender === this.peer?.username);
    return fromPeer[Math.max(0, fromPeer.length - this.unreadCount)]?.id;
  }

  async #revealMarker(): Promise<void> {
    await this.updateComplete;
    const marker = this.renderRoot.querySelector('#new-messages');
    if (!marker || this.scroller.scrollHeight <= this.scroller.clientHeight) return;
    // By hand rather than scrollIntoView, which would scroll the host page too.
    const offset = marker.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top;
    this.scroller.scrollTop += offset - 16;
  }

  /** Adds messages not yet shown, keeping id order; returns those that were new. */
  #merge(incoming: readonly Message[]): Message[] {
    const fresh = incoming.filter((message) => !this.#ids.has(message.id));
    if (fresh.length === 0) return fresh;
    for (const message of fresh) this.#ids.add(message.id);
    this.messages = [...this.messages, ...fresh].sort((a, b) => compareIds(a.id, b.id));
    return fresh;
  }

  #onLiveMessage(message: Message): void {
    const me = this.me?.username;
    const peer = this.peer?.username;
    if (!me || !peer) return;
    const ours = (message.sender === me && message.recipient === peer) || (message.sender === peer && message.recipient === me);
    if (!ours || this.#merge([message]).length === 0) return;
    if (message.sender === me) {
      this.markerId = undefined;
      this.#scrollToBottom = true;
      return;
    }
    this.announcement = `New message from ${peer}: ${message.body}`;
    const watching = document.visibilityState === 'visible' && this.#isAtBottom();
    if (!watching) {
      this.markerId ??= message.id;
      if (!this.#isAtBottom()) this.unseenBelow = true;
    }
  }

  #onRead(event: ReadEvent): void {
    if (event.reader !== this.peer?.username || event.peer !== this.me?.username) return;
    if (this.peerReadId === undefined || isGreater(event.lastReadId, this.peerReadId)) this.peerReadId = event.lastReadId;
  }

  #pendingFor(entries: readonly OutboxEntry[]): OutboxEntry[] {
    return entries.filter((entry) => entry.recipient === this.peer?.username);
  }

  #onOutbox(entries: readonly OutboxEntry[]): void {
    const next = this.#pendingFor(entries);
    if (next.some((entry) => !this.pending.some((known) => known.clientId === entry.clientId))) this.#scrollToBottom = true;
    this.pending = next;
  }

  #isAtBottom(): boolean {
    const s = this.scroller;
    return !s || s.scrollHeight - s.scrollTop - s.clientHeight <= EDGE;
  }

  /** Read means seen: the tab is visible, the element is on screen and the latest message is in view. */
  #maybeMarkRead(): void {
    const { client, peer } = this;
    if (!client || !peer || !this.loaded || document.visibilityState !== 'visible') return;
    if (!this.#isAtBottom() || (typeof this.checkVisibility === 'function' && !this.checkVisibility())) return;
    const latestFromPeer = this.messages.findLast((message) => message.sender === peer.username);
    if (!latestFromPeer || (this.#readSent !== undefined && !isGreater(latestFromPeer.id, this.#readSent))) return;
    const lastId = this.messages.at(-1)?.id ?? latestFromPeer.id;
    this.#readSent = lastId;
    client.api.markRead(peer.username, lastId).catch(() => {
      // Retried on the next scroll, message or visibility change.
      if (this.#readSent === lastId) this.#readSent = undefined;
    });
  }

  #onScroll = (): void => {
    if (this.scroller.scrollTop <= EDGE) void this.#loadOlder();
    if (this.#isAtBottom()) this.unseenBelow = false;
    this.#maybeMarkRead();
  };

  #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#maybeMarkRead();
  };

  #jumpToLatest = (): void => {
    this.unseenBelow = false;
    this.scroller.scrollTo({ top: this.scroller.scrollHeight });
    this.scroller.focus();
  };

  #subscribe(): void {
    const client = this.client;
    this.#subscriptions.replace(
      client && this.isConnected
        ? [
            client.realtime.on('message', (message) => this.#onLiveMessage(message)),
            client.realtime.on('read', (event) => this.#onRead(event)),
            client.outbox.on('change', (entries) => this.#onOutbox(entries)),
          ]
        : [],
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-conversation': McConversation;
  }
}
