import { describe, expect, it } from 'vitest';
import { normalizeOrigin, OriginPolicy } from './origin-policy.js';

describe('OriginPolicy', () => {
  it("allows the server's own origin, named by the Host header", () => {
    const policy = new OriginPolicy();
    expect(policy.allows('https://chat.example.com', 'chat.example.com')).toBe(true);
    expect(policy.allows('http://localhost:8080', 'localhost:8080')).toBe(true);
    expect(policy.allows('https://Chat.Example.com', 'CHAT.example.com')).toBe(true);
    expect(policy.allows('https://chat.example.com:443', 'chat.example.com')).toBe(true);
  });

  it('refuses other origins, other ports and a missing Host', () => {
    const policy = new OriginPolicy();
    expect(policy.allows('https://evil.example', 'chat.example.com')).toBe(false);
    expect(policy.allows('https://chat.example.com.evil.example', 'chat.example.com')).toBe(false);
    expect(policy.allows('http://localhost:9999', 'localhost:8080')).toBe(false);
    expect(policy.allows('https://chat.example.com', undefined)).toBe(false);
  });

  it('allows configured origins in any spelling', () => {
    const policy = new OriginPolicy(['https://App.Example.com:443/', 'not an origin']);
    expect(policy.allows('https://app.example.com', 'api.example.com')).toBe(true);
    expect(policy.allows('http://app.example.com', 'api.example.com')).toBe(false);
  });

  it('refuses null, opaque and non-web origins', () => {
    const policy = new OriginPolicy(['null']);
    for (const origin of ['null', '', 'file:///etc/passwd', 'chrome-extension://abc', 'data:text/html,x', 'garbage']) {
      expect(policy.allows(origin, 'localhost')).toBe(false);
    }
  });

  it('normalizes origins', () => {
    expect(normalizeOrigin('https://Example.com:443/')).toBe('https://example.com');
    expect(normalizeOrigin('http://example.com:8080')).toBe('http://example.com:8080');
    expect(normalizeOrigin('null')).toBeUndefined();
    expect(normalizeOrigin('ftp://example.com')).toBeUndefined();
  });
});
