/**
 * `phone-binding/all/core`: {@link createPhoneBinding} and the environment reader of
 * `phone-binding/all`, on the phone metadata an app brings (`metadata` in the config) instead of
 * the bundled `min`.
 * @packageDocumentation
 * @module phone-binding/all/core
 */
import type { MetadataOption } from '../../src/phone-core.js';
import type { PhoneBinding } from '../../src/types.js';
import { createFromConfig } from './create.js';
import type { PhoneBindingConfig } from './index.js';

export type { MetadataOption, PhoneMetadata } from '../../src/phone-core.js';
export type { ProviderOptions } from '../registry.js';
export { configFromEnv, type EnvVariable, envPrefix, envVariables, PROVIDER_VARIABLE } from './env.js';
export type { PhoneBindingConfig } from './index.js';

/**
 * `createPhoneBinding` of `phone-binding/all` on the phone metadata in the config (required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { configFromEnv, createPhoneBinding } from 'phone-binding/all/core';
 *
 * const phones = createPhoneBinding({ ...configFromEnv(), metadata });
 * ```
 */
export function createPhoneBinding(config: PhoneBindingConfig & MetadataOption): PhoneBinding {
  return createFromConfig(config);
}
