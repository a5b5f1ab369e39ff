/**
 * ETNA Trader adapter: {@link etna}.
 * @packageDocumentation
 * @module phone-binding/etna
 */
import { MIN_METADATA } from '../../src/phone.js';
import type { CommonAdapterOptions, Credential, PhoneBinding } from '../../src/types.js';
import { etnaAdapter } from './adapter.js';

export { ETNA_CAPABILITIES } from './adapter.js';

/**
 * Options of {@link etna}.
 *
 * @example
 * ```ts
 * import { type EtnaOptions, etna } from 'phone-binding/etna';
 *
 * const options: EtnaOptions = {
 *   baseUrl: 'https://pub-api-et-demo-prod.etnasoft.us/api',
 *   token: process.env.ETNA_TOKEN!,
 *   appKey: process.env.ETNA_APP_KEY!,
 *   apiVersion: '1.0',
 * };
 * const phones = etna(options);
 * await phones.bind({ userId: '4521', phoneNumber: '+1 213 373 4253' });
 * ```
 */
export interface EtnaOptions extends CommonAdapterOptions {
  /** The Trading API root, path included, e.g. `https://pub-api-et-demo-prod.etnasoft.us/api`. */
  baseUrl: string;
  /** The bearer token from `POST {base}/token` (lives 24 h). A function is asked before every request. */
  token: Credential;
  /** The company's app key, sent as `Et-App-Key`. */
  appKey: Credential;
  /** API version in the path, `v{apiVersion}`. Default `"1.0"`. */
  apiVersion?: string;
}

/**
 * ETNA Trader (Trading API) on a user's phone number: `PUT …/users/{userId}/subscriptions/settings/phonenumber`
 * sends the SMS, `PUT …/phonenumber/token/{tokenId}?tokenValue=<code>` verifies it, `GET` reads it and
 * `DELETE` unbinds it. Every call carries `Authorization: Bearer <token>` and `Et-App-Key`.
 *
 * `bind()` reads the current number first (`GET`): the number the user already has, verified, is
 * answered as bound without an SMS; another number makes the bind a change, whose pending result
 * names it in `replaces`. ETNA swaps at once (`capabilities.change: 'immediate'`): while the code
 * is pending `get()` answers the new number unverified, and the old one is no longer bound.
 *
 * @example
 * ```ts
 * import { maskPhoneNumber } from 'phone-binding';
 * import { etna } from 'phone-binding/etna';
 * const phones = etna({ baseUrl: 'https://pub-api-et-demo-prod.etnasoft.us/api', token, appKey });
 * const pending = await phones.bind({ userId: '4521', phoneNumber: '+1 310 890 4569' });
 * if (pending.state === 'pending' && pending.replaces) {
 *   // "Change +1 ••• •• 53 to +1 ••• •• 69?"
 *   const question = `Change ${maskPhoneNumber(pending.replaces.e164)} to ${maskPhoneNumber(pending.phone.e164)}?`;
 * }
 * ```
 */
export function etna(options: EtnaOptions): PhoneBinding {
  return etnaAdapter.create({ metadata: MIN_METADATA, ...options });
}
