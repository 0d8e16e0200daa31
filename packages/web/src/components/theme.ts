import { css } from 'lit';

/**
 * Design tokens as `var(--mc-…, default)`. Defaults live in the fallback rather than
 * on `:host`, so a value a page sets on any ancestor (say `mc-message-center`) still
 * reaches every nested element.
 */
export const t = {
  font: css`var(--mc-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif)`,
  bg: css`var(--mc-bg, #f4f5f9)`,
  surface: css`var(--mc-surface, #ffffff)`,
  text: css`var(--mc-text, #141a2a)`,
  muted: css`var(--mc-muted, #566074)`,
  border: css`var(--mc-border, #e2e5ee)`,
  accent: css`var(--mc-accent, #4338ca)`,
  accentText: css`var(--mc-accent-text, #ffffff)`,
  accentSoft: css`var(--mc-accent-soft, #eceafd)`,
  ownBg: css`var(--mc-own-bg, #4338ca)`,
  ownText: css`var(--mc-own-text, #ffffff)`,
  peerBg: css`var(--mc-peer-bg, #eef0f5)`,
  peerText: css`var(--mc-peer-text, #141a2a)`,
  danger: css`var(--mc-danger, #b42318)`,
  success: css`var(--mc-success, #067647)`,
  warning: css`var(--mc-warning, #a15c07)`,
  radius: css`var(--mc-radius, 14px)`,
  focus: css`var(--mc-focus, #2563eb)`,
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
    font-family: ${t.font};
    color: ${t.text};
    box-sizing: border-box;
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
`;
