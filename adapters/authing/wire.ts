/** Authing v3 Authentication API wire shapes (schemas of the answers the adapter reads) and constants. */
import * as z from 'zod/mini';
import { lazy } from '../../src/kit/index.js';
import type { VerificationPurpose } from '../../src/types.js';

/** Authing's v3 envelope: `statusCode === 200` is the only success signal. */
export const envelopeSchema = lazy(() =>
  z.object({
    statusCode: z.number(),
    message: z.optional(z.string()),
    apiCode: z.optional(z.number()),
    requestId: z.optional(z.string()),
  }),
);

/** `GET /api/v3/get-profile`: a UserDto, as far as its number goes. */
export const profileSchema = lazy(() =>
  z.object({
    statusCode: z.literal(200),
    data: z.object({
      phone: z.nullish(z.string()),
      phoneCountryCode: z.nullish(z.string()),
      phoneVerified: z.nullish(z.boolean()),
    }),
  }),
);

/** Authing's documented one-SMS-per-minute limit per number and channel. */
export const SMS_INTERVAL_MS = 60_000;

/** The send-sms channel of each flow. */
export const CHANNEL: Record<VerificationPurpose, string> = {
  bind: 'CHANNEL_BIND_PHONE',
  remove: 'CHANNEL_UNBIND_PHONE',
};

/**
 * The channels of a change (verify-update-phone-request), which Authing's docs leave open (there
 * is no CHANNEL_UPDATE_PHONE). Decision: the new number's code on CHANNEL_BIND_PHONE, the current
 * number's on CHANNEL_UNBIND_PHONE — what Authing's own C# SDK test of this flow sends
 * (Authing/authing-csharp-sdk, AuthenticationClientAuthTest.Other.cs `VerifyUpdatePhoneRequestTest`,
 * marked as passing against Authing on 2022-10-19), and what each number's role in the change
 * is: the new one gets bound, the current one gets unbound.
 */
export const CHANGE_CHANNEL = { new: 'CHANNEL_BIND_PHONE', current: 'CHANNEL_UNBIND_PHONE' } as const;

/**
 * `POST /api/v3/verify-update-phone-request`: `data.updatePhoneToken` is what update-phone needs
 * (`tokenExpiresIn`, seconds, is not read: the token is used at once).
 */
export const updatePhoneRequestSchema = lazy(() =>
  z.object({
    statusCode: z.literal(200),
    data: z.object({
      updatePhoneToken: z.string().check(z.minLength(1)),
      tokenExpiresIn: z.nullish(z.number()),
    }),
  }),
);

/** `POST /api/v3/update-phone`: an `IsSuccessRespDto`. */
export const updatePhoneSchema = lazy(() =>
  z.object({
    statusCode: z.literal(200),
    data: z.object({ success: z.boolean() }),
  }),
);

/**
 * The ticket data of a change (bind() for a user who already has another number): `current` is
 * the replaced number (E.164, it becomes `oldPhoneNumber`), `needsCurrentCode` 1 when a code was
 * also sent to it. Plain first binds carry no data.
 */
export const changeTicketSchema = lazy(() =>
  z.optional(
    z.strictObject({
      change: z.literal(1),
      needsCurrentCode: z.union([z.literal(0), z.literal(1)]),
      current: z.string().check(z.maxLength(20)),
    }),
  ),
);
