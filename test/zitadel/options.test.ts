import { afterEach, describe, expect, it, vi } from 'vitest';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import { isPhoneBindingError } from '../../src/index.js';

const base = { baseUrl: 'https://zitadel.example.test', token: 'service-token' };

function thrown(create: () => unknown) {
  try {
    create();
  } catch (error) {
    expect(isPhoneBindingError(error)).toBe(true);
    return error as { code: string; message: string };
  }
  throw new Error('expected the factory to throw');
}

afterEach(() => vi.unstubAllGlobals());

describe('zitadel() in a browser', () => {
  it('refuses to hold its service token in a page unless dangerouslyAllowBrowser', () => {
    vi.stubGlobal('window', { document: {} });
    const error = thrown(() => zitadel(base));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('dangerouslyAllowBrowser');
    expect(error.message).not.toContain('service-token');
    expect(zitadel({ ...base, dangerouslyAllowBrowser: true }).provider).toBe('zitadel');
  });

  it('refuses in a browser worker too (importScripts, no window)', () => {
    vi.stubGlobal('importScripts', () => undefined);
    expect(thrown(() => zitadel(base)).message).toContain('dangerouslyAllowBrowser');
  });

  it('zitadelSelf uses the user’s own token and runs in a page as it is', () => {
    vi.stubGlobal('window', { document: {} });
    expect(zitadelSelf(base).provider).toBe('zitadel-self');
  });
});

describe('adapter options are checked at creation, naming the field but never a secret', () => {
  it.each([
    ['missing token', { baseUrl: base.baseUrl }, 'token'],
    ['empty token', { ...base, token: '' }, 'token'],
    ['token with a newline', { ...base, token: 'abc\r\nX-Evil: 1' }, 'token'],
    ['relative baseUrl', { ...base, baseUrl: '/api' }, 'baseUrl'],
    ['ftp baseUrl', { ...base, baseUrl: 'ftp://zitadel.example.test' }, 'baseUrl'],
    ['baseUrl with a query', { ...base, baseUrl: 'https://zitadel.example.test/?x=1' }, 'baseUrl'],
    ['unknown delivery', { ...base, delivery: 'email' }, 'delivery'],
    ['unknown option', { ...base, tokn: 'x' }, 'tokn'],
    ['zero timeout', { ...base, timeout: 0 }, 'timeout'],
    ['negative retry', { ...base, retry: -1 }, 'retry'],
    ['header with CR/LF', { ...base, headers: { 'x-a': 'b\nc' } }, 'headers'],
    ['fetch not a function', { ...base, fetch: 'fetch' }, 'fetch'],
    ['hook not a function', { ...base, hooks: { request: 1 } }, 'hooks.request'],
  ])('%s', (_name, options, field) => {
    const error = thrown(() => zitadel(options as never));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(field);
    expect(error.message).not.toContain('abc');
  });

  it('zitadelSelf has no delivery or dangerouslyAllowBrowser option', () => {
    expect(thrown(() => zitadelSelf({ ...base, delivery: 'sms' } as never)).message).toContain('delivery');
  });

  it('accepts a token function and keeps a base path', () => {
    const binding = zitadel({
      baseUrl: 'https://example.test/zitadel/',
      token: async () => 't',
      timeout: 500,
      retry: 0,
    });
    expect(binding.capabilities).toMatchObject({ scope: 'admin', assertVerified: true, returnCode: true });
    expect(Object.isFrozen(binding)).toBe(true);
  });
});
