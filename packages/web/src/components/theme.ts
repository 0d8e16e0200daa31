import { type CSSResult, css, unsafeCSS } from 'lit';

/** Light and dark defaults of the colour tokens; both at least WCAG AA for the pairs the elements use. */
const palette = {
  bg: ['#f4f5f9', '#0f131c'],
  surface: ['#ffffff', '#171c27'],
  text: ['#141a2a', '#e7eaf2'],
  muted: ['#566074', '#a2abbd'],
  border: ['#e2e5ee', '#2c3344'],
  accent: ['#4338ca', '#a5b4fc'],
  'accent-text': ['#ffffff', '#11162a'],
  'accent-soft': ['#eceafd', '#272d4f'],
  'own-bg': ['#4338ca', '#4338ca'],
  'own-text': ['#ffffff', '#ffffff'],
  'peer-bg': ['#eef0f5', '#242b3b'],
  'peer-text': ['#141a2a', '#e7eaf2'],
  danger: ['#b42318', '#fb7c72'],
  success: ['#067647', '#4ade80'],
  warning: ['#a15c07', '#fbbf24'],
  focus: ['#2563eb', '#7aa2ff'],
} as const;
type Colour = keyof typeof palette;

/**
 * `var(--mc-…, var(--_mc-…))`: a value a page sets on any ancestor (say
 * `mc-message-center`) wins and reaches every nested element, because only the
 * private default, never `--mc-…` itself, is declared on `:host`.
 */
const colour = (name: Colour): CSSResult => unsafeCSS(`var(--mc-${name}, var(--_mc-${name}))`);

const defaults = (scheme: 0 | 1): CSSResult =>
  unsafeCSS(
    Object.entries(palette)
      .map(([name, values]) => `--_mc-${name}: ${values[scheme]};`)
      .join(' '),
  );

/** Design tokens, as `var(--mc-…)` with a default that follows `prefers-color-scheme`. */
export const t = {
  font: css`var(--mc-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif)`,
  bg: colour('bg'),
  surface: colour('surface'),
  text: colour('text'),
  muted: colour('muted'),
  border: colour('border'),
  accent: colour('accent'),
  accentText: colour('accent-text'),
  accentSoft: colour('accent-soft'),
  ownBg: colour('own-bg'),
  ownText: colour('own-text'),
  peerBg: colour('peer-bg'),
  peerText: colour('peer-text'),
  danger: colour('danger'),
  success: colour('success'),
  warning: colour('warning'),
  radius: css`var(--mc-radius, 14px)`,
  focus: colour('focus'),
};

/** A column that fills its place in the layout and lets a list inside scroll instead of growing. */
export const pane = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
`;

export const base = css`
  :host {
    ${defaults(0)}
    color-scheme: light dark;
    font-family: ${t.font};
    color: ${t.text};
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      ${defaults(1)}
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid ${t.focus};
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    border: 0;
    border-radius: 10px;
    padding: 0.6em 1.1em;
    background: ${t.accent};
    color: ${t.accentText};
    font-weight: 600;
    cursor: pointer;
  }
  .button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .button.ghost {
    background: transparent;
    color: ${t.accent};
  }
  .button.ghost:hover {
    background: ${t.accentSoft};
  }
  .avatar {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 2.4em;
    height: 2.4em;
    border-radius: 50%;
    background: ${t.accentSoft};
    color: ${t.accent};
    font-weight: 700;
    text-transform: uppercase;
  }
  /* An avatar with an mc-presence-dot on its lower corner. */
  .avatar-with-dot {
    position: relative;
    display: inline-flex;
    flex: none;
  }
  .avatar-with-dot mc-presence-dot {
    position: absolute;
    inset-inline-end: -1px;
    bottom: -1px;
  }
`;
