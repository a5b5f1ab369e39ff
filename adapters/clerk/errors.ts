import * as z from 'zod/mini';
import type { PhoneBindingErrorCode } from '../../src/errors.js';
import { type HttpFailure, type MappedError, mapStatus } from '../../src/internal/http.js';

// `{errors:[{code,message,long_message,meta}], clerk_trace_id}` (ClerkErrors in the BAPI spec).
const clerkErrorsSchema = z.object({
  errors: z.array(z.object({ code: z.string() })),
  clerk_trace_id: z.optional(z.string()),
});

type Known = { code: PhoneBindingErrorCode; message: string };

/** Clerk error codes of the phone flows (wire reference, error catalogue). */
const BY_CODE: Record<string, Known> = {
  form_identifier_exists: { code: 'phone_in_use', message: 'The number is already in use.' },
  form_code_incorrect: { code: 'invalid_code', message: 'The verification code is wrong.' },
  verification_expired: {
    code: 'code_expired',
    message: 'The verification code has expired; request a new one.',
  },
  verification_failed: {
    code: 'too_many_attempts',
    message: 'Too many wrong codes: Clerk locked this verification. Request a new code.',
  },
  verification_not_sent: { code: 'invalid_input', message: 'No code was sent for this verification.' },
  resource_not_found: { code: 'not_found', message: 'Clerk did not find the user or phone number.' },
  authentication_invalid: { code: 'unauthenticated', message: 'Clerk refused the secret key.' },
  authorization_invalid: { code: 'forbidden', message: 'The secret key may not do this.' },
  not_allowed_access: { code: 'forbidden', message: 'The instance’s rules block this number or country.' },
  unsupported_country_code: {
    code: 'invalid_phone_number',
    message: 'Clerk does not support this country calling code (or its SMS are disabled).',
  },
  form_param_format_invalid: { code: 'invalid_phone_number', message: 'Clerk refused the number’s format.' },
  verification_code_too_many_requests: {
    code: 'rate_limited',
    message: 'A code was sent moments ago; wait before resending.',
  },
  form_param_missing: { code: 'invalid_input', message: 'Clerk is missing a parameter.' },
  form_param_nil: { code: 'invalid_input', message: 'Clerk received an empty parameter.' },
  form_param_unknown: { code: 'invalid_input', message: 'Clerk received an unknown parameter.' },
  request_body_invalid: { code: 'invalid_input', message: 'Clerk could not parse the request.' },
};

/** Maps a Clerk error answer: `errors[0].code` decides, the status when it is unknown. */
export function mapClerkError(failure: HttpFailure): MappedError {
  const requestId = failure.headers.get('cf-ray') ?? undefined;
  const parsed = clerkErrorsSchema.safeParse(failure.body);
  if (!parsed.success) return { ...mapStatus(failure.status), requestId };
  if (parsed.data.errors.length === 0) {
    return { ...mapStatus(failure.status), requestId: parsed.data.clerk_trace_id ?? requestId };
  }
  const providerCode = parsed.data.errors[0]!.code;
  const known =
    BY_CODE[providerCode] ??
    (failure.status === 429 ? BY_CODE.verification_code_too_many_requests! : undefined);
  const base = known ?? {
    ...mapStatus(failure.status),
    message: `Clerk answered ${providerCode || 'an error'} (${failure.status}).`,
  };
  return { ...base, providerCode, requestId: parsed.data.clerk_trace_id ?? requestId };
}
