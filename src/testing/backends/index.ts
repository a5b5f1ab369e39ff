import { authingBackend } from './authing/index.js';
import { clerkBackend } from './clerk/index.js';
import { etnaBackend } from './etna/index.js';
import { zitadelBackend } from './zitadel/index.js';

/** Every fake backend. Adding one is adding its folder and a line here. */
export const BACKENDS = {
  zitadel: zitadelBackend,
  etna: etnaBackend,
  authing: authingBackend,
  clerk: clerkBackend,
} as const;

/**
 * Ids of the fake backends.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type FakeBackendId } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * // Both Zitadel adapters (zitadel and zitadelSelf) use the one fake Zitadel instance.
 * const ids: FakeBackendId[] = ['zitadel', 'etna', 'authing', 'clerk'];
 * for (const id of ids) console.log(id, fakes.urls[id]); // e.g. 'zitadel https://fake.phone-binding.test/zitadel'
 * ```
 *
 * @useDeclaredType
 */
export type FakeBackendId = keyof typeof BACKENDS;
