import { describe, expect, it } from 'vitest';
import { checkClientId, checkMessageBody, MAX_CLIENT_ID_LENGTH } from './message-body.js';

const issueOf = (result: { ok: boolean; error?: { issues: readonly { path: string }[] } }) =>
  result.ok ? undefined : result.error?.issues[0]?.path;

describe('message bodies', () => {
  it('are trimmed of JavaScript whitespace', () => {
    expect(checkMessageBody(' \t\n\u00a0\u2003hi there\r\n\ufeff', 10)).toEqual({ ok: true, value: 'hi there' });
  });

  it('must not be empty after trimming', () => {
    for (const raw of ['', '   ', '\n\t', '\u3000\u2028']) expect(issueOf(checkMessageBody(raw, 10))).toBe('body');
  });

  it('are counted in code points after trimming', () => {
    expect(checkMessageBody('🎉'.repeat(5000), 5000).ok).toBe(true);
    expect(checkMessageBody('🎉'.repeat(5001), 5000).ok).toBe(false);
    expect(checkMessageBody(`  ${'x'.repeat(5000)}  `, 5000).ok).toBe(true);
    expect(checkMessageBody('é'.repeat(3), 3).ok).toBe(true);
  });

  it('refuse NUL and lone surrogates, keep everything else', () => {
    expect(issueOf(checkMessageBody('a\u0000b', 10))).toBe('body');
    expect(issueOf(checkMessageBody('a\ud83d', 10))).toBe('body');
    expect(issueOf(checkMessageBody('\ude00a', 10))).toBe('body');
    expect(checkMessageBody('👋🏽 héllo 中文 \u202e', 100)).toEqual({ ok: true, value: '👋🏽 héllo 中文 \u202e' });
  });
});

describe('client ids', () => {
  it(`take 1 to ${MAX_CLIENT_ID_LENGTH} characters`, () => {
    expect(checkClientId('a').ok).toBe(true);
    expect(checkClientId('x'.repeat(MAX_CLIENT_ID_LENGTH)).ok).toBe(true);
    expect(issueOf(checkClientId(''))).toBe('clientId');
    expect(issueOf(checkClientId('x'.repeat(MAX_CLIENT_ID_LENGTH + 1)))).toBe('clientId');
    expect(checkClientId('550e8400-e29b-41d4-a716-446655440000').ok).toBe(true);
  });

  it('count characters in code points, like bodies and passwords', () => {
    expect(checkClientId('😀'.repeat(MAX_CLIENT_ID_LENGTH)).ok).toBe(true);
    expect(issueOf(checkClientId('😀'.repeat(MAX_CLIENT_ID_LENGTH + 1)))).toBe('clientId');
  });

  it('refuse text a store would alter', () => {
    expect(issueOf(checkClientId('a\u0000'))).toBe('clientId');
    expect(issueOf(checkClientId('a\ud800'))).toBe('clientId');
  });
});
