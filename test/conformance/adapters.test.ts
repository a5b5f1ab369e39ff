/**
 * The conformance suite on every adapter configuration the fakes serve (`fakeTargets()`, in the
 * registry's order): a new backend's fake targets run here without a line added.
 */
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import { fakeTargets } from '../../src/testing/index.js';
import { runConformanceSuite } from './suite.js';

for (const target of fakeTargets()) {
  runConformanceSuite({
    name: target.name,
    provider: target.provider,
    setup(fakes, hooks) {
      const { config, userId, secrets } = target.setup(fakes);
      const options = { ...config, ...(hooks ? { hooks } : {}) } as PhoneBindingConfig;
      return {
        binding: createPhoneBinding(options),
        ...(userId === undefined ? {} : { userId }),
        secrets,
        badCredential: () => createPhoneBinding({ ...options, [target.credential]: target.revoked }),
      };
    },
  });
}
