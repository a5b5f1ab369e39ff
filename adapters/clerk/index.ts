/**
 * Clerk adapter: {@link clerk} (Backend API).
 * @packageDocumentation
 * @module phone-binding/clerk
 */
import { MIN_METADATA } from '../../src/phone.js';
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
 * `GET /v1/users/{user_id}` reads the user's numbers (first, on every bind);
 * `POST /v1/phone_numbers` creates a number (verified at once with `verified: true`), and a code
 * flow runs through `POST /v1/phone_numbers/{id}/prepare_verification` and `…/attempt_verification`;
 * `PATCH /v1/phone_numbers/{id}` makes it primary or reserves it for MFA; `DELETE …/{id}` removes one.
 * Holds a server secret, so it refuses to be created in a browser unless `dangerouslyAllowBrowser: true`.
 *
 * Changing a number (`capabilities.change: 'on-verify'`): `bind()` for a user whose primary number
 * is another one creates the new number and answers `pending.replaces` (the current primary); the
 * old number stays primary and verified until the code is right. Then the new one is made primary
 * and the old one deleted — or kept as a secondary number with `keepPrevious: true`
 * (`keepPrevious` with `primary: false` adds a secondary number instead; `primary: false` alone on a
 * change is `invalid_input`). With `verified: true` the swap happens at once. If a step after the
 * accepted code fails, the user keeps a verified primary number, and `verify()` again with the same
 * ticket finishes the change. Binding the number the user already holds, verified, answers it as
 * bound and sends no SMS.
 *
 * `secondFactor: true` reserves the number for SMS multi-factor authentication once verified
 * (`reserved_for_second_factor`); `get()` reports `secondFactor`; `remove()` deletes the number
 * and its factor with it.
 *
 * @example
 * ```ts
 * import { clerk } from 'phone-binding/clerk';
 * const phones = clerk({ secretKey: process.env.CLERK_SECRET_KEY! });
 * await phones.bind({ userId: 'user_2abc', phoneNumber: '+1 213 373 4253', verified: true, primary: true });
 *
 * // Change it, with a code, and make the new one the SMS second factor:
 * const change = await phones.bind({ userId: 'user_2abc', phoneNumber: '+41 79 123 45 67', secondFactor: true });
 * if (change.state === 'pending') {
 *   change.replaces?.e164; // '+12133734253'
 *   await phones.verify({ ticket: change.ticket, code: '123456' }); // now primary; the old number is deleted
 * }
 * ```
 */
export function clerk(options: ClerkOptions): PhoneBinding {
  return clerkAdapter.create({ metadata: MIN_METADATA, ...options });
}
