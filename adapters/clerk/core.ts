/**
 * `phone-binding/clerk/core`: the exports of `phone-binding/clerk`, whose factories take the
 * phone metadata an app brings (`metadata`: libphonenumber-js `max`, `mobile`, or a country
 * subset) instead of the bundled `min` — an app importing only `/core` entries ships none of it.
 * @packageDocumentation
 * @module phone-binding/clerk/core
 */
import type { MetadataOption } from '../../src/phone-core.js';
import type { PhoneBinding } from '../../src/types.js';
import { clerkAdapter } from './adapter.js';
import type { ClerkOptions } from './index.js';
import { API_VERSION } from './wire.js';

export type { MetadataOption, PhoneMetadata } from '../../src/phone-core.js';
export type { ServerSecretOptions } from '../../src/types.js';
export { CLERK_CAPABILITIES } from './adapter.js';
export type { ClerkOptions } from './index.js';

/**
 * The Backend API version this adapter is written against (sent as `Clerk-API-Version`).
 *
 * @example
 * ```ts
 * import { CLERK_API_VERSION } from 'phone-binding/clerk/core';
 *
 * // Call other Backend API endpoints with the same version the adapter uses.
 * const response = await fetch('https://api.clerk.com/v1/users/user_2abc', {
 *   headers: { authorization: `Bearer ${process.env.CLERK_SECRET_KEY}`, 'clerk-api-version': CLERK_API_VERSION },
 * });
 * ```
 */
export const CLERK_API_VERSION = API_VERSION;

/**
 * `clerk` of `phone-binding/clerk` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type ClerkOptions, clerk } from 'phone-binding/clerk/core';
 *
 * declare const options: ClerkOptions;
 * const phones = clerk({ ...options, metadata });
 * ```
 */
export function clerk(options: ClerkOptions & MetadataOption): PhoneBinding {
  return clerkAdapter.create(options);
}
