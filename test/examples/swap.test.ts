/** The swap example runs the same code against all five backends, chosen by environment alone. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindAndVerify, configFromEnv } from '../../examples/swap.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';

let fakes: FakeBackends;
let server: FakeServer;
beforeAll(async () => {
  fakes = createFakeBackends();
  server = await fakes.listen();
});
afterAll(() => server.close());

const PHONE = '+41 79 123 45 67';

/** Each backend's settings as an operator would put them into the environment. */
function envFor(provider: string): NodeJS.ProcessEnv {
  switch (provider) {
    case 'etna': {
      const { userId } = fakes.etna.createUser();
      return {
        ETNA_BASE_URL: server.urls.etna,
        ETNA_TOKEN: fakes.etna.adminToken,
        ETNA_APP_KEY: fakes.etna.appKey,
        ETNA_USER_ID: userId,
      };
    }
    case 'authing':
      return {
        AUTHING_BASE_URL: server.urls.authing,
        AUTHING_ACCESS_TOKEN: fakes.authing.createUser().token,
        AUTHING_APP_ID: fakes.authing.appId,
      };
    case 'zitadel':
      return {
        ZITADEL_BASE_URL: server.urls.zitadel,
        ZITADEL_TOKEN: fakes.zitadel.adminToken,
        ZITADEL_USER_ID: fakes.zitadel.createUser().userId,
      };
    case 'zitadel-self':
      return {
        ZITADEL_BASE_URL: server.urls.zitadel,
        ZITADEL_TOKEN: fakes.zitadel.createUser().token,
      };
    default:
      return {
        CLERK_BASE_URL: server.urls.clerk,
        CLERK_SECRET_KEY: fakes.clerk.secretKey,
        CLERK_USER_ID: fakes.clerk.createUser().userId,
      };
  }
}

describe('examples/swap.ts', () => {
  it.each(['etna', 'authing', 'zitadel', 'zitadel-self', 'clerk'])(
    'binds and verifies on %s',
    async (provider) => {
      const timeout = `${provider === 'zitadel-self' ? 'ZITADEL' : provider.toUpperCase()}_TIMEOUT`;
      const env = { PHONE_BINDING_PROVIDER: provider, [timeout]: '5000', ...envFor(provider) };
      const codes: string[] = [];
      const bound = await bindAndVerify(env, PHONE, async (pending) => {
        const code = fakes.lastCode(pending.phone.e164)!;
        codes.push(code);
        return code;
      });
      expect(bound).toMatchObject({ state: 'verified', provider, phone: { e164: '+41791234567' } });
      expect(codes).toHaveLength(1);
    },
  );

  it('maps <PREFIX>_* variables to camelCase options, numbers for timeout and retry', () => {
    expect(
      configFromEnv({
        PHONE_BINDING_PROVIDER: 'authing',
        AUTHING_BASE_URL: 'https://a.test',
        AUTHING_ACCESS_TOKEN: 't',
        AUTHING_USER_POOL_ID: 'p',
        AUTHING_RETRY: '0',
        AUTHING_USER_ID: 'not an option',
        CLERK_SECRET_KEY: 'another provider’s',
        OTHER: 'x',
      }),
    ).toEqual({
      provider: 'authing',
      baseUrl: 'https://a.test',
      accessToken: 't',
      userPoolId: 'p',
      retry: 0,
    });
  });

  it('a misspelt variable is refused by name', async () => {
    const env = { PHONE_BINDING_PROVIDER: 'clerk', CLERK_SECRET: 'sk_x' };
    await expect(bindAndVerify(env, PHONE, async () => '')).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('config.secretKey is missing'),
    });
  });
});
