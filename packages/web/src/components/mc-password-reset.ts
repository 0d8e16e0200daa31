import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../client/api-client.js';
import { ApiError } from '../client/api-error.js';
import { emit, type SignedInDetail } from './events.js';
import { formCard } from './form-card.js';
import { fieldErrorsOf, fieldHelp, focusFirstInvalid, serverAnswer, waitFor } from './form-feedback.js';
import { base, t } from './theme.js';

type Field = 'email' | 'username' | 'newPassword';

/**
 * Account recovery by mail. Without `token`: asks for the account's email
 * address and says a link is on its way, whether or not the address has an
 * account (the server answers alike). With `token` (from a `#reset=` link):
 * asks for the username and a new password, sets it, and signs in.
 * @fires mc-signed-in - `{ user }` once the new password has signed the user in
 * @fires mc-back - the user wants the sign-in form again
 * @csspart card - the form's card
 * @csspart submit - the submit button
 */
@customElement('mc-password-reset')
export class McPasswordReset extends LitElement {
  static override styles = [
    base,
    ...formCard,
    css`
      .sent {
        margin: 0.5rem 0 1rem;
        padding: 0.8em 0.9em;
        border-radius: 10px;
        background: ${t.accentSoft};
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient | undefined;
  /** The token of a reset link; empty to ask for a link instead. */
  @property() token = '';

  @state() private sentTo = '';
  @state() private busy = false;
  @state() private error = '';
  @state() private fieldErrors: Partial<Record<Field, string>> = {};
  /** The link was spent or expired: offer to ask for a new one. */
  @state() private linkDead = false;

  @query('input') private firstInput: HTMLInputElement | undefined;
  @query('h1') private heading: HTMLElement | undefined;

  override render() {
    return this.token && !this.linkDead ? this.renderNewPassword() : this.sentTo ? this.renderSent() : this.renderRequest();
  }

  private renderRequest() {
    return html`
      <form class="card" part="card" @submit=${this.request} novalidate aria-labelledby="title">
        <h1 id="title" tabindex="-1">Forgot your password?</h1>
        <p class="lead">Enter the email address of your account. We will mail you a link to choose a new password.</p>
        ${this.linkDead ? html`<p class="alert" role="alert">That link has already been used or has expired. Ask for a new one below.</p>` : nothing}
        <label for="email">Email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          autocapitalize="none"
          spellcheck="false"
          maxlength="254"
          required
          aria-invalid=${this.fieldErrors.email ? 'true' : 'false'}
          aria-describedby="email-help"
        />
        ${fieldHelp('email', this.fieldErrors.email, '')}
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
        <button class="button submit" part="submit" type="submit" ?disabled=${this.busy}>${this.busy ? 'Please wait…' : 'Send me a link'}</button>
        <p class="switch"><button type="button" @click=${this.back}>Back to sign in</button></p>
      </form>
    `;
  }

  private renderSent() {
    return html`
      <section class="card" part="card" aria-labelledby="title">
        <h1 id="title" tabindex="-1">Check your mail</h1>
        <p class="sent" role="status">If that address has an account, a link is on its way to <strong>${this.sentTo}</strong>. It works once, for 30 minutes.</p>
        <p class="lead">Nothing after a few minutes? Look in your spam folder, or check the address and try again.</p>
        <button class="button submit" part="submit" type="button" @click=${this.back}>Back to sign in</button>
        <p class="switch"><button type="button" @click=${this.again}>Use another address</button></p>
      </section>
    `;
  }

  private renderNewPassword() {
    return html`
      <form class="card" part="card" @submit=${this.confirm} novalidate aria-labelledby="title">
        <h1 id="title" tabindex="-1">Choose a new password</h1>
        <p class="lead">Every device signed in to your account will be signed out.</p>
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
        ${fieldHelp('username', this.fieldErrors.username, 'The one in the mail, to sign you in afterwards.')}
        <label for="newPassword">New password</label>
        <input
          id="newPassword"
          name="newPassword"
          type="password"
          autocomplete="new-password"
          required
          aria-invalid=${this.fieldErrors.newPassword ? 'true' : 'false'}
          aria-describedby="newPassword-help"
        />
        ${fieldHelp('newPassword', this.fieldErrors.newPassword, 'At least 8 characters.')}
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
        <button class="button submit" part="submit" type="submit" ?disabled=${this.busy}>
          ${this.busy ? 'Please wait…' : 'Set password and sign in'}
        </button>
        <p class="switch"><button type="button" @click=${this.back}>Back to sign in</button></p>
      </form>
    `;
  }

  override firstUpdated(): void {
    this.firstInput?.focus();
  }

  private back(): void {
    emit(this, 'mc-back', {});
  }

  private async again(): Promise<void> {
    this.sentTo = '';
    await this.updateComplete;
    this.firstInput?.focus();
  }

  private async request(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.api || this.busy) return;
    const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim();
    this.error = '';
    this.fieldErrors = email ? {} : { email: 'Enter the email address of your account.' };
    if (!email) return focusFirstInvalid(this);
    this.busy = true;
    try {
      await this.api.requestPasswordReset(email);
      this.sentTo = email;
      this.linkDead = false;
      await this.updateComplete;
      this.heading?.focus();
    } catch (error) {
      this.showError(error);
    } finally {
      this.busy = false;
    }
  }

  private async confirm(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.api || this.busy) return;
    const form = new FormData(event.target as HTMLFormElement);
    const username = String(form.get('username') ?? '').trim();
    const newPassword = String(form.get('newPassword') ?? '');
    const missing: Partial<Record<Field, string>> = {};
    if (!username) missing.username = 'Enter your username.';
    if (!newPassword) missing.newPassword = 'Enter a new password.';
    this.fieldErrors = missing;
    this.error = '';
    if (Object.keys(missing).length > 0) return focusFirstInvalid(this);
    this.busy = true;
    try {
      await this.api.confirmPasswordReset(this.token, newPassword);
    } catch (error) {
      this.busy = false;
      if (error instanceof ApiError && error.errors.some((e) => e.path === 'token')) {
        this.linkDead = true;
        await this.updateComplete;
        this.firstInput?.focus();
        return;
      }
      return this.showError(error);
    }
    try {
      const session = await this.api.login(username, newPassword);
      emit<SignedInDetail>(this, 'mc-signed-in', { user: session.user });
    } catch {
      // The password is set; only the username was mistyped. The sign-in form takes it from here.
      emit(this, 'mc-back', { notice: 'Your password has been changed. Sign in with it.' });
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
    const fields = fieldErrorsOf(error, ['email', 'newPassword'] as const);
    this.fieldErrors = fields;
    if (error.status === 429) this.error = `Too many links asked for. Try again in ${waitFor(error, 60)}.`;
    else if (Object.keys(fields).length === 0) this.error = error.detail ?? error.title;
    void focusFirstInvalid(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-password-reset': McPasswordReset;
  }
}
