import * as z from 'zod/mini';
import type { PhoneBindingErrorCode } from '../../src/errors.js';
import { type HttpFailure, type MappedError, mapStatus } from '../../src/internal/http.js';

// The REST gateway's error body (google.rpc.Status as JSON). Detail entries are
// zitadel.v1.ErrorDetail {id, message} or, for ids with a ".", zitadel.error.v2.ErrorDetail {slug, …}.
const statusSchema = z.object({
  code: z.number(),
  message: z.optional(z.string()),
  details: z.optional(
    z.array(
      z.object({ id: z.optional(z.string()), slug: z.optional(z.string()), message: z.optional(z.string()) }),
    ),
  ),
});

type Known = { code: PhoneBindingErrorCode; message: string };

const WRONG_CODE: Known = {
  code: 'invalid_code',
  // Zitadel reports wrong and expired codes alike (the command wraps Code.Expired in Code.Invalid).
  message: 'The verification code is wrong or has expired.',
};
const NO_PHONE: Known = { code: 'not_found', message: 'The user has no phone number.' };
const NOTHING_PENDING: Known = {
  code: 'invalid_input',
  message: 'No verification is pending for this number (it may already be verified, or was removed).',
};
const BAD_NUMBER: Known = { code: 'invalid_phone_number', message: 'Zitadel refused the phone number.' };
const BAD_TOKEN: Known = {
  code: 'unauthenticated',
  message: 'Zitadel refused the token (missing, invalid or expired).',
};

/** Zitadel error ids of the phone flows (wire reference, "Phone-flow error ids" and v1 list). */
const BY_ID: Record<string, Known> = {
  'COMMAND-eis9R': WRONG_CODE, // v2 VerifyPhone
  'COMMAND-sM0cs': WRONG_CODE, // v1 VerifyMyPhone
  // v1: no code exists (already used, replaced by a newer one, or never sent). The ticket can no
  // longer be finished; code_expired tells the app to offer "send a new code".
  'COMMAND-Rsj8c': { code: 'code_expired', message: 'No verification code is pending: request a new one.' },
  'COMMAND-Fia4a': { code: 'invalid_input', message: 'Zitadel received an empty code.' },
  'PHONE-so0wa': BAD_NUMBER,
  'PHONE-Zt0NV': BAD_NUMBER,
  'PHONE-5xrra88eq8': NOTHING_PENDING, // v2 resend with no pending code
  'COMMAND-2M9sf': NOTHING_PENDING, // v1 resend when already verified
  'COMMAND-ieJ2e': { code: 'not_found', message: 'The user or their phone number was not found.' },
  'COMMAND-2b7Hf': NO_PHONE,
  'COMMAND-p6rsc': NO_PHONE,
  'COMMAND-3M0fs': { code: 'not_found', message: 'The user was not found.' },
  'COMMAND-xP292j': { code: 'invalid_input', message: 'Zitadel received no user id.' },
  'COMMAND-uz0Uu': { code: 'provider_error', message: 'The user is not initialised yet (state INITIAL).' },
  'COMMAND-Uch5e': { code: 'provider_error', message: 'The user already has this number (not changed).' },
  'COMMAND-wF94r': { code: 'provider_error', message: 'The user already has this number (not changed).' },
  'AUTH-7fs1e': BAD_TOKEN,
  'AUTH-toLo1': BAD_TOKEN,
};

/** Error ids that mean "the number given is the one already set". */
export const NOT_CHANGED_IDS: readonly string[] = ['COMMAND-Uch5e', 'COMMAND-wF94r'];

/** gRPC status codes, mapped when the id is unknown. */
function byGrpcCode(grpc: number, operation: HttpFailure['operation'], status: number): Known {
  switch (grpc) {
    case 3:
      // Plain INVALID_ARGUMENT comes from request validation and names the field; the only
      // caller-supplied value of bind is the number and of verify the code.
      if (operation === 'bind')
        return { code: 'invalid_phone_number', message: 'Zitadel refused the phone number.' };
      if (operation === 'verify') return { code: 'invalid_code', message: 'Zitadel refused the code.' };
      return { code: 'invalid_input', message: 'Zitadel refused the request as invalid.' };
    case 4:
      return { code: 'timeout', message: 'Zitadel ran out of time (DEADLINE_EXCEEDED).' };
    case 5:
      return { code: 'not_found', message: 'The user or phone was not found.' };
    case 7:
      return { code: 'forbidden', message: 'The token is not allowed to do this (PERMISSION_DENIED).' };
    case 8:
      return { code: 'rate_limited', message: 'Zitadel throttled the request (RESOURCE_EXHAUSTED).' };
    case 16:
      return BAD_TOKEN;
    default:
      return mapStatus(status);
  }
}

/** Maps a Zitadel REST-gateway error answer; keys on `details[].id` and `code`, never on (localized) text. */
export function mapZitadelError(failure: HttpFailure): MappedError {
  const parsed = statusSchema.safeParse(failure.body);
  if (!parsed.success) return mapStatus(failure.status);
  const detail = parsed.data.details?.find((entry) => entry.id ?? entry.slug);
  const providerCode = detail?.id ?? detail?.slug;
  const known =
    (providerCode ? BY_ID[providerCode] : undefined) ??
    byGrpcCode(parsed.data.code, failure.operation, failure.status);
  return { ...known, providerCode: providerCode ?? `grpc:${parsed.data.code}` };
}
