import { css } from 'lit';
import { t } from './theme.js';

/** Labels, inputs, their hints and errors, and alerts: every form of the elements looks alike. */
export const formFields = css`
  label {
    display: block;
    font-weight: 600;
    font-size: 0.9rem;
    margin: 1rem 0 0.35rem;
  }
  input {
    width: 100%;
    font: inherit;
    padding: 0.65em 0.8em;
    border: 1px solid ${t.border};
    border-radius: 10px;
    background: ${t.surface};
    color: ${t.text};
  }
  input[aria-invalid='true'] {
    border-color: ${t.danger};
  }
  .hint,
  .field-error {
    font-size: 0.82rem;
    margin: 0.3rem 0 0;
    color: ${t.muted};
  }
  .field-error {
    color: ${t.danger};
  }
  .alert {
    margin: 1rem 0 0;
    padding: 0.7em 0.9em;
    border-radius: 10px;
    background: color-mix(in srgb, ${t.danger} 10%, ${t.surface});
    color: ${t.danger};
    font-size: 0.9rem;
  }
`;

/** A centred card holding one form, with a full-width submit and a line of links under it (sign-in, recovery). */
export const formCard = [
  formFields,
  css`
    :host {
      display: grid;
      place-items: center;
      padding: 1.5rem;
      min-height: 100%;
    }
    .card {
      width: min(100%, 24rem);
      background: ${t.surface};
      border: 1px solid ${t.border};
      border-radius: calc(${t.radius} + 4px);
      padding: 2rem 1.75rem;
      box-shadow: 0 10px 30px rgb(20 26 42 / 0.08);
    }
    h1 {
      font-size: 1.4rem;
      margin: 0 0 0.25rem;
    }
    h1:focus {
      outline: none;
    }
    .lead {
      margin: 0 0 1.5rem;
      color: ${t.muted};
    }
    .submit {
      width: 100%;
      margin-top: 1.5rem;
      padding: 0.75em;
    }
    .switch {
      margin: 1.1rem 0 0;
      text-align: center;
      font-size: 0.9rem;
      color: ${t.muted};
    }
    .switch button {
      border: 0;
      background: none;
      color: ${t.accent};
      font-weight: 600;
      cursor: pointer;
      text-decoration: underline;
    }
  `,
];
