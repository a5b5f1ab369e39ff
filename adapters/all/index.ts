/**
 * One entry for every backend: {@link createPhoneBinding} picks the adapter from a config object,
 * so an app can swap backends by configuration alone.
 * @packageDocumentation
 * @module phone-binding/all
 */
import { MIN_METADATA } from '../../src/phone.js';
import type { PhoneBinding } from '../../src/types.js';
import type { ProviderId, ProviderOptions } from '../registry.js';
import { createFromConfig } from './create.js';

export type { ProviderOptions } from '../registry.js';
export { configFromEnv, type EnvVariable, envPrefix, envVariables, PROVIDER_VARIABLE } from './env.js';

/**
 * A backend and its adapter's options in one object.
 *
 * @example
 * ```ts
 * const config: PhoneBindingConfig = { provider: 'zitadel-self', baseUrl: 'https://my.zitadel.cloud', token };
 * ```
 */
export type PhoneBindingConfig = { [P in ProviderId]: { provider: P } & ProviderOptions[P] }[ProviderId];

/**
 * Creates the adapter a config object names. The config is checked with the very schema the
 * adapter's factory uses, plus `provider`: every missing, misspelt or mistyped field is reported
 * at once as `invalid_input`, naming the field and never its value.
 *
 * @example
 * ```ts
 * import { createPhoneBinding } from 'phone-binding/all';
 * const phones = createPhoneBinding({ provider: 'clerk', secretKey: process.env.CLERK_SECRET_KEY! });
 * ```
 */
export function createPhoneBinding(config: PhoneBindingConfig): PhoneBinding {
  return createFromConfig(config, { metadata: MIN_METADATA });
}
