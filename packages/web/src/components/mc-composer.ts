import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { emit, type SendDetail, type TypingDetail } from './events.js';
import { codePointLength } from './format.js';
import { base, t } from './theme.js';

/**
 * Writes a message. Enter sends, Shift+Enter starts a new line.
 * @fires mc-send - `{ body }` with the trimmed text; the input is cleared
 * @fires mc-typing - `{}` on each edit that leaves text in the field (the client throttles what it sends to 3 s)
 * @csspart input - the text area
 * @csspart send - the send button
 * @csspart counter - the length counter shown near the limit
 */
@customElement('mc-composer')
export class McComposer extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding: 0.75rem;
        background: ${t.surface};
        border-top: 1px solid ${t.border};
      }
      form {
        display: flex;
        align-items: flex-end;
        gap: 0.5rem;
      }
      .field {
        flex: 1;
        min-width: 0;
        position: relative;
      }
      textarea {
        display: block;
        width: 100%;
        font: inherit;
        line-height: 1.4;
        resize: none;
        field-sizing: content;
        min-height: 2.75em;
        max-height: 10em;
        padding: 0.65em 0.9em;
        border-radius: 20px;
        border: 1px solid ${t.border};
        background: ${t.bg};
        color: ${t.text};
      }
      .send {
        flex: none;
        height: 2.75em;
        border-radius: 999px;
      }
      .counter {
        margin: 0.3rem 0.9rem 0;
        font-size: 0.78rem;
        color: ${t.muted};
        text-align: end;
      }
      .counter.over {
        color: ${t.danger};
        font-weight: 600;
      }
    `,
  ];

  /** Longest body, in code points, the server accepts (`MAX_MESSAGE_LENGTH`). */
  @property({ type: Number, attribute: 'max-length' }) maxLength = 5000;
  @property({ type: Boolean, reflect: true }) disabled = false;
  @property() placeholder = 'Write a message…';
  /** Accessible name of the text area, e.g. “Message to bob”. */
  @property() label = 'Message';

  @state() private length = 0;

  @query('textarea') private textarea!: HTMLTextAreaElement;

  /** Focuses the text area, once it has rendered (it may be called right after creation). */
  override async focus(): Promise<void> {
    await this.updateComplete;
    this.textarea?.focus();
  }

  override render() {
    const near = this.length >= Math.floor(this.maxLength * 0.8);
    const over = this.length > this.maxLength;
    return html`<form @submit=${this.onSubmit}>
        <div class="field">
          <textarea
            part="input"
            rows="1"
            aria-label=${this.label}
            aria-describedby="counter"
            placeholder=${this.placeholder}
            ?disabled=${this.disabled}
            @input=${this.onInput}
            @keydown=${this.onKeydown}
          ></textarea>
        </div>
        <button class="button send" part="send" type="submit" ?disabled=${this.disabled || this.length === 0 || over}>Send</button>
      </form>
      ${
        near
          ? html`<p id="counter" class="counter ${over ? 'over' : ''}" part="counter" aria-live="polite">
            ${over ? `${(this.length - this.maxLength).toLocaleString()} characters too long` : `${(this.maxLength - this.length).toLocaleString()} characters left`}
          </p>`
          : nothing
      }`;
  }

  private onInput(): void {
    this.length = codePointLength(this.textarea.value);
    if (this.length > 0) emit<TypingDetail>(this, 'mc-typing', {});
  }

  private onKeydown(event: KeyboardEvent): void {
    // isComposing: Enter that confirms an IME candidate must not send half a word.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    }
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.send();
    this.textarea.focus();
  }

  private send(): void {
    const body = this.textarea.value.trim();
    if (this.disabled || body === '' || codePointLength(body) > this.maxLength) return;
    emit<SendDetail>(this, 'mc-send', { body });
    this.textarea.value = '';
    this.length = 0;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-composer': McComposer;
  }
}
