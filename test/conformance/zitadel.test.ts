import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import { runConformanceSuite } from './suite.js';

runConformanceSuite({
  name: 'zitadel (user service v2, sms)',
  provider: 'zitadel',
  setup(fakes, hooks) {
    const { userId } = fakes.zitadel.createUser();
    const options = { baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, hooks };
    return {
      binding: zitadel(options),
      userId,
      secrets: [fakes.zitadel.adminToken],
      badCredential: () => zitadel({ ...options, token: 'not-a-valid-token' }),
    };
  },
});

runConformanceSuite({
  name: 'zitadel (user service v2, return-code)',
  provider: 'zitadel',
  setup(fakes, hooks) {
    const { userId } = fakes.zitadel.createUser();
    const options = {
      baseUrl: fakes.urls.zitadel,
      token: fakes.zitadel.adminToken,
      hooks,
      delivery: 'return-code' as const,
    };
    return {
      binding: zitadel(options),
      userId,
      secrets: [fakes.zitadel.adminToken],
      badCredential: () => zitadel({ ...options, token: async () => 'not-a-valid-token' }),
    };
  },
});

runConformanceSuite({
  name: 'zitadelSelf (auth API v1)',
  provider: 'zitadel-self',
  setup(fakes, hooks) {
    const { token } = fakes.zitadel.createUser();
    const options = { baseUrl: fakes.urls.zitadel, token, hooks };
    return {
      binding: zitadelSelf(options),
      secrets: [token],
      badCredential: () => zitadelSelf({ ...options, token: 'not-a-valid-token' }),
    };
  },
});
