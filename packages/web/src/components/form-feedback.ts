import { html, type LitElement } from 'lit';
import { ApiError } from '../client/api-error.js';

/** The line under a field that its `aria-describedby` points at: its error, else the hint. */
export function fieldHelp(field: string, error: string | undefined, hint: string) {
  return error ? html`<p class="field-error" id="${field}-help">${error}</p>` : html`<p class="hint" id="${field}-help">${hint}</p>`;
}

/** Moves the keyboard to the first field marked invalid, once the marks are on the page. */
export async function focusFirstInvalid(element: LitElement): Promise<void> {
  await element.updateComplete;
  element.renderRoot.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus();
}

/** The server's per-field messages, for the fields this form has. */
export function fieldErrorsOf<F extends string>(error: ApiError, fields: readonly F[]): Partial<Record<F, string>> {
  const found: Partial<Record<F, string>> = {};
  for (const { path, message } of error.errors) {
    const field = fields.find((name) => path === name || path.endsWith(`.${name}`));
    if (field) found[field] = message;
  }
  return found;
}

/**
 * The server's answer to a failed submission, or, when there is none to read
 * (a bug, or no connection), the sentence every form says for it.
 */
export function serverAnswer(error: unknown): ApiError | string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.status === 0) return 'The server cannot be reached. Check your connection and try again.';
  return error;
}

/** "about 15 minutes" from a 429's `Retry-After`, or from the limit's window when it has none. */
export function waitFor(error: ApiError, windowMinutes: number): string {
  const minutes = error.retryAfter ? Math.max(1, Math.ceil(error.retryAfter / 60)) : windowMinutes;
  return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
