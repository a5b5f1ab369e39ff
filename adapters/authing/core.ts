/**
 * `phone-binding/authing/core`: the exports of `phone-binding/authing`, whose factories take the
 * phone metadata an app brings (`metadata`: libphonenumber-js `max`, `mobile`, or a country
 * subset) instead of the bundled `min` — an app importing only `/core` entries ships none of it.
 * @packageDocumentation
 * @module phone-binding/authing/core
 */
import type { MetadataOption } from '../../src/phone-core.js';
import type { PhoneBinding } from '../../src/types.js';
import { authingAdapter } from './adapter.js';
import type { AuthingOptions } from './index.js';

export type { MetadataOption, PhoneMetadata } from '../../src/phone-core.js';
export { AUTHING_CAPABILITIES } from './adapter.js';
export type { AuthingOptions } from './index.js';

/**
 * `authing` of `phone-binding/authing` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type AuthingOptions, authing } from 'phone-binding/authing/core';
 *
 * declare const options: AuthingOptions;
 * const phones = authing({ ...options, metadata });
 * ```
 */
export function authing(options: AuthingOptions & MetadataOption): PhoneBinding {
  return authingAdapter.create(options);
}
