import type { FakeBackends, FakeServer } from '../../src/testing/index.js';

/** The backends the examples run on (zitadelSelf is the Zitadel fake reached with a user's token). */
export type ExampleBackend = 'etna' | 'authing' | 'zitadel' | 'zitadel-self' | 'clerk';

/**
 * A fresh user on the fake of `name`, and the variables an operator would set to reach it on
 * `server` (`<PREFIX>_<OPTION>`, and `<PREFIX>_USER_ID` where the backend needs one).
 */
export function backendEnv(
  fakes: FakeBackends,
  server: FakeServer,
  name: ExampleBackend,
): { env: Record<string, string>; userId: string } {
  switch (name) {
    case 'etna': {
      const { userId } = fakes.etna.createUser();
      const env = { ETNA_BASE_URL: server.urls.etna, ETNA_TOKEN: fakes.etna.adminToken };
      return { env: { ...env, ETNA_APP_KEY: fakes.etna.appKey, ETNA_USER_ID: userId }, userId };
    }
    case 'authing': {
      const { userId, token } = fakes.authing.createUser();
      const env = { AUTHING_BASE_URL: server.urls.authing, AUTHING_APP_ID: fakes.authing.appId };
      return { env: { ...env, AUTHING_ACCESS_TOKEN: token }, userId };
    }
    case 'zitadel': {
      const { userId } = fakes.zitadel.createUser();
      const env = { ZITADEL_BASE_URL: server.urls.zitadel, ZITADEL_TOKEN: fakes.zitadel.adminToken };
      return { env: { ...env, ZITADEL_USER_ID: userId }, userId };
    }
    case 'zitadel-self': {
      const { userId, token } = fakes.zitadel.createUser();
      return { env: { ZITADEL_BASE_URL: server.urls.zitadel, ZITADEL_TOKEN: token }, userId };
    }
    case 'clerk': {
      const { userId } = fakes.clerk.createUser();
      const env = { CLERK_SECRET_KEY: fakes.clerk.secretKey, CLERK_BASE_URL: server.urls.clerk };
      return { env: { ...env, CLERK_USER_ID: userId }, userId };
    }
  }
}
