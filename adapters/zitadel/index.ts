/**
 * Zitadel adapters: {@link zitadel} (user service v2, admin) and {@link zitadelSelf} (auth API v1,
 * the token's own user).
 * @packageDocumentation
 * @module phone-binding/zitadel
 */
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
  /** A service user's access token or PAT with `user.write` (and `user.read` for `get()`). */
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
 * `…/phone/verify`, `…/phone/resend`, `GET /v2/users/{userId}`, `DELETE /v2/users/{userId}/phone`.
 * Holds a service credential, so it refuses to be created in a browser unless
 * `dangerouslyAllowBrowser: true`.
 *
 * Setting the number the user already has is answered by Zitadel with `Errors.User.Phone.NotChanged`;
 * the adapter then does what Zitadel's docs advise: if that number is verified it returns it as
 * bound, otherwise it re-sends the code (one SMS, the one `bind()` was asked for).
 *
 * @example
 * ```ts
 * import { zitadel } from 'phone-binding/zitadel';
 * const binding = zitadel({ baseUrl: 'https://my-instance.zitadel.cloud', token: process.env.ZITADEL_TOKEN! });
 * const pending = await binding.bind({ userId: '2735672783', phoneNumber: '+41 79 123 45 67' });
 * ```
 */
export function zitadel(options: ZitadelOptions): PhoneBinding {
  return zitadelAdapter.create(options);
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
 * `POST …/_verify`, `POST …/_resend_verification`, `GET` and `DELETE`. It holds only the user's own
 * token, so it runs in browsers as it is.
 *
 * @example
 * ```ts
 * import { zitadelSelf } from 'phone-binding/zitadel';
 * const binding = zitadelSelf({ baseUrl: 'https://my-instance.zitadel.cloud', token: () => auth.getAccessToken() });
 * const pending = await binding.bind({ phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
 * ```
 */
export function zitadelSelf(options: ZitadelSelfOptions): PhoneBinding {
  return zitadelSelfAdapter.create(options);
}
