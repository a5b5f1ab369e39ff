import { describe, expect, it } from 'vitest';
import {
  configFromEnv,
  createPhoneBinding,
  envPrefix,
  envVariables,
  type PhoneBindingConfig,
} from '../../adapters/all/index.js';
import { PROVIDER_IDS } from '../../adapters/registry.js';
import { createFakeBackends, fakeTargets } from '../../src/testing/index.js';
import { thrown } from '../support/rejection.js';

/** The variables that hold `config` (the inverse of configFromEnv), for the options env can hold. */
function envOf(config: Record<string, unknown>): Record<string, string> {
  const { provider } = config as { provider: (typeof PROVIDER_IDS)[number] };
  const env: Record<string, string> = { PHONE_BINDING_PROVIDER: provider };
  for (const { option, field, variable } of envVariables(provider)) {
    const value = field === undefined ? config[option] : (config[option] as Record<string, unknown>)?.[field];
    if (value !== undefined) env[variable] = String(value);
  }
  return env;
}

describe('configFromEnv (phone-binding/all)', () => {
  // The targets whose options the environment can hold (not a credential function).
  const envTargets = fakeTargets().filter((target) => {
    const { config } = target.setup(createFakeBackends());
    return Object.values(config).every((value) => typeof value !== 'function');
  });

  it('the fakes’ targets include env-only configurations of every provider', () => {
    expect(new Set(envTargets.map((target) => target.provider))).toEqual(new Set(PROVIDER_IDS));
  });

  it.each(envTargets.map((target) => [target.name, target] as const))(
    '%s: the variables of its fake config give back the same config, and a working adapter',
    async (_, target) => {
      const fakes = createFakeBackends();
      const { config, userId } = target.setup(fakes);
      const fromEnv = configFromEnv(envOf(config));
      expect(fromEnv).toEqual(config);
      const phones = createPhoneBinding({ ...fromEnv, fetch: fakes.fetch } as PhoneBindingConfig);
      await expect(phones.get(userId === undefined ? {} : { userId })).resolves.toBeNull();
    },
  );

  it('one prefix per entry (its subpath), options in SCREAMING_SNAKE; object fields one variable each', () => {
    expect(envPrefix('zitadel-self')).toBe('ZITADEL');
    expect(envPrefix('supabase-admin')).toBe('SUPABASE');
    expect(envVariables('clerk').map((v) => v.variable)).toContain('CLERK_SECRET_KEY');
    expect(envVariables('zitadel').find((v) => v.option === 'maxRetryAfter')).toMatchObject({
      variable: 'ZITADEL_MAX_RETRY_AFTER',
      kind: 'number',
      required: false,
    });
    expect(envVariables('cognito-admin').filter((v) => v.option === 'credentials')).toEqual([
      {
        option: 'credentials',
        field: 'accessKeyId',
        variable: 'COGNITO_ACCESS_KEY_ID',
        required: true,
        kind: 'string',
      },
      {
        option: 'credentials',
        field: 'secretAccessKey',
        variable: 'COGNITO_SECRET_ACCESS_KEY',
        required: true,
        kind: 'string',
      },
      {
        option: 'credentials',
        field: 'sessionToken',
        variable: 'COGNITO_SESSION_TOKEN',
        required: false,
        kind: 'string',
      },
    ]);
    // Options only code can give are not read.
    for (const provider of PROVIDER_IDS) {
      const options = envVariables(provider).map((v) => v.option);
      for (const codeOnly of ['fetch', 'hooks', 'headers']) expect(options).not.toContain(codeOnly);
    }
  });

  it('numbers and flags are read as such; other variables and other providers’ are ignored', () => {
    expect(
      configFromEnv({
        PHONE_BINDING_PROVIDER: 'clerk',
        CLERK_SECRET_KEY: 'sk_test_x',
        CLERK_TIMEOUT: '2500',
        CLERK_DANGEROUSLY_ALLOW_BROWSER: 'false',
        CLERK_USER_ID: 'user_1',
        ZITADEL_TOKEN: 'not clerk’s',
      }),
    ).toEqual({ provider: 'clerk', secretKey: 'sk_test_x', timeout: 2500, dangerouslyAllowBrowser: false });
  });

  it('every problem at once, by variable name, never a value; a mistyped provider lists the ids', () => {
    const error = thrown(() =>
      configFromEnv({
        PHONE_BINDING_PROVIDER: 'cognito-admin',
        COGNITO_ACCESS_KEY_ID: 'AKIA-SECRET-LOOKING',
        COGNITO_TIMEOUT: 'soon',
        COGNITO_BASE_URL: 'ftp://files.example',
      }),
    );
    expect(error.code).toBe('invalid_input');
    for (const named of [
      'COGNITO_USER_POOL_ID is missing',
      'COGNITO_SECRET_ACCESS_KEY is missing',
      'COGNITO_TIMEOUT must be a number',
      'COGNITO_BASE_URL must be',
    ]) {
      expect(error.message).toContain(named);
    }
    expect(error.message).not.toMatch(/AKIA-SECRET-LOOKING|soon|ftp:/);
    expect(thrown(() => configFromEnv({})).message).toContain('PHONE_BINDING_PROVIDER is missing');
    const mistyped = thrown(() => configFromEnv({ PHONE_BINDING_PROVIDER: 'clerc' })).message;
    expect(mistyped).toContain(`must be one of: ${PROVIDER_IDS.join(', ')}`);
  });

  it('defaults to process.env', () => {
    const saved = { ...process.env };
    try {
      process.env.PHONE_BINDING_PROVIDER = 'zitadel-self';
      process.env.ZITADEL_BASE_URL = 'https://acme.zitadel.cloud';
      process.env.ZITADEL_TOKEN = 'pat';
      expect(configFromEnv()).toEqual({
        provider: 'zitadel-self',
        baseUrl: 'https://acme.zitadel.cloud',
        token: 'pat',
      });
    } finally {
      for (const key of ['PHONE_BINDING_PROVIDER', 'ZITADEL_BASE_URL', 'ZITADEL_TOKEN']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
