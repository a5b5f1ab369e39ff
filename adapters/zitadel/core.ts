/**
 * `phone-binding/zitadel/core`: the exports of `phone-binding/zitadel`, whose factories take the
 * phone metadata an app brings (`metadata`: libphonenumber-js `max`, `mobile`, or a country
 * subset) instead of the bundled `min` — an app importing only `/core` entries ships none of it.
 * @packageDocumentation
 * @module phone-binding/zitadel/core
 */
import type { MetadataOption } from '../../src/phone-core.js';
import type { PhoneBinding } from '../../src/types.js';
import { zitadelSelfAdapter } from './auth-self.js';
import type { ZitadelOptions, ZitadelSelfOptions } from './index.js';
import { zitadelAdapter } from './user-service.js';

export type { MetadataOption, PhoneMetadata } from '../../src/phone-core.js';
export type { ServerSecretOptions } from '../../src/types.js';
export { ZITADEL_SELF_CAPABILITIES } from './auth-self.js';
export type { ZitadelOptions, ZitadelSelfOptions } from './index.js';
export { ZITADEL_CAPABILITIES } from './user-service.js';

/**
 * `zitadel` of `phone-binding/zitadel` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type ZitadelOptions, zitadel } from 'phone-binding/zitadel/core';
 *
 * declare const options: ZitadelOptions;
 * const phones = zitadel({ ...options, metadata });
 * ```
 */
export function zitadel(options: ZitadelOptions & MetadataOption): PhoneBinding {
  return zitadelAdapter.create(options);
}

/**
 * `zitadelSelf` of `phone-binding/zitadel` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type ZitadelSelfOptions, zitadelSelf } from 'phone-binding/zitadel/core';
 *
 * declare const options: ZitadelSelfOptions;
 * const phones = zitadelSelf({ ...options, metadata });
 * ```
 */
export function zitadelSelf(options: ZitadelSelfOptions & MetadataOption): PhoneBinding {
  return zitadelSelfAdapter.create(options);
}
