/**
 * `phone-binding/cognito/core`: the exports of `phone-binding/cognito`, whose factories take the
 * phone metadata an app brings (`metadata`: libphonenumber-js `max`, `mobile`, or a country
 * subset) instead of the bundled `min` — an app importing only `/core` entries ships none of it.
 * @packageDocumentation
 * @module phone-binding/cognito/core
 */
import type { MetadataOption } from '../../src/phone-core.js';
import type { PhoneBinding } from '../../src/types.js';
import { cognitoAdminAdapter } from './admin.js';
import type { CognitoAdminOptions, CognitoOptions } from './index.js';
import { cognitoAdapter } from './user.js';

export type { MetadataOption, PhoneMetadata } from '../../src/phone-core.js';
export type { ServerSecretOptions } from '../../src/types.js';
export { type AwsCredentials, COGNITO_ADMIN_CAPABILITIES } from './admin.js';
export type { CognitoAdminOptions, CognitoOptions } from './index.js';
export { COGNITO_CAPABILITIES, COGNITO_KEEP_ORIGINAL_CAPABILITIES } from './user.js';

/**
 * `cognito` of `phone-binding/cognito` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type CognitoOptions, cognito } from 'phone-binding/cognito/core';
 *
 * declare const options: CognitoOptions;
 * const phones = cognito({ ...options, metadata });
 * ```
 */
export function cognito(options: CognitoOptions & MetadataOption): PhoneBinding {
  return cognitoAdapter.create(options);
}

/**
 * `cognitoAdmin` of `phone-binding/cognito` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type CognitoAdminOptions, cognitoAdmin } from 'phone-binding/cognito/core';
 *
 * declare const options: CognitoAdminOptions;
 * const phones = cognitoAdmin({ ...options, metadata });
 * ```
 */
export function cognitoAdmin(options: CognitoAdminOptions & MetadataOption): PhoneBinding {
  return cognitoAdminAdapter.create(options);
}
