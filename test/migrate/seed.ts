/**
 * Users with a phone in a given state on any fake backend, and the admin-scope adapters of
 * `fakeTargets()` a migration can run between (their config acts for any user of the fake).
 */
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import { ADAPTERS } from '../../adapters/registry.js';
import type { PhoneBinding } from '../../src/index.js';
import {
  createFakeBackends,
  type FakeBackendId,
  type FakeBackends,
  type FakeTarget,
  fakeTargets,
} from '../../src/testing/index.js';

/** A number on a user: verified or not; `null` for none. */
export type Held = { e164: string; verified: boolean } | null;

/** Creates a user on `fakes[fake]` holding `held`; answers its id. */
export async function seedUser(fakes: FakeBackends, fake: FakeBackendId, held: Held): Promise<string> {
  switch (fake) {
    case 'etna':
      return fakes.etna.createUser(
        held
          ? { phone: held.e164, state: held.verified ? 'Active' : 'NotVerified' }
          : { phone: null, state: 'NotLinked' },
      ).userId;
    case 'zitadel':
      return fakes.zitadel.createUser(held ? { phone: held.e164, isVerified: held.verified } : {}).userId;
    case 'clerk': {
      if (!held || held.verified)
        return fakes.clerk.createUser(held ? { phoneNumbers: [held.e164] } : {}).userId;
      // The control surface holds verified numbers only; Clerk's own API creates an unverified one.
      const { userId } = fakes.clerk.createUser();
      const response = await fakes.fetch(`${fakes.urls.clerk}/v1/phone_numbers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fakes.clerk.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: userId, phone_number: held.e164, verified: false }),
      });
      if (!response.ok) throw new Error(`seeding clerk: ${response.status}`);
      return userId;
    }
    case 'supabase':
      return fakes.supabase.createUser(
        held ? { phone: held.e164.slice(1), phoneConfirmed: held.verified } : {},
      ).userId;
    case 'cognito': {
      const { userId } = fakes.cognito.createUser(held ? { phoneNumber: held.e164 } : {});
      const user = fakes.cognito.user(userId) as { verified: boolean } | undefined;
      if (held && !held.verified && user) user.verified = false;
      return userId;
    }
    default:
      // A backend added later (or one with only user-scope adapters) gets its seeding here first.
      throw new Error(`seedUser: no seeding for the ${fake} fake yet`);
  }
}

/** The fakes `seedUser` can seed. */
const SEEDED: readonly string[] = ['etna', 'zitadel', 'clerk', 'supabase', 'cognito'];

/** `fakeTargets()` rows whose adapter is admin-scope and whose config acts for any user of the fake. */
export function migrationTargets(): FakeTarget[] {
  return fakeTargets().filter((target) => {
    if (ADAPTERS[target.provider].spec.capabilities.scope !== 'admin' || !SEEDED.includes(target.fake))
      return false;
    const probe = createFakeBackends();
    // A config tied to one user (ETNA with a user's own token) names another secret for each user.
    const [one, other] = [target.setup(probe), target.setup(probe)];
    return one.secrets.join() === other.secrets.join();
  });
}

/** The adapter of `target` on `fakes`, through their in-process fetch (or at `baseUrl`). */
export function bindingOn(target: FakeTarget, fakes: FakeBackends, baseUrl?: string): PhoneBinding {
  const { config } = target.setup(fakes, baseUrl);
  return createPhoneBinding({ ...config, ...(baseUrl ? {} : { fetch: fakes.fetch }) } as PhoneBindingConfig);
}

let counter = 0;
/** A fresh valid Swiss mobile number, E.164. */
export function freshNumber(): string {
  counter += 1;
  return `+41791${String(counter).padStart(6, '0')}`;
}
