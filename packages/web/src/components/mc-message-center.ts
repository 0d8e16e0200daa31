import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AuthMode } from '../client/api-client.js';
import { ApiError } from '../client/api-error.js';
import { MessageCenterClient } from '../client/message-center-client.js';
import type { ConnectionStatus, User } from '../client/types.js';
import type { BackDetail, ConversationSelectDetail, SendDetail, SignedInDetail, UserSelectDetail } from './events.js';
import type { McComposer } from './mc-composer.js';
import { base, t } from './theme.js';
import './mc-account-panel.js';
import './mc-composer.js';
import './mc-connection-status.js';
import './mc-conversation.js';
import './mc-inbox.js';
import './mc-login.js';
import './mc-presence-dot.js';
import './mc-presence-status.js';
import './mc-typing-indicator.js';
import './mc-password-reset.js';
import './mc-user-list.js';

type Phase = 'loading' | 'signed-out' | 'ready' | 'unreachable';
type Tab = 'chats' | 'people';
/** What a signed-out visitor sees: the sign-in form, the request for a reset link, or the new-password form of one. */
type SignedOutView = 'sign-in' | 'forgot' | 'reset';

/** A reset link is `<PUBLIC_URL>/#reset=<token>`. */
const RESET_HASH = /^#reset=([A-Za-z0-9_-]{1,512})$/;

/**
 * The whole message center: sign-in when there is no session, the messenger when there is.
 * @csspart sidebar - conversations and people
 * @csspart chat - the open conversation and the composer
 * @csspart header - the bar above each pane
 */
@customElement('mc-message-center')
export class McMessageCenter extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        height: 100%;
        min-height: 28rem;
        container-type: inline-size;
        background: ${t.bg};
        color: ${t.text};
        font-size: 15px;
      }
      .app {
        display: grid;
        grid-template-columns: minmax(17rem, 22rem) 1fr;
        grid-template-rows: minmax(0, 1fr);
        height: 100%;
        min-height: inherit;
      }
      aside,
      main {
        display: flex;
        flex-direction: column;
        min-height: 0;
        min-width: 0;
      }
      aside {
        background: ${t.surface};
        border-inline-end: 1px solid ${t.border};
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.75em;
        padding: 0.75rem 1rem;
        min-height: 3.75rem;
        background: ${t.surface};
        border-bottom: 1px solid ${t.border};
      }
      header .who {
        flex: 1;
        min-width: 0;
        display: flex;
        flex-direction: column;
      }
      header .button.ghost {
        padding-inline: 0.5em;
      }
      header .name {
        font-weight: 700;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .tabs {
        display: flex;
        gap: 0.25rem;
        padding: 0.5rem 0.75rem 0;
      }
      .tabs button {
        flex: 1;
        border: 0;
        background: none;
        padding: 0.55em;
        border-radius: 10px;
        font-weight: 600;
        color: ${t.muted};
        cursor: pointer;
      }
      .tabs button[aria-selected='true'] {
        background: ${t.accentSoft};
        color: ${t.accent};
      }
      .panel {
        flex: 1;
        min-height: 0;
        display: flex;
        flex-direction: column;
      }
      .panel > * {
        flex: 1;
      }
      mc-conversation {
        flex: 1;
      }
      .back {
        display: none;
      }
      .placeholder {
        margin: auto;
        padding: 2rem;
        text-align: center;
        color: ${t.muted};
      }
      .placeholder h2 {
        color: ${t.text};
        margin: 0 0 0.5rem;
        font-size: 1.2rem;
      }
      .center {
        display: grid;
        place-items: center;
        height: 100%;
        color: ${t.muted};
        text-align: center;
        padding: 1rem;
      }
      @container (max-width: 44rem) {
        .app {
          grid-template-columns: 1fr;
        }
        .app[data-view='list'] main,
        .app[data-view='chat'] aside {
          display: none;
        }
        .back {
          display: inline-flex;
          padding: 0.4em 0.6em;
        }
      }
    `,
  ];

  /** Origin of the server (e.g. `https://chat.example.com`); empty means this page's origin. */
  @property({ attribute: 'base-url' }) baseUrl = '';
  /** `cookie` (default) or `bearer`; bearer suits a server on another origin without cookies. */
  @property() auth: AuthMode = 'cookie';
  @property({ type: Boolean, attribute: 'allow-sign-up' }) allowSignUp = true;
  /**
   * A bearer token the host page got from the server (`center.issueToken(user)`):
   * the host has signed the user in, so the element neither shows sign-in nor
   * offers sign-out or account settings. Setting a fresh token before the old
   * one expires starts over with it.
   */
  @property() token = '';
  /** The server's `MAX_MESSAGE_LENGTH`. */
  @property({ type: Number, attribute: 'max-length' }) maxLength = 5000;

  @state() private phase: Phase = 'loading';
  @state() private me: User | undefined;
  @state() private status: ConnectionStatus = 'connecting';
  @state() private peer: User | undefined;
  @state() private peerUnread = 0;
  @state() private tab: Tab = 'chats';
  @state() private notice = '';
  @state() private signedOutView: SignedOutView = 'sign-in';
  @state() private resetToken = '';
  @state() private accountOpen = false;

  @query('mc-composer') private composer: McComposer | undefined;

  #client: MessageCenterClient | undefined;
  #off: Array<() => void> = [];

  override connectedCallback(): void {
    super.connectedCallback();
    globalThis.addEventListener?.('hashchange', this.#onHashChange);
    if (this.#client) void this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    globalThis.removeEventListener?.('hashchange', this.#onHashChange);
    this.#stop();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('baseUrl') || changed.has('auth') || changed.has('token')) void this.#boot();
  }

  get client(): MessageCenterClient | undefined {
    return this.#client;
  }

  override render() {
    switch (this.phase) {
      case 'loading':
        return html`<div class="center" role="status">Loading…</div>`;
      case 'unreachable':
        return html`<div class="center" role="alert">
          <div><p>The message server cannot be reached.</p><button class="button" @click=${this.#boot}>Try again</button></div>
        </div>`;
      case 'signed-out':
        if (this.token)
          return html`<div class="center" role="alert"><p>Your chat session has ended. Reload the page to continue.</p></div>`;
        return this.signedOutView === 'sign-in'
          ? html`<mc-login
              .api=${this.#client?.api}
              ?allow-sign-up=${this.allowSignUp}
              .notice=${this.notice}
              @mc-signed-in=${this.#onSignedIn}
              @mc-forgot-password=${this.#onForgot}
            ></mc-login>`
          : html`<mc-password-reset
              .api=${this.#client?.api}
              .token=${this.signedOutView === 'reset' ? this.resetToken : ''}
              @mc-signed-in=${this.#onSignedIn}
              @mc-back=${this.#onBackToSignIn}
            ></mc-password-reset>`;
      case 'ready':
        return this.renderMessenger();
    }
  }

  private renderMessenger() {
    const me = this.me;
    if (!me) return nothing;
    return html`<div class="app" data-view=${this.peer || this.accountOpen ? 'chat' : 'list'}>
      <aside part="sidebar" aria-label="Conversations and people">
        <header part="header">
          <span class="avatar" aria-hidden="true">${me.username.slice(0, 1)}</span>
          <span class="who">
            <span class="name">${me.username}</span>
            <mc-connection-status .status=${this.status}></mc-connection-status>
          </span>
          ${
            this.token
              ? nothing
              : html`<button class="button ghost" aria-expanded=${this.accountOpen ? 'true' : 'false'} @click=${this.#openAccount}>Account</button>
                <button class="button ghost" @click=${this.#signOut}>Sign out</button>`
          }
        </header>
        <div class="tabs" role="tablist" aria-label="Lists" @keydown=${this.#onTabKey}>
          ${this.renderTab('chats', 'Chats')} ${this.renderTab('people', 'People')}
        </div>
        <div class="panel" role="tabpanel" id="panel-${this.tab}" aria-labelledby="tab-${this.tab}">
          ${
            this.tab === 'chats'
              ? html`<mc-inbox .client=${this.#client} .selected=${this.peer?.username ?? ''} @mc-conversation-select=${this.#onConversationSelect}></mc-inbox>`
              : html`<mc-user-list .api=${this.#client?.api} .presence=${this.#client?.presence} @mc-user-select=${this.#onUserSelect}></mc-user-list>`
          }
        </div>
      </aside>
      <main part="chat" aria-label=${this.accountOpen ? 'Your account' : this.peer ? `Conversation with ${this.peer.username}` : 'Conversation'}>
        ${
          this.accountOpen
            ? html`<mc-account-panel .api=${this.#client?.api} @mc-close=${this.#closeAccount}></mc-account-panel>`
            : this.peer
              ? this.renderChat(this.peer, me)
              : html`<div class="placeholder"><h2>Your messages</h2><p>Pick a conversation or find someone under “People”.</p></div>`
        }
      </main>
    </div>`;
  }

  private renderTab(tab: Tab, label: string) {
    const selected = this.tab === tab;
    return html`<button
      role="tab"
      id="tab-${tab}"
      aria-selected=${selected ? 'true' : 'false'}
      aria-controls="panel-${tab}"
      tabindex=${selected ? 0 : -1}
      @click=${() => this.#selectTab(tab)}
    >
      ${label}
    </button>`;
  }

  private renderChat(peer: User, me: User) {
    return html`<header part="header">
        <button class="button ghost back" aria-label="Back to conversations" @click=${this.#back}>←</button>
        <span class="avatar-with-dot">
          <span class="avatar" aria-hidden="true">${peer.username.slice(0, 1)}</span>
          <mc-presence-dot .presence=${this.#client?.presence} username=${peer.username}></mc-presence-dot>
        </span>
        <span class="who">
          <span class="name">${peer.username}</span>
          <mc-presence-status .presence=${this.#client?.presence} username=${peer.username}></mc-presence-status>
        </span>
      </header>
      <mc-typing-indicator .typing=${this.#client?.typing} username=${peer.username}></mc-typing-indicator>
      <mc-conversation .client=${this.#client} .me=${me} .peer=${peer} .unreadCount=${this.peerUnread}></mc-conversation>
      <mc-composer
        .maxLength=${this.maxLength}
        .label=${`Message to ${peer.username}`}
        @mc-send=${this.#onSend}
        @mc-typing=${this.#onTyping}
      ></mc-composer>`;
  }

  /** A fresh client per session, so nothing one user saw leaks into the next one's tab. */
  #boot = async (): Promise<void> => {
    this.#stop();
    this.#client = this.#newClient();
    this.phase = 'loading';
    // A reset link opens the new-password form, whoever is signed in: the reset ends every session anyway.
    const reset = RESET_HASH.exec(globalThis.location?.hash ?? '');
    if (reset?.[1]) {
      this.resetToken = reset[1];
      // The token leaves the address bar and the history, so it is not shared or bookmarked by accident.
      globalThis.history?.replaceState(null, '', `${location.pathname}${location.search}`);
      this.signedOutView = 'reset';
      this.phase = 'signed-out';
      return;
    }
    try {
      this.me = await this.#client.api.me();
      await this.#start();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.phase = 'signed-out';
      else this.phase = 'unreachable';
    }
  };

  async #start(): Promise<void> {
    const client = this.#client;
    if (!client || !this.me) return;
    this.#off.forEach((off) => {
      off();
    });
    this.#off = [
      client.realtime.on('status', (status) => {
        this.status = status;
      }),
      client.realtime.on('session-ended', () => this.#sessionEnded()),
    ];
    this.status = client.realtime.status;
    // The catch-up starting point is fixed before the lists load, so they overlap instead of leaving a gap.
    await client.realtime.start();
    this.phase = 'ready';
  }

  #stop(): void {
    this.#off.forEach((off) => {
      off();
    });
    this.#off = [];
    this.#client?.realtime.stop();
  }

  #onSignedIn = async (event: CustomEvent<SignedInDetail>): Promise<void> => {
    this.me = event.detail.user;
    this.notice = '';
    this.signedOutView = 'sign-in';
    this.resetToken = '';
    this.accountOpen = false;
    this.peer = undefined;
    this.tab = 'chats';
    await this.#start();
  };

  #sessionEnded(): void {
    this.notice = 'Your session has ended. Please sign in again.';
    this.#signedOut();
  }

  #signOut = async (): Promise<void> => {
    try {
      await this.#client?.api.logout();
    } catch {
      // Already gone server-side; signing out locally is what matters.
    }
    this.notice = '';
    this.#signedOut();
  };

  #signedOut(): void {
    this.#stop();
    this.me = undefined;
    this.peer = undefined;
    this.accountOpen = false;
    this.signedOutView = 'sign-in';
    this.#client = this.#newClient();
    this.phase = 'signed-out';
  }

  #newClient(): MessageCenterClient {
    return this.token
      ? new MessageCenterClient({ baseUrl: this.baseUrl, auth: 'bearer', token: this.token })
      : new MessageCenterClient({ baseUrl: this.baseUrl, auth: this.auth });
  }

  #onHashChange = (): void => {
    if (RESET_HASH.test(globalThis.location.hash)) void this.#boot();
  };

  #onForgot = (): void => {
    this.notice = '';
    this.signedOutView = 'forgot';
  };

  #onBackToSignIn = (event: CustomEvent<BackDetail>): void => {
    this.notice = event.detail.notice ?? '';
    this.resetToken = '';
    this.signedOutView = 'sign-in';
  };

  #openAccount = (): void => {
    this.accountOpen = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector('mc-account-panel')?.focus());
  };

  #closeAccount = (): void => {
    this.accountOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('header button[aria-expanded]')?.focus());
  };

  #selectTab(tab: Tab): void {
    this.tab = tab;
    if (tab === 'people') void this.updateComplete.then(() => this.renderRoot.querySelector('mc-user-list')?.focus());
  }

  #onTabKey = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next: Tab = this.tab === 'chats' ? 'people' : 'chats';
    this.#selectTab(next);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  };

  #open(peer: User, unreadCount: number): void {
    this.accountOpen = false;
    this.peer = peer;
    this.peerUnread = unreadCount;
    void this.updateComplete.then(() => this.composer?.focus());
  }

  #onConversationSelect = (event: CustomEvent<ConversationSelectDetail>): void => {
    this.#open(event.detail.peer, event.detail.unreadCount);
  };

  #onUserSelect = (event: CustomEvent<UserSelectDetail>): void => {
    this.tab = 'chats';
    this.#open(event.detail.user, 0);
  };

  #onSend = (event: CustomEvent<SendDetail>): void => {
    if (!this.peer) return;
    this.#client?.outbox.send(this.peer.username, event.detail.body);
    this.#client?.typing.sent(this.peer.username);
  };

  #onTyping = (): void => {
    if (this.peer) this.#client?.typing.notify(this.peer.username);
  };

  #back = (): void => {
    const peer = this.peer?.username;
    this.peer = undefined;
    void this.updateComplete.then(async () => {
      const inbox = this.renderRoot.querySelector('mc-inbox');
      await inbox?.updateComplete;
      inbox?.shadowRoot?.querySelector<HTMLElement>(`[data-peer="${CSS.escape(peer ?? '')}"]`)?.focus();
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-message-center': McMessageCenter;
  }
}
