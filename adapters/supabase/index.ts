/**
 * Supabase Auth adapter: {@link supabase} (the signed-in user's own number).
 * @packageDocumentation
 * @module phone-binding/supabase
 */
import type { CommonAdapterOptions, Credential, PhoneBinding } from '../../src/types.js';
import { supabaseAdapter } from './user.js';

export { SUPABASE_CAPABILITIES } from './user.js';

/**
 * Options of {@link supabase}.
 *
 * @example
 * ```ts
 * import { type SupabaseOptions, supabase } from 'phone-binding/supabase';
 *
 * const options: SupabaseOptions = {
 *   baseUrl: 'https://abcdefghijklmnop.supabase.co',
 *   apiKey: 'sb_publishable_…',
 *   accessToken: async () => (await client.auth.getSession()).data.session?.access_token ?? '',
 * };
 * const phones = supabase(options);
 * ```
 */
export interface SupabaseOptions extends CommonAdapterOptions {
  /**
   * The project URL, e.g. `https://<project-ref>.supabase.co` (local CLI: `http://127.0.0.1:54321`);
   * the adapter appends `/auth/v1/…`. A URL that already ends in `/auth/v1` is taken as Auth's root.
   */
  baseUrl: string;
  /** The project's publishable key (`sb_publishable_…`) or legacy `anon` key, sent as `apikey`. */
  apiKey: Credential;
  /** The signed-in user's access token (a JWT), sent as `Authorization: Bearer`. A function is asked per request. */
  accessToken: Credential;
  /**
   * Lifetime of a phone code in seconds, as the project is configured (`GOTRUE_SMS_OTP_EXP`,
   * dashboard "SMS OTP Expiry"); default 60. No answer tells it: it sets the ticket's `expiresAt`.
   */
  otpExpiry?: number;
}

/**
 * Supabase Auth acting on the signed-in user's own number (`scope: 'user'`): `GET /user` (first,
 * on every bind), `PUT /user { phone }` (sends the phone_change code), `POST /verify` type
 * `phone_change`, and `DELETE /user/identities/{identity_id}` to remove. Runs in browsers.
 *
 * Changing a number (`change: 'on-verify'`): GoTrue keeps the old number, verified, and holds the
 * new one as `new_phone` until the code is right; `pending.replaces` names the old one. The
 * session `/verify` issues is dropped, never returned or shown. With SMS autoconfirm on, `bind()`
 * answers the number bound and verified at once. Removing needs "Allow manual linking" on the
 * project (else `unsupported`) and another identity left (else `forbidden`). Resend repeats
 * `PUT /user` (at most once a minute: `rate_limited` with `retryAfterMs`).
 *
 * @example
 * ```ts
 * import { supabase } from 'phone-binding/supabase';
 * const phones = supabase({ baseUrl: 'https://abcdefghijklmnop.supabase.co', apiKey: 'sb_publishable_…', accessToken: token });
 * const pending = await phones.bind({ phoneNumber: '+41 79 123 45 67' });
 * if (pending.state === 'pending') await phones.verify({ ticket: pending.ticket, code: '123456' });
 * ```
 */
export function supabase(options: SupabaseOptions): PhoneBinding {
  return supabaseAdapter.create(options);
}
