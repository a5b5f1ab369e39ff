import { etna } from '../../adapters/etna/index.js';
import { runConformanceSuite } from './suite.js';

runConformanceSuite({
  name: 'etna',
  provider: 'etna',
  setup(fakes, hooks) {
    const { userId } = fakes.etna.createUser();
    const options = {
      baseUrl: fakes.urls.etna,
      token: fakes.etna.adminToken,
      appKey: fakes.etna.appKey,
      hooks,
    };
    return {
      binding: etna(options),
      userId,
      secrets: [fakes.etna.adminToken, fakes.etna.appKey],
      badCredential: () => etna({ ...options, token: 'expired-token' }),
    };
  },
});

runConformanceSuite({
  name: 'etna (the user’s own token)',
  provider: 'etna',
  setup(fakes, hooks) {
    const { userId, token } = fakes.etna.createUser();
    const options = { baseUrl: fakes.urls.etna, token: async () => token, appKey: fakes.etna.appKey, hooks };
    return {
      binding: etna(options),
      userId,
      secrets: [token, fakes.etna.appKey],
      badCredential: () => etna({ ...options, appKey: 'wrong-app-key' }),
    };
  },
});
