/**
 * Supabase Auth (GoTrue) admin API acting on any user with the secret (service role) key:
 * `PUT /admin/users/{user_id} {phone, phone_confirm: true}` binds as verified,
 * `GET /admin/users/{user_id}` reads. Holds a server secret, so it refuses browsers unless
 * `dangerouslyAllowBrowser: true`.
 */
import type * as z from 'zod/mini';
import {
  adapterOptions,
  bearer,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  invalidInput,
  lazy,
  type OperationTypes,
  PhoneBindingError,
  serverSecretShape,
} from '../../src/kit/index.js';
import { mapSupabaseError } from './errors.js';
import { authPath, fixedHeaders, toBound } from './shared.js';
import { userSchema } from './wire.js';

/**
 * What the Supabase admin adapter can do.
 *
 * @example
 * ```ts
 * import { SUPABASE_ADMIN_CAPABILITIES } from 'phone-binding/supabase';
 *
 * SUPABASE_ADMIN_CAPABILITIES.scope; // 'admin': any userId, with the secret key
 * SUPABASE_ADMIN_CAPABILITIES.assertVerified; // true: bind({ verified: true }) sends no SMS
 * SUPABASE_ADMIN_CAPABILITIES.codeVerification; // false: the admin API cannot send a phone code
 * SUPABASE_ADMIN_CAPABILITIES.remove; // false: no admin route clears a phone
 * ```
 */
export const SUPABASE_ADMIN_CAPABILITIES = defineCapabilities({
  scope: 'admin',
  // A1 replaces the number at once; there is no pending state on this adapter.
  change: 'immediate',
  // Decision (admin bind({ verified: false })): not supported. `phone_confirm: false` never
  // unconfirms, so a new number would inherit the old one's confirmation (reference A1);
  // the only honest admin bind is verified. And the admin API cannot send a phone code.
  assertVerified: true,
  get: true,
  // Decision (admin remove): reference A3 "not available" — PUT ignores `phone: ""` and there
  // is no admin identity deletion.
  remove: false,
  secondFactor: false,
});

const options = lazy(() => adapterOptions({ secretKey: credentialSchema, ...serverSecretShape }));
type Op = OperationTypes<'admin', z.output<typeof options>, undefined>;
type Ctx = Op['ctx'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Supabase admin adapter, declared. */
export const supabaseAdminAdapter = defineAdapter({
  provider: 'supabase-admin',
  capabilities: SUPABASE_ADMIN_CAPABILITIES,
  options,
  serverSecret: 'secretKey',
  http: {
    // Decision (new secret keys on admin routes): the key as `apikey` (the gateway) and as
    // `Authorization: Bearer` (GoTrue's admin check), the same value in both, as supabase-js
    // sends it; an `sb_secret_…` key in Bearer is accepted only when it equals `apikey`.
    credentials: (o) => [
      { header: 'apikey', credential: o.secretKey, field: 'secretKey' },
      bearer(o.secretKey, 'secretKey'),
    ],
    fixedHeaders,
    errors: mapSupabaseError,
  },
  // GoTrue answers a non-UUID user_id with 404 validation_failed; refused before any request.
  checkUserId(userId: string) {
    if (!UUID.test(userId)) throw invalidInput('userId must be a Supabase user id (a UUID).');
  },
  operations: { bind, get },
});

/** `PUT /admin/users/{id} {phone, phone_confirm: true}`: no SMS; it may create the phone identity. */
async function bind({ userId, phone }: Op['bind'], ctx: Ctx) {
  const user = await ctx.send({
    method: 'PUT',
    path: authPath(ctx, 'admin', 'users', userId),
    json: { phone: phone.e164, phone_confirm: true },
    schema: userSchema,
    idempotent: false,
  });
  const bound = toBound(ctx, user, phone);
  if (bound?.phone.e164 !== phone.e164 || bound.state !== 'verified') {
    throw new PhoneBindingError({
      code: 'invalid_response',
      message:
        'Supabase accepted the number but its answer does not hold it confirmed (phone, phone_confirmed_at).',
    });
  }
  return bound;
}

async function get({ userId }: Op['get'], ctx: Ctx) {
  const user = await ctx.send({
    method: 'GET',
    path: authPath(ctx, 'admin', 'users', userId),
    schema: userSchema,
    idempotent: true,
  });
  return toBound(ctx, user);
}
