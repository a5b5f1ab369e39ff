import { errorTable } from '../../src/kit/index.js';
import { errorsSchema } from './wire.js';

const RESENT_TOO_SOON = {
  code: 'rate_limited',
  message: 'A code was sent moments ago; wait before resending.',
} as const;

/**
 * Clerk's error table: `errors[0].code` decides (wire reference, error catalogue), the status
 * when the code is unknown; the trace id is `clerk_trace_id`, else the `cf-ray` header.
 */
export const mapClerkError = errorTable({
  title: 'Clerk',
  read({ body, headers }) {
    const parsed = errorsSchema.safeParse(body);
    const first = parsed.success ? parsed.data.errors[0] : undefined;
    return {
      providerCode: first?.code,
      reason: first?.long_message ?? first?.message,
      requestId:
        (parsed.success ? parsed.data.clerk_trace_id : undefined) ?? headers?.get('cf-ray') ?? undefined,
    };
  },
  byCode: {
    form_identifier_exists: 'phone_in_use',
    form_code_incorrect: 'invalid_code',
    verification_expired: 'code_expired',
    verification_failed: {
      code: 'too_many_attempts',
      message: 'Too many wrong codes: Clerk locked this verification. Request a new code.',
    },
    verification_not_sent: { code: 'invalid_input', message: 'No code was sent for this verification.' },
    resource_not_found: 'not_found',
    authentication_invalid: 'unauthenticated',
    authorization_invalid: 'forbidden',
    not_allowed_access: { code: 'forbidden', message: 'The instance’s rules block this number or country.' },
    unsupported_country_code: {
      code: 'invalid_phone_number',
      message: 'This country calling code is not supported (or its SMS are disabled).',
    },
    form_param_format_invalid: 'invalid_phone_number',
    verification_code_too_many_requests: RESENT_TOO_SOON,
    // Clerk's own reason (appended to the message) names the parameter.
    form_param_missing: 'invalid_input',
    form_param_nil: 'invalid_input',
    form_param_unknown: 'invalid_input',
    request_body_invalid: 'invalid_input',
  },
  byStatus: { 429: RESENT_TOO_SOON },
});
