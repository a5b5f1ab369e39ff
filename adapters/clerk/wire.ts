/** Clerk Backend API wire shapes (schemas of the answers the adapter reads; BAPI 2026-05-12). */
import * as z from 'zod/mini';
import { lazy } from '../../src/kit/index.js';

/** The Backend API version this adapter is written against (sent as `Clerk-API-Version`). */
export const API_VERSION = '2026-05-12';

// The document (`_VerificationResponse`, `PhoneNumber`) requires none of the fields below; each
// schema requires only what its operation cannot do without, and then names it.

/** `prepare_verification`: the verification's `id` (the attempt names it); its status is not read. */
export const prepareSchema = lazy(() =>
  z.object({
    id: z.string().check(z.minLength(1)),
    status: z.optional(z.string()),
    expire_at: z.nullish(z.number()),
  }),
);

/** `attempt_verification`: its `status` is the outcome; its `id` is not read. */
export const attemptSchema = lazy(() => z.object({ id: z.optional(z.string()), status: z.string() }));

/** A PhoneNumber object; `id` is needed only of the record an operation acts on. */
export const phoneSchema = lazy(() =>
  z.object({
    id: z.optional(z.string().check(z.minLength(1))),
    phone_number: z.string(),
    verification: z.nullish(z.object({ status: z.string() })),
    /** Reserved for multi-factor authentication (the SMS second factor). */
    reserved_for_second_factor: z.optional(z.boolean()),
  }),
);

/** A User, as far as its numbers go. */
export const userSchema = lazy(() =>
  z.object({
    phone_numbers: z.array(phoneSchema),
    primary_phone_number_id: z.nullish(z.string()),
  }),
);

/** `DELETE /v1/phone_numbers/{id}`: a DeletedObject. */
export const deletedSchema = lazy(() => z.object({ deleted: z.boolean() }));

/** `{errors:[{code,message,long_message,meta}], clerk_trace_id}` (ClerkErrors). */
export const errorsSchema = lazy(() =>
  z.object({
    errors: z.array(
      z.object({ code: z.string(), message: z.optional(z.string()), long_message: z.optional(z.string()) }),
    ),
    clerk_trace_id: z.optional(z.string()),
  }),
);

/** A Clerk User, as far as its numbers go. */
export type ClerkUser = z.infer<typeof userSchema>;

/** A Clerk PhoneNumber record. */
export type ClerkPhone = z.infer<typeof phoneSchema>;
