import { clerk } from '../../adapters/clerk/index.js';
import { runConformanceSuite } from './suite.js';

runConformanceSuite({
  name: 'clerk (Backend API)',
  provider: 'clerk',
  setup(fakes, hooks) {
    const { userId } = fakes.clerk.createUser();
    const options = { baseUrl: fakes.urls.clerk, secretKey: fakes.clerk.secretKey, hooks };
    return {
      binding: clerk(options),
      userId,
      secrets: [fakes.clerk.secretKey],
      badCredential: () => clerk({ ...options, secretKey: 'sk_test_revoked' }),
    };
  },
});
