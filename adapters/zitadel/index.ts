/**
 * Zitadel adapters: {@link zitadel} (user service v2, admin) and {@link zitadelSelf} (auth API v1,
 * the token's own user).
 * @packageDocumentation
 * @module phone-binding/zitadel
 */
import { MIN_METADATA } from '../../src/phone.js';
import type { CommonAdapterOptions, Credential, PhoneBinding, ServerSecretOptions } from '../../src/types.js';
import { zitadelSelfAdapter } from './auth-self.js';
import { zitadelAdapter } from './user-service.js';

export type { ServerSecretOptions } from '../../src/types.js';
export { ZITADEL_SELF_CAPABILITIES } from './auth-self.js';
export { ZITADEL_CAPABILITIES } from './user-service.js';

/**
 * Options of {@link zitadel}.
 *
 * @example
 * ```ts
 * import { type ZitadelOptions, zitadel } from 'phone-binding/zitadel';
 *
 * // The app sends the code itself (e.g. through its own SMS provider or a messenger).
 * const options: ZitadelOptions = {
 *   baseUrl: 'https://my-instance.zitadel.cloud',
 *   token: process.env.ZITADEL_TOKEN!,
 *   delivery: 'return-code',
 * };
 * const phones = zitadel(options);
 * const result = await phones.bind({ userId: '2735672783', phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') await sendSms(result.phone.e164, `Your code: ${result.code}`);
 * ```
 */
export interface ZitadelOptions extends CommonAdapterOptions, ServerSecretOptions {
  /** The instance URL, e.g. `https://my-instance.zitadel.cloud`; the adapter appends `/v2/users/…`. */
  baseUrl: string;
  /**
   * A service user's access token or PAT with `user.write` and `user.read` (`get()`, and a
   * code-flow `bind()`, which reads the user's number first).
   */
  token: Credential;
  /**
   * How the code reaches the user: `'sms'` (default) sends it through Zitadel's SMS provider;
   * `'return-code'` sends nothing and hands the code back in `PendingVerification.code`, for apps
   * that deliver it themselves.
   */
  delivery?: 'sms' | 'return-code';
}

/**
 * Zitadel user service v2 (REST gateway) acting as admin on any user: `POST /v2/users/{userId}/phone`,
 * `…/phone/verify`, `…/phone/resend`, `GET /v2/users/{userId}`, `DELETE /v2/users/{userId}/phone`,
 * `POST /v2/users/{userId}/otp_sms`. Holds a service credential, so it refuses to be created in a
 * browser unless `dangerouslyAllowBrowser: true`.
 *
 * A code-flow `bind()` reads the user's number first. A change (`change: 'immediate'`): Zitadel
 * replaces the number at once and holds the new one unverified until `verify()`; the pending
 * result's `replaces` names the old number. The number the user already has is not set again
 * (Zitadel would answer `Errors.User.Phone.NotChanged`): verified, it is returned as bound and
 * nothing is sent; unverified, its code is re-sent (one SMS, the one `bind()` was asked for).
 *
 * `bind({ secondFactor: true })` enrols the number as the user's OTP SMS second factor once it is
 * verified (at once with `verified: true`, else in `verify()`); a factor set up already counts as
 * done. If enrolling fails after the code was accepted, the number stays verified without the
 * factor, and binding it again with `secondFactor: true` finishes it without an SMS. `get()` does
 * not tell the factor (Zitadel's user read holds none); `remove()` drops it with the phone.
 *
 * @example
 * ```ts
 * import { zitadel } from 'phone-binding/zitadel';
 * const binding = zitadel({ baseUrl: 'https://my-instance.zitadel.cloud', token: process.env.ZITADEL_TOKEN! });
 * const pending = await binding.bind({ userId: '2735672783', phoneNumber: '+41 79 123 45 67' });
 * ```
 */
export function zitadel(options: ZitadelOptions): PhoneBinding {
  return zitadelAdapter.create({ metadata: MIN_METADATA, ...options });
}

/**
 * Options of {@link zitadelSelf}.
 *
 * @example
 * ```ts
 * import { type ZitadelSelfOptions, zitadelSelf } from 'phone-binding/zitadel';
 *
 * const options: ZitadelSelfOptions = {
 *   baseUrl: 'https://my-instance.zitadel.cloud',
 *   token: () => auth.getAccessToken(), // the signed-in user's token, refreshed by your OIDC client
 *   timeout: 5_000,
 * };
 * const phones = zitadelSelf(options);
 * await phones.bind({ phoneNumber: '+41 79 123 45 67' }); // no userId: the token names the user
 * ```
 */
export interface ZitadelSelfOptions extends CommonAdapterOptions {
  /** The instance URL, e.g. `https://my-instance.zitadel.cloud`; the adapter appends `/auth/v1/users/me/phone`. */
  baseUrl: string;
  /** The signed-in user's OAuth access token. A function is called before every request, so it can refresh. */
  token: Credential;
}

/**
 * Zitadel auth API v1 acting on the token's own user (`scope: 'user'`): `PUT /auth/v1/users/me/phone`,
 * `POST …/_verify`, `POST …/_resend_verification`, `GET` and `DELETE`, and
 * `POST /auth/v1/users/me/auth_factors/otp_sms`. It holds only the user's own token, so it runs in
 * browsers as it is.
 *
 * `bind()` reads the user's number first; changing the number, the same number again and the
 * second factor (`bind({ secondFactor: true })`, enrolled in `verify()`) behave as in {@link zitadel}.
 *
 * @example
 * ```ts
 * import { zitadelSelf } from 'phone-binding/zitadel';
 * const binding = zitadelSelf({ baseUrl: 'https://my-instance.zitadel.cloud', token: () => auth.getAccessToken() });
 * const pending = await binding.bind({ phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
 * ```
 */
export function zitadelSelf(options: ZitadelSelfOptions): PhoneBinding {
  return zitadelSelfAdapter.create({ metadata: MIN_METADATA, ...options });
}
