/** Zitadel wire shapes: the REST gateway's answers both adapters read (user service v2, auth API v1). */
import * as z from 'zod/mini';
import { lazy } from '../../src/kit/index.js';

/**
 * The REST gateway's error body (google.rpc.Status as JSON). Detail entries are
 * zitadel.v1.ErrorDetail {id, message} or, for ids with a ".", zitadel.error.v2.ErrorDetail {slug, …}.
 */
export const statusSchema = lazy(() =>
  z.object({
    code: z.number(),
    message: z.optional(z.string()),
    details: z.optional(
      z.array(
        z.object({
          id: z.optional(z.string()),
          slug: z.optional(z.string()),
          message: z.optional(z.string()),
        }),
      ),
    ),
  }),
);

// The official document requires no field of any answer: `details` (object details of the
// change) is what Zitadel sends, but an answer without it is still one the document allows.
const details = lazy(() => z.optional(z.object({})));

/** A mutation answer (a JSON object; `details` optional). */
export const mutationSchema = lazy(() => z.object({ details }));

/** v2 SetPhone / ResendPhoneCode: `verificationCode` (nullable) only with `returnCode`. */
export const setPhoneSchema = lazy(() => z.object({ details, verificationCode: z.nullish(z.string()) }));

/** v2 GetUserByID, as far as the phone goes. */
export const userSchema = lazy(() =>
  z.object({
    user: z.object({
      human: z.optional(
        z.object({
          // Default values are omitted on the wire: no phone is `{}`, unverified lacks isVerified.
          phone: z.optional(z.object({ phone: z.optional(z.string()), isVerified: z.optional(z.boolean()) })),
        }),
      ),
    }),
  }),
);

/** v1 GetMyPhone. */
export const myPhoneSchema = lazy(() =>
  z.object({
    details,
    phone: z.optional(z.object({ phone: z.optional(z.string()), isPhoneVerified: z.optional(z.boolean()) })),
  }),
);
