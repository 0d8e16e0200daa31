import { describe, expect, it } from 'vitest';
import { sessionCookieIn } from './session-cookie.js';

describe('sessionCookieIn', () => {
  it('finds the one session cookie among others', () => {
    expect(sessionCookieIn('theme=dark; mc_session=abc; lang=en', 'mc_session')).toEqual({ kind: 'present', token: 'abc' });
    expect(sessionCookieIn('mc_session="abc"', 'mc_session')).toEqual({ kind: 'present', token: 'abc' });
    expect(sessionCookieIn('mc_session=a%20b', 'mc_session')).toEqual({ kind: 'present', token: 'a b' });
  });

  it('says absent when there is none, or only names that merely resemble it', () => {
    expect(sessionCookieIn(undefined, 'mc_session')).toEqual({ kind: 'absent' });
    expect(sessionCookieIn('', 'mc_session')).toEqual({ kind: 'absent' });
    expect(sessionCookieIn('xmc_session=1; mc_session_old=2; mc_session', 'mc_session')).toEqual({ kind: 'absent' });
  });

  it('refuses to choose between two different sessions, in either order', () => {
    expect(sessionCookieIn('mc_session=planted; mc_session=mine', 'mc_session')).toEqual({ kind: 'ambiguous' });
    expect(sessionCookieIn('mc_session=mine; theme=x; mc_session=planted', 'mc_session')).toEqual({ kind: 'ambiguous' });
  });

  it('takes the same value sent twice as one', () => {
    expect(sessionCookieIn('mc_session=abc; mc_session=abc', 'mc_session')).toEqual({ kind: 'present', token: 'abc' });
  });
});
