import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import { isPhoneBindingError } from '../../src/index.js';

const SECRET = 'sk_live_do_not_print_me';

function refused(config: unknown): { code: string; message: string } {
  try {
    createPhoneBinding(config as PhoneBindingConfig);
  } catch (error) {
    expect(isPhoneBindingError(error)).toBe(true);
    const e = error as { code: string; message: string };
    expect(e.message).not.toContain(SECRET);
    return e;
  }
  throw new Error('expected the config to be refused');
}

afterEach(() => vi.unstubAllGlobals());

describe('createPhoneBinding', () => {
  it.each([
    [
      { provider: 'etna', baseUrl: 'https://etna.example.test/api', token: SECRET, appKey: 'key' },
      'etna',
      'admin',
    ],
    [
      { provider: 'authing', baseUrl: 'https://app.authing.test', accessToken: SECRET, appId: 'app' },
      'authing',
      'user',
    ],
    [
      { provider: 'zitadel', baseUrl: 'https://z.example.test', token: SECRET, delivery: 'return-code' },
      'zitadel',
      'admin',
    ],
    [
      { provider: 'zitadel-self', baseUrl: 'https://z.example.test', token: () => SECRET },
      'zitadel-self',
      'user',
    ],
    [{ provider: 'clerk', secretKey: async () => SECRET }, 'clerk', 'admin'],
  ] as const)('%o → the %s adapter', (config, provider, scope) => {
    const binding = createPhoneBinding(config as PhoneBindingConfig);
    expect(binding.provider).toBe(provider);
    expect(binding.capabilities.scope).toBe(scope);
  });

  it.each([
    [undefined, 'config must be an object'],
    [{}, 'config.provider must be one of: etna, authing, zitadel, zitadel-self, clerk'],
    [{ provider: 'twilio', token: SECRET }, 'config.provider must be one of'],
    [{ provider: 'clerk' }, 'config.secretKey is missing'],
    [{ provider: 'clerk', secretKey: '' }, 'config.secretKey'],
    [{ provider: 'clerk', secretKey: 42 }, 'config.secretKey has the wrong type'],
    [{ provider: 'clerk', secretKey: SECRET, secretkey: SECRET }, 'unknown field(s): secretkey'],
    [{ provider: 'etna', baseUrl: 'https://e.test', token: SECRET }, 'config.appKey is missing'],
    [{ provider: 'etna', token: SECRET, appKey: 'k' }, 'config.baseUrl is missing'],
    [
      { provider: 'authing', baseUrl: 'https://a.test', accessToken: SECRET, appId: 'a', brand: 'okta' },
      'config.brand must be one of: authing, genauth',
    ],
    [
      { provider: 'zitadel', baseUrl: 'https://z.test', token: SECRET, delivery: 'fax' },
      'config.delivery must be one of: sms, return-code',
    ],
    [
      { provider: 'zitadel-self', baseUrl: 'https://z.test', token: SECRET, delivery: 'sms' },
      'unknown field(s): delivery',
    ],
    [
      { provider: 'zitadel-self', baseUrl: 'https://z.test', token: SECRET, timeout: '5000' },
      'config.timeout must be a number',
    ],
    [{ provider: 'clerk', secretKey: SECRET, headers: { 'x-a': 1 } }, 'config.headers.x-a must be a string'],
  ])('refuses %o with invalid_input naming the field', (config, message) => {
    const error = refused(config);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(message);
  });

  it('reports every problem of a config at once', () => {
    const error = refused({ provider: 'etna', timeout: 0, tokn: SECRET });
    expect(error.code).toBe('invalid_input');
    for (const problem of [
      'config.baseUrl is missing',
      'config.token is missing',
      'config.appKey is missing',
      'config.timeout must be a positive whole number of milliseconds',
      'unknown field(s): tokn',
    ]) {
      expect(error.message).toContain(problem);
    }
  });

  it('echoes a mistyped provider (no secret) with the nearest valid one', () => {
    const error = refused({ provider: 'clerck', secretKey: SECRET });
    expect(error.message).toContain('config.provider must be one of:');
    expect(error.message).toContain('(got "clerck"; did you mean "clerk"?)');
    // A provider value that does not look like a name is not echoed.
    expect(refused({ provider: `${SECRET} `, secretKey: SECRET }).message).not.toContain('got');
  });

  it('passes every common option through: ticketSecret, deadline, maxRetryAfter, hooks', () => {
    const binding = createPhoneBinding({
      provider: 'zitadel-self',
      baseUrl: 'https://z.test',
      token: SECRET,
      ticketSecret: 'a-ticket-secret-of-32-characters!',
      deadline: 5000,
      maxRetryAfter: 1000,
      timeout: 1000,
      retry: 1,
      hooks: {},
    });
    expect(binding.provider).toBe('zitadel-self');
    expect(
      refused({ provider: 'zitadel-self', baseUrl: 'https://z.test', token: SECRET, ticketSecret: 'short' })
        .message,
    ).toContain('ticketSecret');
  });

  it('the adapter’s own checks still run after the config passes (baseUrl must be absolute)', () => {
    const error = refused({ provider: 'zitadel-self', baseUrl: 'not a url', token: SECRET });
    expect(error.message).toContain('baseUrl');
  });

  it('server-secret adapters still refuse a browser', () => {
    vi.stubGlobal('window', { document: {} });
    expect(refused({ provider: 'clerk', secretKey: SECRET }).message).toContain('dangerouslyAllowBrowser');
    expect(
      createPhoneBinding({ provider: 'clerk', secretKey: SECRET, dangerouslyAllowBrowser: true }).provider,
    ).toBe('clerk');
  });
});
