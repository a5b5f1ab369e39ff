import { authing } from '../../adapters/authing/index.js';
import { runConformanceSuite } from './suite.js';

runConformanceSuite({
  name: 'authing',
  provider: 'authing',
  setup(fakes, hooks) {
    const { token } = fakes.authing.createUser();
    const options = { baseUrl: fakes.urls.authing, accessToken: token, appId: fakes.authing.appId, hooks };
    return {
      binding: authing(options),
      secrets: [token],
      badCredential: () => authing({ ...options, accessToken: 'expired-token' }),
    };
  },
});

runConformanceSuite({
  name: 'genauth (x-genauth-* headers, Bearer token)',
  provider: 'authing',
  setup(fakes, hooks) {
    const { token } = fakes.authing.createUser();
    const options = {
      baseUrl: fakes.urls.authing,
      accessToken: () => token,
      appId: fakes.authing.appId,
      brand: 'genauth' as const,
      authorization: 'bearer' as const,
      hooks,
    };
    return {
      binding: authing(options),
      secrets: [token],
      badCredential: () => authing({ ...options, accessToken: () => 'expired-token' }),
    };
  },
});
