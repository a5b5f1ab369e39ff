/**
 * Authing / GenAuth adapter: {@link authing}.
 * @packageDocumentation
 * @module phone-binding/authing
 */
import { MIN_METADATA } from '../../src/phone.js';
import type { CommonAdapterOptions, Credential, PhoneBinding } from '../../src/types.js';
import { authingAdapter } from './adapter.js';

export { AUTHING_CAPABILITIES } from './adapter.js';

/**
 * Options of {@link authing}.
 *
 * @example
 * ```ts
 * import { type AuthingOptions, authing } from 'phone-binding/authing';
 *
 * const options: AuthingOptions = {
 *   baseUrl: 'https://example.genauth.ai',
 *   appId: '62f1c2e0a1b2c3d4e5f60718',
 *   accessToken: () => session.accessToken,
 *   brand: 'genauth', // x-genauth-* headers
 *   authorization: 'bearer',
 *   lang: 'en-US',
 * };
 * const phones = authing(options);
 * await phones.bind({ phoneNumber: '+86 188 0000 8888' }); // no userId: the token names the user
 * ```
 */
export interface AuthingOptions extends CommonAdapterOptions {
  /** The application's own domain (Authentication API), e.g. `https://example.authing.cn` or `https://example.genauth.ai`. */
  baseUrl: string;
  /** The signed-in end user's access token. A function is asked before every request. */
  accessToken: Credential;
  /** The application id, sent as `x-authing-app-id` (`x-genauth-app-id`). Required by every official SDK. */
  appId: string;
  /** The user pool id, sent as `x-authing-userpool-id` when given (the browser SDKs send it; the Node SDK does not). */
  userPoolId?: string;
  /**
   * How the token travels in `Authorization`: `'raw'` (default, what the official Node SDK sends)
   * or `'bearer'` (`Bearer <token>`, what the web SDK sends).
   */
  authorization?: 'raw' | 'bearer';
  /** `'genauth'` sends the `x-genauth-*` header names of GenAuth's SDK. Default `'authing'`. */
  brand?: 'authing' | 'genauth';
  /** Language of Authing's messages, sent as `x-authing-lang`. */
  lang?: 'zh-CN' | 'en-US';
  /**
   * Set it when the user pool's `changePhoneStrategy.verifyOldPhone` is on (the console's "verify
   * the old phone when changing it"): a change of number then also sends a code to the current
   * number (`CHANNEL_UNBIND_PHONE`), the pending result says `needsCurrentCode: true`, and
   * `verify({ ticket, code, currentCode })` finishes it. The user's token cannot read that pool
   * setting, so the adapter must be told. Default `false`.
   *
   * @example
   * ```ts
   * const phones = authing({ baseUrl, appId, accessToken, verifyCurrentPhone: true });
   * const change = await phones.bind({ phoneNumber: '+86 188 0000 9999' }); // the user has +86 188 0000 8888
   * if (change.state === 'pending' && change.needsCurrentCode) {
   *   await phones.verify({ ticket: change.ticket, code: newCode, currentCode: oldCode });
   * }
   * ```
   */
  verifyCurrentPhone?: boolean;
}

/**
 * Authing (and GenAuth, its international brand) on the signed-in user's own number, through the
 * v3 Authentication API: `POST /api/v3/send-sms` sends the code, `POST /api/v3/bind-phone` binds
 * a first number with it, `GET /api/v3/get-profile` reads it, and `remove()` takes two steps (a
 * code on `CHANNEL_UNBIND_PHONE`, then `POST /api/v3/unbind-phone`). Authing reports failures as
 * HTTP 200 with a body `statusCode`; every one becomes a `PhoneBindingError` (without `status`).
 *
 * `bind()` for a user who already has another number is a change (`capabilities.change` is
 * `'on-verify'`): the code goes to the new number (`CHANNEL_BIND_PHONE`) — and, with
 * {@link AuthingOptions.verifyCurrentPhone}, a second one to the current number
 * (`CHANNEL_UNBIND_PHONE`) — the pending result names the number it `replaces`, and `verify()`
 * calls `POST /api/v3/verify-update-phone-request`, then `POST /api/v3/update-phone`. Until then
 * the current number stays bound and verified. Binding the number the user already has, verified,
 * answers it and sends nothing.
 *
 * @example
 * ```ts
 * import { authing } from 'phone-binding/authing';
 * const phones = authing({ baseUrl: 'https://example.authing.cn', appId, accessToken: () => session.accessToken });
 * const pending = await phones.bind({ phoneNumber: '+86 188 0000 8888' });
 * // later, a change: pending.replaces is the number it replaces
 * const change = await phones.bind({ phoneNumber: '+86 188 0000 9999' });
 * ```
 */
export function authing(options: AuthingOptions): PhoneBinding {
  return authingAdapter.create({ metadata: MIN_METADATA, ...options });
}
