import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../client/api-client.js';
import { emit, type SignedInDetail } from './events.js';
import { formCard } from './form-card.js';
import { fieldErrorsOf, fieldHelp, focusFirstInvalid, serverAnswer, waitFor } from './form-feedback.js';
import { base, t } from './theme.js';

type Mode = 'sign-in' | 'sign-up';
type Field = 'username' | 'password' | 'email';

/**
 * Sign in, or sign up when the server allows it.
 * @fires mc-signed-in - `{ user }` once a session exists
 * @fires mc-forgot-password - the user asks to recover the account by mail
 * @csspart card - the form's card
 * @csspart submit - the submit button
 */
@customElement('mc-login')
export class McLogin extends LitElement {
  static override styles = [
    base,
    ...formCard,
    css`
      .optional {
        font-weight: 400;
        color: ${t.muted};
      }
      .forgot {
        display: block;
        margin: 0.5rem 0 0 auto;
        border: 0;
        background: none;
        padding: 0.2em 0;
        color: ${t.accent};
        font: inherit;
        font-size: 0.88rem;
        font-weight: 600;
        cursor: pointer;
        text-decoration: underline;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient | undefined;
  @property({ type: Boolean, attribute: 'allow-sign-up' }) allowSignUp = true;
  /** A note shown above the form, e.g. that a session ended. */
  @property() notice = '';

  @state() private mode: Mode = 'sign-in';
  @state() private busy = false;
  @state() private error = '';
  @state() private fieldErrors: Partial<Record<Field, string>> = {};

  @query('#username') private usernameInput!: HTMLInputElement;

  override render() {
    const signUp = this.mode === 'sign-up';
    const title = signUp ? 'Create your account' : 'Welcome back';
    return html`
      <form class="card" part="card" @submit=${this.submit} novalidate aria-labelledby="title">
        <h1 id="title">${title}</h1>
        <p class="lead">${signUp ? 'Pick a username and a password to start chatting.' : 'Sign in to your messages.'}</p>
        ${this.notice ? html`<p class="alert" role="status">${this.notice}</p>` : nothing}
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          aria-invalid=${this.fieldErrors.username ? 'true' : 'false'}
          aria-describedby="username-help"
        />
        ${fieldHelp('username', this.fieldErrors.username, signUp ? '3–32 letters, digits, _ . or -' : '')}
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete=${signUp ? 'new-password' : 'current-password'}
          required
          aria-invalid=${this.fieldErrors.password ? 'true' : 'false'}
          aria-describedby="password-help"
        />
        ${fieldHelp('password', this.fieldErrors.password, signUp ? 'At least 8 characters.' : '')}
        ${
          signUp
            ? html`<label for="email">Email address <span class="optional">(optional)</span></label>
                <input
                  id="email"
                  name="email"
                  type="email"
                  autocomplete="email"
                  autocapitalize="none"
                  spellcheck="false"
                  maxlength="254"
                  aria-invalid=${this.fieldErrors.email ? 'true' : 'false'}
                  aria-describedby="email-help"
                />
                ${fieldHelp('email', this.fieldErrors.email, 'Only to reset a forgotten password; nobody else sees it.')}`
            : html`<button type="button" class="forgot" @click=${this.forgot}>Forgot password?</button>`
        }
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
        <button class="button submit" part="submit" type="submit" ?disabled=${this.busy}>
          ${this.busy ? 'Please wait…' : signUp ? 'Sign up' : 'Sign in'}
        </button>
        ${
          this.allowSignUp
            ? html`<p class="switch">
              ${signUp ? 'Already have an account?' : 'New here?'}
              <button type="button" @click=${this.toggleMode}>${signUp ? 'Sign in' : 'Create an account'}</button>
            </p>`
            : nothing
        }
      </form>
    `;
  }

  override firstUpdated(): void {
    this.usernameInput.focus();
  }

  private forgot(): void {
    emit(this, 'mc-forgot-password', {});
  }

  private toggleMode(): void {
    this.mode = this.mode === 'sign-in' ? 'sign-up' : 'sign-in';
    this.error = '';
    this.fieldErrors = {};
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.api || this.busy) return;
    const form = new FormData(event.target as HTMLFormElement);
    const username = String(form.get('username') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const email = String(form.get('email') ?? '').trim();
    const missing: Partial<Record<Field, string>> = {};
    if (!username) missing.username = 'Enter your username.';
    if (!password) missing.password = 'Enter your password.';
    this.fieldErrors = missing;
    this.error = '';
    if (Object.keys(missing).length > 0) return focusFirstInvalid(this);
    this.busy = true;
    try {
      const session =
        this.mode === 'sign-up'
          ? await this.api.register(username, password, email || undefined)
          : await this.api.login(username, password);
      emit<SignedInDetail>(this, 'mc-signed-in', { user: session.user });
    } catch (error) {
      this.showError(error);
    } finally {
      this.busy = false;
    }
  }

  private showError(failure: unknown): void {
    const error = serverAnswer(failure);
    if (typeof error === 'string') {
      this.error = error;
      return;
    }
    const fields = fieldErrorsOf(error, ['username', 'password', 'email'] as const);
    this.fieldErrors = fields;
    switch (error.status) {
      case 401:
        this.error = 'That username and password do not match.';
        break;
      case 409:
        this.fieldErrors =
          error.slug === 'email-taken'
            ? { email: 'Another account uses that address.' }
            : { username: 'That username is taken. Try another one.' };
        break;
      case 403:
        this.error = this.mode === 'sign-up' ? 'Sign-up is closed on this server.' : (error.detail ?? error.title);
        break;
      case 429:
        this.error =
          this.mode === 'sign-up'
            ? `Too many accounts were created from your network. Try again in ${waitFor(error, 60)}.`
            : `Too many failed attempts. For your security, signing in is paused: try again in ${waitFor(error, 15)}.`;
        break;
      case 503:
        this.error = 'The server is busy. Try again in a few seconds.';
        break;
      default:
        if (Object.keys(fields).length === 0) this.error = error.detail ?? error.title;
    }
    void focusFirstInvalid(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-login': McLogin;
  }
}
