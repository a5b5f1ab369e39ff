/** Authing v3 Authentication API wire shapes (schemas of the answers the adapter reads) and constants. */
import * as z from 'zod/mini';
import type { VerificationPurpose } from '../../src/types.js';

/** Authing's v3 envelope: `statusCode === 200` is the only success signal. */
export const envelopeSchema = z.object({
  statusCode: z.number(),
  message: z.optional(z.string()),
  apiCode: z.optional(z.number()),
  requestId: z.optional(z.string()),
});

/** `GET /api/v3/get-profile`: a UserDto, as far as its number goes. */
export const profileSchema = z.object({
  statusCode: z.literal(200),
  data: z.object({
    phone: z.nullish(z.string()),
    phoneCountryCode: z.nullish(z.string()),
    phoneVerified: z.nullish(z.boolean()),
  }),
});

/** Authing's documented one-SMS-per-minute limit per number and channel. */
export const SMS_INTERVAL_MS = 60_000;

/** The send-sms channel of each flow. */
export const CHANNEL: Record<VerificationPurpose, string> = {
  bind: 'CHANNEL_BIND_PHONE',
  remove: 'CHANNEL_UNBIND_PHONE',
};
