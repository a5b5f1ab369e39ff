import { type ErrorRow, type ErrorTable, errorTable, type TableFailure } from '../../src/kit/index.js';
import { errorSchema } from './wire.js';

/**
 * Decision (reference "Unknown / decide", `otp_expired` split): GoTrue answers every failed
 * verify — wrong code, expired code, nothing pending for that number — with the same 403
 * `otp_expired`. The adapter puts `expiresAt` (issue time + `otpExpiry`, GoTrue's 60 s by
 * default) in the ticket, so an expired ticket is `code_expired` before any request. This row
 * makes an `otp_expired` that still arrives `invalid_code`, with a message that names both
 * causes; the user adapter's verify (`expiredByClock` in user.ts) turns it into `code_expired`
 * when the ticket's issue time + `otpExpiry` has passed by the local clock.
 */
const WRONG_OR_EXPIRED: ErrorRow = {
  code: 'invalid_code',
  message: 'The verification code is wrong or has expired (Supabase does not tell which).',
};
const RATE: ErrorRow = 'rate_limited';

/** GoTrue's error codes (apierrors/errorcode.go, reference "Codes relevant to phone binding"). */
const BY_CODE: Record<string, ErrorRow> = {
  phone_exists: 'phone_in_use',
  // Legacy body without the version header: the Postgres unique violation of users.phone (A1).
  // The adapters always send the version header, so this row is defensive: it fires only where
  // a proxy drops the header (the reference's second option, "Inference, untested").
  '23505': 'phone_in_use',
  otp_expired: WRONG_OR_EXPIRED,
  over_sms_send_rate_limit: RATE,
  over_request_rate_limit: RATE,
  sms_send_failed: { code: 'provider_error', message: 'The SMS provider refused to send the code.' },
  bad_json: 'invalid_input',
  request_entity_too_large: 'invalid_input',
  no_authorization: 'unauthenticated',
  // bad_jwt is a 403 on GoTrue, but it means the token is invalid or expired: unauthenticated.
  bad_jwt: 'unauthenticated',
  session_not_found: 'unauthenticated',
  session_expired: 'unauthenticated',
  not_admin: { code: 'forbidden', message: 'The key is not a secret (service role) key.' },
  user_banned: { code: 'forbidden', message: 'The user is banned.' },
  insufficient_aal: {
    code: 'forbidden',
    message: 'The user has MFA: changing the phone needs an AAL2 session (verify a factor first).',
  },
  user_sso_managed: { code: 'forbidden', message: 'The user is managed by SSO; its phone cannot change.' },
  user_not_found: { code: 'not_found', message: 'The user was not found.' },
  identity_not_found: { code: 'not_found', message: 'The phone identity was not found.' },
  unexpected_audience: 'forbidden',
  /**
   * Decision (capabilities, remove): removing needs "Allow manual linking" on the project, which
   * nothing tells in advance (`/settings` doesn't). `remove` is declared, and a project with it
   * off answers `unsupported` — the operation cannot be done on this project.
   */
  manual_linking_disabled: {
    code: 'unsupported',
    message: 'Removing a phone needs "Allow manual linking" (GOTRUE_SECURITY_MANUAL_LINKING_ENABLED) on.',
  },
  single_identity_not_deletable: {
    code: 'forbidden',
    message: 'The phone is the user’s only identity; GoTrue keeps at least one.',
  },
  /**
   * Decision (phone provider disabled): U1 does not check the phone provider; a project that
   * cannot send SMS answers its PUT with a 500 `unexpected_failure` ("Unable to get SMS
   * provider", reference: inference) — `provider_error`, not retryable (the request may have
   * acted). `phone_provider_disabled` (the sign-in routes' code) is mapped the same way.
   */
  phone_provider_disabled: { code: 'provider_error', message: 'Phone logins are disabled on the project.' },
  captcha_failed: { code: 'provider_error', message: 'The CAPTCHA check failed.' },
  /**
   * Decision (admin duplicate number): A1 answers a number held by another user with a bare 500
   * `unexpected_failure` "Error updating user", which other failures share; it stays
   * `provider_error` (a guess would be wrong half the time), with the hint in the message.
   */
  unexpected_failure: {
    code: 'provider_error',
    message:
      'Supabase failed unexpectedly (on an admin bind, often: another user holds the number; on a user’s own bind, often: no SMS provider is configured).',
  },
};

/** "For security purposes, you can only request this after N seconds." → N s in ms. */
export function waitFromMessage(message: string | undefined): number | undefined {
  const match = message ? /after (\d+) seconds?/i.exec(message) : null;
  return match ? Number(match[1]) * 1000 : undefined;
}

interface Read {
  providerCode: string | undefined;
  reason: string | undefined;
  requestId: string | undefined;
}

function readFailure({ body, headers }: TableFailure): Read {
  const parsed = errorSchema.safeParse(body);
  const data = parsed.success ? parsed.data : {};
  // New shape: `code` is the string code; legacy: `code` is the HTTP status, `error_code` the code.
  const providerCode =
    (typeof data.code === 'string' ? data.code : undefined) ??
    data.error_code ??
    headers?.get('x-sb-error-code') ??
    undefined;
  return {
    providerCode: providerCode === '' ? undefined : providerCode,
    reason: data.message ?? data.msg,
    // 5xx legacy bodies carry `error_id`; the platform gateway adds `sb-request-id` (reference: inference).
    requestId: data.error_id ?? headers?.get('sb-request-id') ?? undefined,
  };
}

/**
 * Supabase's error table (both adapters): GoTrue's own code (`code` string, legacy `error_code`,
 * or the `x-sb-error-code` header) decides, then the status. GoTrue sends no `Retry-After`; the
 * seconds left are in the message of `over_sms_send_rate_limit`, and become `retryAfterMs`.
 */
export const mapSupabaseError: ErrorTable = errorTable({
  title: 'Supabase',
  read: readFailure,
  byCode: BY_CODE,
  decide({ providerCode }, { operation }) {
    // validation_failed: on bind and resend the only value the caller gave is the number; a
    // 404 one is a path id that is not a UUID (checked before any request, so rare).
    if (providerCode !== 'validation_failed') return undefined;
    if (operation === 'bind' || operation === 'resend') return 'invalid_phone_number';
    return 'invalid_input';
  },
  // GoTrue sends no Retry-After; over_sms_send_rate_limit says the seconds left in its message.
  rateLimitWaitMs: ({ reason }) => waitFromMessage(reason),
});
