import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../client/api-client.js';
import type { OwnAccount } from '../client/types.js';
import { emit } from './events.js';
import { formFields } from './form-card.js';
import { fieldErrorsOf, fieldHelp, focusFirstInvalid, serverAnswer, waitFor } from './form-feedback.js';
import { base, t } from './theme.js';

type Form = 'email' | 'password';
type Field = 'email' | 'emailPassword' | 'currentPassword' | 'newPassword';

/**
 * The signed-in user's account: add, change or remove the email address used
 * to recover a forgotten password, and change the password.
 * @fires mc-close - the user is done with the panel
 * @csspart panel - the panel
 */
@customElement('mc-account-panel')
export class McAccountPanel extends LitElement {
  static override styles = [
    base,
    formFields,
    css`
      :host {
        display: block;
        overflow-y: auto;
        min-height: 0;
      }
      .panel {
        max-width: 32rem;
        margin: 0 auto;
        padding: 1.25rem 1rem 2rem;
      }
      .top {
        display: flex;
        align-items: center;
        gap: 0.75rem;
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: 1.3rem;
      }
      section {
        margin-top: 1.25rem;
        background: ${t.surface};
        border: 1px solid ${t.border};
        border-radius: ${t.radius};
        padding: 1.1rem 1.1rem 1.25rem;
      }
      h3 {
        margin: 0 0 0.25rem;
        font-size: 1.05rem;
      }
      .current {
        margin: 0 0 0.5rem;
        color: ${t.muted};
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 1rem;
      }
      .done {
        margin: 0.75rem 0 0;
        color: ${t.success};
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient | undefined;
  // Buttons are marked aria-disabled while busy rather than disabled, so the keyboard's focus stays on them.

  @state() private account: OwnAccount | undefined;
  @state() private loadError = '';
  @state() private busy: Form | undefined;
  @state() private done: Partial<Record<Form, string>> = {};
  @state() private errors: Partial<Record<Form, string>> = {};
  @state() private fieldErrors: Partial<Record<Field, string>> = {};

  @query('h2') private heading!: HTMLElement;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Moves the keyboard into the panel. */
  override focus(): void {
    void this.updateComplete.then(() => this.heading?.focus());
  }

  override render() {
    const email = this.account?.email;
    return html`<div class="panel" part="panel" @keydown=${this.onKey}>
      <div class="top">
        <h2 tabindex="-1">Your account</h2>
        <button class="button ghost" type="button" @click=${this.close}>Close</button>
      </div>
      ${this.loadError ? html`<p class="alert" role="alert">${this.loadError}</p>` : nothing}
      <section aria-labelledby="email-title">
        <h3 id="email-title">Email address</h3>
        <p class="current">
          ${this.account === undefined ? 'Loading…' : email ? html`Now: <strong>${email}</strong>` : 'None yet. Add one so that you can reset a forgotten password.'}
        </p>
        <form @submit=${this.saveEmail} novalidate>
          <label for="email">${email ? 'New email address' : 'Email address'}</label>
          <input id="email" name="email" type="email" autocomplete="email" autocapitalize="none" spellcheck="false" maxlength="254"
            aria-invalid=${this.fieldErrors.email ? 'true' : 'false'} aria-describedby="email-help" />
          ${fieldHelp('email', this.fieldErrors.email, 'Only you see it. It is used for nothing but password resets.')}
          <label for="emailPassword">Current password</label>
          <input id="emailPassword" name="currentPassword" type="password" autocomplete="current-password"
            aria-invalid=${this.fieldErrors.emailPassword ? 'true' : 'false'} aria-describedby="emailPassword-help" />
          ${fieldHelp('emailPassword', this.fieldErrors.emailPassword, 'To make sure it is you.')}
          ${this.errors.email ? html`<p class="alert" role="alert">${this.errors.email}</p>` : nothing}
          <div class="actions">
            <button class="button" type="submit" aria-disabled=${this.busy === 'email' ? 'true' : 'false'}>Save email</button>
            ${email ? html`<button class="button ghost" type="button" aria-disabled=${this.busy === 'email' ? 'true' : 'false'} @click=${this.removeEmail}>Remove email</button>` : nothing}
          </div>
          ${this.done.email ? html`<p class="done" role="status">${this.done.email}</p>` : nothing}
        </form>
      </section>
      <section aria-labelledby="password-title">
        <h3 id="password-title">Password</h3>
        <p class="current">Your other devices will be signed out; this one stays signed in.</p>
        <form @submit=${this.savePassword} novalidate>
          <input type="text" name="username" autocomplete="username" .value=${this.account?.user.username ?? ''} hidden />
          <label for="currentPassword">Current password</label>
          <input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password"
            aria-invalid=${this.fieldErrors.currentPassword ? 'true' : 'false'} aria-describedby="currentPassword-help" />
          ${fieldHelp('currentPassword', this.fieldErrors.currentPassword, '')}
          <label for="newPassword">New password</label>
          <input id="newPassword" name="newPassword" type="password" autocomplete="new-password"
            aria-invalid=${this.fieldErrors.newPassword ? 'true' : 'false'} aria-describedby="newPassword-help" />
          ${fieldHelp('newPassword', this.fieldErrors.newPassword, 'At least 8 characters.')}
          ${this.errors.password ? html`<p class="alert" role="alert">${this.errors.password}</p>` : nothing}
          <div class="actions"><button class="button" type="submit" aria-disabled=${this.busy === 'password' ? 'true' : 'false'}>Change password</button></div>
          ${this.done.password ? html`<p class="done" role="status">${this.done.password}</p>` : nothing}
        </form>
      </section>
    </div>`;
  }

  private async load(): Promise<void> {
    if (!this.api) return;
    try {
      this.account = await this.api.account();
      this.loadError = '';
    } catch {
      this.loadError = 'Your account could not be loaded. Try again shortly.';
    }
  }

  private close(): void {
    emit(this, 'mc-close', {});
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.close();
  }

  private saveEmail(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const email = String(form.get('email') ?? '').trim();
    if (!email) {
      this.fieldErrors = { email: 'Enter an email address, or use “Remove email”.' };
      return focusFirstInvalid(this);
    }
    return this.changeEmail(email, String(form.get('currentPassword') ?? ''), event.target as HTMLFormElement);
  }

  private removeEmail(event: Event): Promise<void> {
    const form = (event.target as HTMLElement).closest('form') as HTMLFormElement;
    return this.changeEmail(null, String(new FormData(form).get('currentPassword') ?? ''), form);
  }

  private async changeEmail(email: string | null, currentPassword: string, form: HTMLFormElement): Promise<void> {
    if (!this.api || this.busy) return;
    if (!currentPassword) {
      this.fieldErrors = { emailPassword: 'Enter your current password.' };
      return focusFirstInvalid(this);
    }
    await this.run('email', form, async (api) => {
      await api.changeEmail(email, currentPassword);
      this.account = this.account && { ...this.account, email };
      return email ? `Saved. Password-reset links will go to ${email}.` : 'Removed. You can add an address again at any time.';
    });
  }

  private async savePassword(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.api || this.busy) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const currentPassword = String(data.get('currentPassword') ?? '');
    const newPassword = String(data.get('newPassword') ?? '');
    const missing: Partial<Record<Field, string>> = {};
    if (!currentPassword) missing.currentPassword = 'Enter your current password.';
    if (!newPassword) missing.newPassword = 'Enter a new password.';
    if (Object.keys(missing).length > 0) {
      this.fieldErrors = missing;
      return focusFirstInvalid(this);
    }
    await this.run('password', form, async (api) => {
      await api.changePassword(currentPassword, newPassword);
      return 'Password changed. Your other devices have been signed out.';
    });
  }

  /** One submission: clears the form's messages, shows its outcome, empties its password fields on success. */
  private async run(which: Form, form: HTMLFormElement, work: (api: ApiClient) => Promise<string>): Promise<void> {
    if (!this.api) return;
    this.busy = which;
    this.errors = {};
    this.fieldErrors = {};
    this.done = {};
    try {
      this.done = { [which]: await work(this.api) };
      form.reset();
    } catch (error) {
      this.showError(which, error);
    } finally {
      this.busy = undefined;
    }
  }

  private showError(which: Form, failure: unknown): void {
    const error = serverAnswer(failure);
    if (typeof error === 'string') {
      this.errors = { [which]: error };
      return;
    }
    const fields: Partial<Record<Field, string>> = fieldErrorsOf(error, ['email', 'newPassword'] as const);
    if (error.errors.some(({ path }) => path === 'currentPassword'))
      fields[which === 'email' ? 'emailPassword' : 'currentPassword'] = 'That is not your current password.';
    this.fieldErrors = fields;
    if (error.status === 409) this.fieldErrors = { email: 'Another account uses that address.' };
    else if (error.status === 429) this.errors = { [which]: `Too many wrong passwords. Try again in ${waitFor(error, 15)}.` };
    else if (Object.keys(fields).length === 0) this.errors = { [which]: error.detail ?? error.title };
    void focusFirstInvalid(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-account-panel': McAccountPanel;
  }
}
