/** Clerk Backend API wire shapes (schemas of the answers the adapter reads; BAPI 2026-05-12). */
import * as z from 'zod/mini';

/** The Backend API version this adapter is written against (sent as `Clerk-API-Version`). */
export const API_VERSION = '2026-05-12';

/** `prepare_verification` / `attempt_verification` answers: a Verification. */
export const verificationSchema = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.string(),
  attempts: z.nullish(z.number()),
  expire_at: z.nullish(z.number()),
});

/** A PhoneNumber object. */
export const phoneSchema = z.object({
  id: z.string().check(z.minLength(1)),
  phone_number: z.string(),
  verification: z.nullish(z.object({ status: z.string() })),
});

/** A User, as far as its numbers go. */
export const userSchema = z.object({
  phone_numbers: z.array(phoneSchema),
  primary_phone_number_id: z.nullish(z.string()),
});

/** `DELETE /v1/phone_numbers/{id}`: a DeletedObject. */
export const deletedSchema = z.object({ deleted: z.boolean() });

/** `{errors:[{code,message,long_message,meta}], clerk_trace_id}` (ClerkErrors). */
export const errorsSchema = z.object({
  errors: z.array(
    z.object({ code: z.string(), message: z.optional(z.string()), long_message: z.optional(z.string()) }),
  ),
  clerk_trace_id: z.optional(z.string()),
});

/** A Clerk PhoneNumber record. */
export type ClerkPhone = z.infer<typeof phoneSchema>;
