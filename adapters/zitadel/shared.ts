/** What both Zitadel adapters share: the token header, "not changed", ticket data and the SMS second factor. */
import * as z from 'zod/mini';
import {
  bearer,
  type CredentialHeader,
  isPhoneBindingError,
  lazy,
  type OperationContext,
  PhoneBindingError,
} from '../../src/kit/index.js';
import type { BoundPhone, Credential, PhoneNumber } from '../../src/types.js';
import { NOT_CHANGED_IDS, OTP_SMS_EXISTS_IDS } from './errors.js';
import { mutationSchema } from './wire.js';

/** `Authorization: Bearer <token>`, resolved per request. */
export function tokenCredentials(options: { token: Credential }): readonly CredentialHeader[] {
  return [bearer(options.token, 'token')];
}

/**
 * The ticket data of both adapters: `{ secondFactor: 1 }` when `bind({ secondFactor: true })` asked
 * for the number to become the SMS second factor once verified; no data otherwise (tickets issued
 * before the second factor existed carry none and stay valid).
 */
export const ticketData = lazy(() => z.optional(z.object({ secondFactor: z.optional(z.literal(1)) })));

/** What {@link ticketData} yields. */
export type TicketData = z.output<typeof ticketData>;

/** The ticket data a pending verification carries for this wish. */
export function secondFactorData(wanted: boolean): { secondFactor: 1 } | undefined {
  return wanted ? { secondFactor: 1 } : undefined;
}

/** `true` when Zitadel refused to set the number because the user already has it. */
export function isNotChanged(error: unknown): boolean {
  return isPhoneBindingError(error) && NOT_CHANGED_IDS.includes(error.providerCode ?? '');
}

/**
 * After "not changed", the number read back must be the one bound; another one means the user's
 * number changed in between, and only asking again can tell what is true.
 */
export function requireSameNumber(
  current: BoundPhone | null,
  phone: PhoneNumber,
  providerCode: string,
): BoundPhone {
  if (current?.phone.e164 !== phone.e164) {
    throw new PhoneBindingError({
      code: 'provider_error',
      message: 'Zitadel answered "number not changed" but the user holds another number; try again.',
      providerCode,
    });
  }
  return current;
}

/**
 * Enrols the user's verified number as the SMS second factor: v2 `POST /v2/users/{userId}/otp_sms`
 * or v1 `POST /auth/v1/users/me/auth_factors/otp_sms`, body `{}` (the proto's `body: "*"`; the
 * request holds nothing but the user). The factor is one per user and uses "the latest verified
 * phone number", so a factor that exists already (`COMMAND-Ad3g2`, ALREADY_EXISTS) is what was
 * asked for: success. It creates a record, so it is never repeated (`idempotent: false`).
 *
 * It runs only after the number is verified; if it fails, the number stays bound and verified
 * without the factor, and the error says so: binding the same number again with
 * `secondFactor: true` finishes it without an SMS (the number is verified, so only this request
 * is sent again).
 */
export async function enrolSecondFactor(ctx: OperationContext<unknown>, path: string[]): Promise<void> {
  try {
    await ctx.send({ method: 'POST', path, json: {}, schema: mutationSchema, idempotent: false });
  } catch (error) {
    if (isPhoneBindingError(error) && OTP_SMS_EXISTS_IDS.includes(error.providerCode ?? '')) return;
    if (!isPhoneBindingError(error)) throw error;
    throw new PhoneBindingError({
      code: error.code,
      message:
        'Zitadel verified the number but did not enrol it as the SMS second factor; bind the number ' +
        `again with secondFactor: true to finish (that sends no SMS). ${error.message}`,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.details === undefined ? {} : { details: error.details }),
      retryable: error.retryable,
      cause: error,
    });
  }
}
