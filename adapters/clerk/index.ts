/**
 * Clerk adapter: {@link clerk} (Backend API).
 * @packageDocumentation
 * @module phone-binding/clerk
 */
import type { CommonAdapterOptions, Credential, PhoneBinding, ServerSecretOptions } from '../../src/types.js';
import { clerkAdapter } from './adapter.js';

export { CLERK_CAPABILITIES } from './adapter.js';

import { API_VERSION } from './wire.js';

export type { ServerSecretOptions } from '../../src/types.js';

/**
 * The Backend API version this adapter is written against (sent as `Clerk-API-Version`).
 *
 * @example
 * ```ts
 * import { CLERK_API_VERSION } from 'phone-binding/clerk';
 *
 * // Call other Backend API endpoints with the same version the adapter uses.
 * const response = await fetch('https://api.clerk.com/v1/users/user_2abc', {
 *   headers: { authorization: `Bearer ${process.env.CLERK_SECRET_KEY}`, 'clerk-api-version': CLERK_API_VERSION },
 * });
 * ```
 */
export const CLERK_API_VERSION = API_VERSION;

/**
 * Options of {@link clerk}.
 *
 * @example
 * ```ts
 * import { type ClerkOptions, clerk } from 'phone-binding/clerk';
 *
 * const options: ClerkOptions = {
 *   secretKey: process.env.CLERK_SECRET_KEY!, // baseUrl defaults to https://api.clerk.com
 *   timeout: 5_000,
 *   retry: 2,
 * };
 * const phones = clerk(options);
 * await phones.bind({ userId: 'user_2abc', phoneNumber: '+1 213 373 4253', primary: true });
 * ```
 */
export interface ClerkOptions extends Omit<CommonAdapterOptions, 'baseUrl'>, ServerSecretOptions {
  /** The instance secret key, `sk_live_…` / `sk_test_…`. Server only. */
  secretKey: Credential;
  /** The Backend API root; the adapter appends `/v1/…`. Default `https://api.clerk.com`. */
  baseUrl?: string;
}

/**
 * Clerk's Backend API, acting as admin on any user with the instance secret key:
 * `POST /v1/phone_numbers` creates a number (verified at once with `verified: true`), and a code
 * flow runs through `POST /v1/phone_numbers/{id}/prepare_verification` and `…/attempt_verification`;
 * `GET /v1/users/{user_id}` reads the primary number; `DELETE /v1/phone_numbers/{id}` removes one.
 * Holds a server secret, so it refuses to be created in a browser unless `dangerouslyAllowBrowser: true`.
 *
 * @example
 * ```ts
 * import { clerk } from 'phone-binding/clerk';
 * const phones = clerk({ secretKey: process.env.CLERK_SECRET_KEY! });
 * await phones.bind({ userId: 'user_2abc', phoneNumber: '+1 213 373 4253', verified: true, primary: true });
 * ```
 */
export function clerk(options: ClerkOptions): PhoneBinding {
  return clerkAdapter.create(options);
}
