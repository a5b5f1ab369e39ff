/** Supabase Auth (GoTrue @ bc32168) wire shapes: the answers both adapters read. */
import * as z from 'zod/mini';
import { lazy } from '../../src/kit/index.js';

/** The `X-Supabase-Api-Version` the adapters send: it selects the `{code, message}` error body. */
export const API_VERSION = '2024-01-01';

/** An Identity, as far as the phone goes (`identity_id` is the id `DELETE /user/identities/{id}` takes). */
export const identitySchema = lazy(() =>
  z.object({
    identity_id: z.optional(z.string()),
    provider: z.optional(z.string()),
  }),
);

/**
 * A User (`models.User`), as far as the phone goes. `phone` is digits without `+`, `""` when
 * none; the spec marks no field required, so an absent `phone` reads as none. `new_phone` is a
 * pending phone_change; `identities` may be absent.
 */
export const userSchema = lazy(() =>
  z.object({
    id: z.optional(z.string()),
    phone: z.nullish(z.string()),
    phone_confirmed_at: z.nullish(z.string()),
    new_phone: z.nullish(z.string()),
    phone_change_sent_at: z.nullish(z.string()),
    identities: z.nullish(z.array(identitySchema)),
  }),
);

/** A GoTrue User. */
export type SupabaseUser = z.output<typeof userSchema>;

/**
 * `POST /verify`'s answer, read only after its tokens are registered as secrets: an
 * access-token response whose `user` is the updated User.
 */
export const sessionSchema = lazy(() =>
  z.object({
    access_token: z.optional(z.string()),
    refresh_token: z.optional(z.string()),
    user: z.optional(userSchema),
  }),
);

/** Any JSON answer (read by hand, or not at all). */
export const anySchema = lazy(() => z.unknown());

/**
 * Error bodies: `{code: "phone_exists", message}` (with `X-Supabase-Api-Version` ≥ 2024-01-01),
 * the legacy `{code: 422, error_code, msg, error_id}`, or the gateway's `{message, hint}`.
 */
export const errorSchema = lazy(() =>
  z.object({
    code: z.optional(z.union([z.string(), z.number()])),
    error_code: z.optional(z.string()),
    message: z.optional(z.string()),
    msg: z.optional(z.string()),
    error_id: z.optional(z.string()),
  }),
);
