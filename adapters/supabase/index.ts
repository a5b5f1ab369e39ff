/**
 * Supabase Auth adapters: {@link supabase} (the signed-in user's own number) and
 * {@link supabaseAdmin} (the secret key, any user). Decision (factories): provider ids
 * `supabase` (user scope, runs in browsers) and `supabase-admin` (admin scope, a server secret:
 * refuses browsers unless `dangerouslyAllowBrowser`), as DESIGN names them.
 * @packageDocumentation
 * @module phone-binding/supabase
 */
import { MIN_METADATA } from '../../src/phone.js';
import type { CommonAdapterOptions, Credential, PhoneBinding, ServerSecretOptions } from '../../src/types.js';
import { supabaseAdminAdapter } from './admin.js';
import { supabaseAdapter } from './user.js';

export type { ServerSecretOptions } from '../../src/types.js';
export { SUPABASE_ADMIN_CAPABILITIES } from './admin.js';
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
  return supabaseAdapter.create({ metadata: MIN_METADATA, ...options });
}

/**
 * Options of {@link supabaseAdmin}.
 *
 * @example
 * ```ts
 * import { type SupabaseAdminOptions, supabaseAdmin } from 'phone-binding/supabase';
 *
 * const options: SupabaseAdminOptions = {
 *   baseUrl: 'https://abcdefghijklmnop.supabase.co',
 *   secretKey: process.env.SUPABASE_SECRET_KEY!,
 * };
 * const phones = supabaseAdmin(options);
 * ```
 */
export interface SupabaseAdminOptions extends CommonAdapterOptions, ServerSecretOptions {
  /** The project URL, e.g. `https://<project-ref>.supabase.co`; the adapter appends `/auth/v1/admin/users/…`. */
  baseUrl: string;
  /**
   * The secret key (`sb_secret_…`) or legacy `service_role` JWT, sent as `apikey` and as
   * `Authorization: Bearer`. Server only.
   */
  secretKey: Credential;
}

/**
 * Supabase Auth's admin API on any user (`scope: 'admin'`, `userId` a UUID): `PUT
 * /admin/users/{user_id} { phone, phone_confirm: true }` binds the number verified (no SMS),
 * `GET /admin/users/{user_id}` reads it. The admin API sends no phone codes and cannot clear a
 * phone, so only `bind({ verified: true })` and `get()` are supported. Holds a server secret:
 * refuses to be created in a browser unless `dangerouslyAllowBrowser: true`.
 *
 * @example
 * ```ts
 * import { supabaseAdmin } from 'phone-binding/supabase';
 * const phones = supabaseAdmin({ baseUrl: 'https://abcdefghijklmnop.supabase.co', secretKey: process.env.SUPABASE_SECRET_KEY! });
 * await phones.bind({ userId: '5d0c2a4e-7c1b-4d8e-9f3a-2b6c8d0e1f2a', phoneNumber: '+41 79 123 45 67', verified: true });
 * ```
 */
export function supabaseAdmin(options: SupabaseAdminOptions): PhoneBinding {
  return supabaseAdminAdapter.create({ metadata: MIN_METADATA, ...options });
}
