/**
 * `phone-binding/supabase/core`: the exports of `phone-binding/supabase`, whose factories take the
 * phone metadata an app brings (`metadata`: libphonenumber-js `max`, `mobile`, or a country
 * subset) instead of the bundled `min` — an app importing only `/core` entries ships none of it.
 * @packageDocumentation
 * @module phone-binding/supabase/core
 */
import type { MetadataOption } from '../../src/phone-core.js';
import type { PhoneBinding } from '../../src/types.js';
import { supabaseAdminAdapter } from './admin.js';
import type { SupabaseAdminOptions, SupabaseOptions } from './index.js';
import { supabaseAdapter } from './user.js';

export type { MetadataOption, PhoneMetadata } from '../../src/phone-core.js';
export type { ServerSecretOptions } from '../../src/types.js';
export { SUPABASE_ADMIN_CAPABILITIES } from './admin.js';
export type { SupabaseAdminOptions, SupabaseOptions } from './index.js';
export { SUPABASE_CAPABILITIES } from './user.js';

/**
 * `supabase` of `phone-binding/supabase` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type SupabaseOptions, supabase } from 'phone-binding/supabase/core';
 *
 * declare const options: SupabaseOptions;
 * const phones = supabase({ ...options, metadata });
 * ```
 */
export function supabase(options: SupabaseOptions & MetadataOption): PhoneBinding {
  return supabaseAdapter.create(options);
}

/**
 * `supabaseAdmin` of `phone-binding/supabase` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type SupabaseAdminOptions, supabaseAdmin } from 'phone-binding/supabase/core';
 *
 * declare const options: SupabaseAdminOptions;
 * const phones = supabaseAdmin({ ...options, metadata });
 * ```
 */
export function supabaseAdmin(options: SupabaseAdminOptions & MetadataOption): PhoneBinding {
  return supabaseAdminAdapter.create(options);
}
