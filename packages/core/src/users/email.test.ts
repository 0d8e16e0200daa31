import { describe, expect, it } from 'vitest';
import { checkEmail, emailKey, MAX_EMAIL_LENGTH } from './email.js';

describe('checkEmail', () => {
  it.each(['a@b', 'alice@example.com', 'Alice.Smith+tag@Example.CO.uk', 'ünïcödé@exämple.de', `${'a'.repeat(64)}@${'b'.repeat(185)}.com`])(
    'accepts %s',
    (email) => {
      expect(checkEmail(email)).toEqual({ ok: true, value: email });
    },
  );

  it.each([
    '',
    'alice',
    '@example.com',
    'alice@',
    'a@b@c',
    'al ice@example.com',
    'alice@exa mple.com',
    ' alice@example.com',
    'alice@example.com\n',
    'a\u0000b@c',
  ])('refuses %j', (email) => {
    expect(checkEmail(email)).toMatchObject({ ok: false, error: { kind: 'validation-failed', issues: [{ path: 'email' }] } });
  });

  it(`refuses more than ${MAX_EMAIL_LENGTH} characters, counted in code points`, () => {
    const over = `${'a'.repeat(64)}@${'b'.repeat(186)}.com`;
    expect(over).toHaveLength(255);
    expect(checkEmail(over, 'newEmail')).toEqual({
      ok: false,
      error: { kind: 'validation-failed', issues: [{ path: 'newEmail', message: 'must be at most 254 characters' }] },
    });
    const emoji = `${'😀'.repeat(200)}@${'b'.repeat(49)}.com`;
    expect([...emoji]).toHaveLength(254);
    expect(checkEmail(emoji).ok).toBe(true);
  });

  it('compares addresses regardless of letter case', () => {
    expect(emailKey('Alice@Example.COM')).toBe(emailKey('alice@example.com'));
  });
});
