import { describe, expect, it } from 'vitest';
import { csrfProblem, type CsrfInput } from './csrf.ts';

const base: CsrfInput = {
  method: 'POST',
  origin: 'https://carnet.example',
  secFetchSite: 'same-origin',
  token: 'session-csrf',
  sessionToken: 'session-csrf',
  originOnly: false,
  expectedOrigin: 'https://carnet.example',
};
const code = (input: Partial<CsrfInput>) => csrfProblem({ ...base, ...input })?.code;

describe('CSRF defences on cookie-authenticated requests', () => {
  it('lets a same-origin request with the session token through', () => {
    expect(code({})).toBeUndefined();
    expect(code({ origin: undefined, secFetchSite: undefined })).toBeUndefined();
  });

  it('never checks safe methods', () => {
    expect(code({ method: 'GET', token: undefined, origin: 'https://evil.example' })).toBeUndefined();
  });

  it('refuses a missing or wrong token', () => {
    expect(code({ token: undefined })).toBe('csrf_token_invalid');
    expect(code({ token: 'session-csrf-other' })).toBe('csrf_token_invalid');
  });

  it('refuses a foreign Origin or a cross-site fetch even with the token', () => {
    expect(code({ origin: 'https://evil.example' })).toBe('cross_origin_refused');
    expect(code({ origin: 'null' })).toBe('cross_origin_refused');
    expect(code({ origin: undefined, secFetchSite: 'cross-site' })).toBe('cross_origin_refused');
    expect(code({ origin: undefined, secFetchSite: 'same-site' })).toBe('cross_origin_refused');
  });

  it('checks only the origin on pre-login routes', () => {
    expect(code({ originOnly: true, sessionToken: undefined, token: undefined })).toBeUndefined();
    expect(code({ originOnly: true, sessionToken: undefined, origin: 'https://evil.example' })).toBe('cross_origin_refused');
  });

  it('leaves requests without a session cookie to their own authentication', () => {
    expect(code({ sessionToken: undefined, token: undefined, origin: 'https://app.example' })).toBeUndefined();
  });
});
