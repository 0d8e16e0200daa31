import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../client/api-client.js';
import type { PresenceWatch } from '../client/presence.js';
import type { User } from '../client/types.js';
import { emit, type UserSelectDetail } from './events.js';
import { base, pane, t } from './theme.js';
import './mc-presence-dot.js';

/**
 * Everyone else on the server, searchable by username prefix, paged by scrolling.
 * Keyboard: type to search, ↑/↓ to move, Enter to open.
 * @fires mc-user-select - `{ user }` when a person is chosen
 * @csspart search - the search input
 * @csspart list - the result list
 * @csspart option - one person
 */
@customElement('mc-user-list')
export class McUserList extends LitElement {
  static override styles = [
    base,
    pane,
    css`
      .search {
        padding: 0.75rem;
      }
      input {
        width: 100%;
        font: inherit;
        padding: 0.6em 0.85em;
        border-radius: 999px;
        border: 1px solid ${t.border};
        background: ${t.bg};
        color: ${t.text};
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0 0.5rem 0.5rem;
        overflow-y: auto;
        flex: 1;
        min-height: 0;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.75em;
        padding: 0.55em 0.6em;
        border-radius: 10px;
        cursor: pointer;
      }
      li:hover {
        background: ${t.bg};
      }
      li[aria-selected='true'] {
        background: ${t.accentSoft};
        outline: 2px solid ${t.focus};
        outline-offset: -2px;
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .empty {
        padding: 1rem;
        color: ${t.muted};
        text-align: center;
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient | undefined;
  /** The client's `presence`: a dot on each avatar when given. */
  @property({ attribute: false }) presence: PresenceWatch | undefined;
  /** Page size asked of the server. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 30;
  /** Debounce of the search as one types, in milliseconds. */
  @property({ type: Number }) debounce = 250;

  @state() private users: User[] = [];
  @state() private nextCursor: string | null = null;
  @state() private active = -1;
  @state() private loading = false;
  @state() private failed = false;

  @query('input') private input!: HTMLInputElement;
  @query('ul') private list!: HTMLUListElement;

  #query = '';
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to superseded searches are ignored by sequence number. */
  #sequence = 0;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('api') && this.api) void this.search(this.#query);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  /** Focuses the search field, once it has rendered. */
  override async focus(): Promise<void> {
    await this.updateComplete;
    this.input?.focus();
  }

  override render() {
    const activeId = this.active >= 0 ? `user-${this.active}` : '';
    return html`
      <div class="search">
        <label class="visually-hidden" for="q">Find people by username</label>
        <input
          id="q"
          part="search"
          type="search"
          placeholder="Search people…"
          autocomplete="off"
          role="combobox"
          aria-expanded="true"
          aria-controls="results"
          aria-autocomplete="list"
          aria-activedescendant=${activeId}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        />
      </div>
      <ul id="results" part="list" role="listbox" aria-label="People" @scroll=${this.onScroll}>
        ${repeat(
          this.users,
          (user) => user.id,
          (user, index) => html`<li
            id="user-${index}"
            part="option"
            role="option"
            aria-selected=${index === this.active ? 'true' : 'false'}
            @click=${() => this.select(user)}
            @mousemove=${() => {
              this.active = index;
            }}
          >
            <span class="avatar-with-dot">
              <span class="avatar" aria-hidden="true">${user.username.slice(0, 1)}</span>
              ${this.presence ? html`<mc-presence-dot .presence=${this.presence} username=${user.username}></mc-presence-dot>` : nothing}
            </span>
            <span class="name">${user.username}</span>
          </li>`,
        )}
      </ul>
      ${this.renderStatus()}
    `;
  }

  private renderStatus() {
    if (this.failed)
      return html`<p class="empty" role="alert">Could not load people. <button class="button ghost" @click=${() => this.search(this.#query)}>Retry</button></p>`;
    if (this.loading && this.users.length === 0) return html`<p class="empty">Loading…</p>`;
    if (!this.loading && this.users.length === 0)
      return html`<p class="empty" role="status">${this.#query ? `No one matches “${this.#query}”.` : 'No one else is here yet.'}</p>`;
    return nothing;
  }

  private onInput(): void {
    clearTimeout(this.#timer);
    const value = this.input.value.trim();
    this.#timer = setTimeout(() => void this.search(value), this.debounce);
  }

  private onKeydown(event: KeyboardEvent): void {
    const last = this.users.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        this.active = Math.min(last, this.active + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        this.active = Math.max(0, this.active - 1);
        break;
      case 'Home':
        if (this.users.length) this.active = 0;
        return;
      case 'End':
        this.active = last;
        break;
      case 'Enter': {
        event.preventDefault();
        const user = this.users[this.active] ?? (this.users.length === 1 ? this.users[0] : undefined);
        if (user) this.select(user);
        return;
      }
      default:
        return;
    }
    void this.revealActive();
  }

  private async revealActive(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector(`#user-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    if (this.active >= this.users.length - 3) void this.loadMore();
  }

  private onScroll(): void {
    const list = this.list;
    if (list.scrollTop + list.clientHeight >= list.scrollHeight - 80) void this.loadMore();
  }

  private select(user: User): void {
    emit<UserSelectDetail>(this, 'mc-user-select', { user });
  }

  private async search(q: string): Promise<void> {
    if (!this.api) return;
    this.#query = q;
    const sequence = ++this.#sequence;
    this.loading = true;
    this.failed = false;
    try {
      const page = await this.api.users({ q, limit: this.pageSize });
      if (sequence !== this.#sequence) return;
      this.users = page.items;
      this.nextCursor = page.nextCursor;
      this.active = page.items.length > 0 ? 0 : -1;
      this.list?.scrollTo({ top: 0 });
    } catch {
      if (sequence === this.#sequence) this.failed = true;
    } finally {
      if (sequence === this.#sequence) this.loading = false;
    }
  }

  private async loadMore(): Promise<void> {
    if (!this.api || this.loading || this.nextCursor === null) return;
    const sequence = this.#sequence;
    this.loading = true;
    try {
      const page = await this.api.users({ q: this.#query, limit: this.pageSize, cursor: this.nextCursor });
      if (sequence !== this.#sequence) return;
      const known = new Set(this.users.map((user) => user.id));
      this.users = [...this.users, ...page.items.filter((user) => !known.has(user.id))];
      this.nextCursor = page.nextCursor;
    } catch {
      // Scrolling again retries.
    } finally {
      if (sequence === this.#sequence) this.loading = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-user-list': McUserList;
  }
}
