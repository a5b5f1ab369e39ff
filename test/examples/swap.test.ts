/** The swap example runs the same code against all five backends, chosen by environment alone. */
import { describe, expect, it } from 'vitest';
import { bindAndVerify, configFromEnv } from '../../examples/swap.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { backendEnv, type ExampleBackend } from '../support/backend-env.js';
import { useFakeServer } from '../support/fake-server.js';

let fakes: FakeBackends;
let server: FakeServer;
useFakeServer((started) => ({ fakes, server } = started));

const PHONE = '+41 79 123 45 67';

describe('examples/swap.ts', () => {
  it.each<ExampleBackend>(['etna', 'authing', 'zitadel', 'zitadel-self', 'clerk'])(
    'binds and verifies on %s',
    async (provider) => {
      const timeout = `${provider === 'zitadel-self' ? 'ZITADEL' : provider.toUpperCase()}_TIMEOUT`;
      const env = {
        PHONE_BINDING_PROVIDER: provider,
        [timeout]: '5000',
        ...backendEnv(fakes, server, provider).env,
      };
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
        AUTHING_APP_ID: 'a',
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
      appId: 'a',
      userPoolId: 'p',
      retry: 0,
    });
  });

  it('a misspelt variable is refused by name', async () => {
    const env = { PHONE_BINDING_PROVIDER: 'clerk', CLERK_SECRET: 'sk_x' };
    await expect(bindAndVerify(env, PHONE, async () => '')).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('CLERK_SECRET_KEY is missing'),
    });
  });
});
