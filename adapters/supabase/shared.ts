/** What both Supabase adapters share: the path prefix, the protocol header, reading a User. */
import type { OperationContext } from '../../src/kit/index.js';
import type { BoundPhone, PhoneNumber } from '../../src/types.js';
import { API_VERSION, type SupabaseUser } from './wire.js';

/**
 * Auth's path below `baseUrl`: the project URL (`https://<ref>.supabase.co`, or the CLI's
 * `http://127.0.0.1:54321`) serves it at `/auth/v1`; a `baseUrl` that already ends in `/auth/v1`
 * is taken as Auth's root.
 */
export function authPath(ctx: OperationContext<{ baseUrl: string }>, ...rest: string[]): string[] {
  return ctx.options.baseUrl.endsWith('/auth/v1') ? rest : ['auth', 'v1', ...rest];
}

/** `X-Supabase-Api-Version: 2024-01-01`: error bodies then carry the string `code`. */
export function fixedHeaders(): Record<string, string> {
  return { 'x-supabase-api-version': API_VERSION };
}

/** GoTrue stores digits without `+`: `"41791234567"` → `"+41791234567"`. */
export function withPlus(stored: string): string {
  return stored.startsWith('+') ? stored : `+${stored}`;
}

/**
 * A number GoTrue stored, read (and registered for masking). `known` is the number this call
 * sent: when GoTrue echoes exactly it (in E.164 once the "+" is back), it is taken as is instead
 * of being parsed again — the kit's rule for a stored number equal to a known one.
 */
function stored(ctx: OperationContext<unknown>, value: string, known: PhoneNumber | undefined): PhoneNumber {
  const e164 = withPlus(value);
  return ctx.storedPhone(e164, known !== undefined && e164 === known.e164 ? known : undefined);
}

/** The user's number as stored (`""`/absent: none); `known`: see {@link stored}. */
export function currentPhone(
  ctx: OperationContext<unknown>,
  user: SupabaseUser,
  known?: PhoneNumber,
): PhoneNumber | undefined {
  return user.phone ? stored(ctx, user.phone, known) : undefined;
}

/** The pending phone_change number (`new_phone`), if any; `known`: see {@link stored}. */
export function pendingPhone(
  ctx: OperationContext<unknown>,
  user: SupabaseUser,
  known?: PhoneNumber,
): PhoneNumber | undefined {
  return user.new_phone ? stored(ctx, user.new_phone, known) : undefined;
}

/** The phone identity's `identity_id` (the only id attached to the phone). */
export function phoneIdentityId(user: SupabaseUser): string | undefined {
  return user.identities?.find((identity) => identity.provider === 'phone')?.identity_id ?? undefined;
}

/**
 * The bound number of a User: `phone` + `phone_confirmed_at` is verified, `phone` alone
 * unverified, `""` none. A pending `new_phone` does not count (`change: 'on-verify'`). `known`:
 * see {@link stored}.
 */
export function toBound(
  ctx: OperationContext<unknown>,
  user: SupabaseUser,
  known?: PhoneNumber,
): BoundPhone | null {
  const phone = currentPhone(ctx, user, known);
  if (!phone) return null;
  return ctx.bound({ phone, verified: Boolean(user.phone_confirmed_at), id: phoneIdentityId(user) });
}
