import { type ErrorRow, errorTable } from '../../src/kit/index.js';
import { statusSchema } from './wire.js';

const WRONG_CODE: ErrorRow = {
  code: 'invalid_code',
  // Zitadel reports wrong and expired codes alike (the command wraps Code.Expired in Code.Invalid).
  message: 'The verification code is wrong or has expired.',
};
const NO_PHONE: ErrorRow = { code: 'not_found', message: 'The user has no phone number.' };
const NOTHING_PENDING: ErrorRow = {
  code: 'invalid_input',
  message: 'No verification is pending for this number (it may already be verified, or was removed).',
};
const NOT_CHANGED: ErrorRow = {
  code: 'provider_error',
  message: 'The user already has this number (not changed).',
};

/** Error ids that mean "the number given is the one already set". */
export const NOT_CHANGED_IDS: readonly string[] = ['COMMAND-Uch5e', 'COMMAND-wF94r'];

/**
 * AddOTPSMS (v2) and AddMyAuthFactorOTPSMS (v1) share the command `addHumanOTPSMS`
 * (zitadel internal/command/user_human_otp.go): `COMMAND-Ad3g2` (ALREADY_EXISTS,
 * Errors.User.MFA.OTP.AlreadyReady) when the factor is set up already, `COMMAND-Q54j2`
 * (FAILED_PRECONDITION, NotReady) when no phone was verified; RemoveHumanOTPSMS answers
 * `COMMAND-Sr3h3` (NOT_FOUND, NotExisting) when there is none. `grpc:6` is ALREADY_EXISTS without
 * a detail id, which on that request can only mean the same.
 */
export const OTP_SMS_EXISTS_IDS: readonly string[] = ['COMMAND-Ad3g2', 'grpc:6'];

/** gRPC status codes, the fallback when the id is unknown (INVALID_ARGUMENT depends on the operation). */
const BY_GRPC_CODE: Record<number, ErrorRow> = {
  4: 'timeout', // DEADLINE_EXCEEDED
  5: 'not_found',
  7: 'forbidden', // PERMISSION_DENIED
  8: 'rate_limited', // RESOURCE_EXHAUSTED
  16: 'unauthenticated',
};

/**
 * Zitadel's error table (both adapters): the REST gateway's `details[].id` (or v2 `slug`) decides
 * (wire reference, "Phone-flow error ids" and the v1 list), then the gRPC `code`, then the status —
 * never the (localized) text. Without a detail id, `providerCode` is `grpc:<code>`.
 */
export const mapZitadelError = errorTable({
  title: 'Zitadel',
  read({ body }) {
    const parsed = statusSchema.safeParse(body);
    if (!parsed.success) return {};
    const detail = parsed.data.details?.find((entry) => entry.id ?? entry.slug);
    return {
      providerCode: detail?.id ?? detail?.slug ?? `grpc:${parsed.data.code}`,
      reason: detail?.message ?? parsed.data.message,
    };
  },
  byCode: {
    'COMMAND-eis9R': WRONG_CODE, // v2 VerifyPhone
    'COMMAND-sM0cs': WRONG_CODE, // v1 VerifyMyPhone
    // v1: no code exists (already used, replaced by a newer one, or never sent). The ticket can no
    // longer be finished; code_expired tells the app to offer "send a new code".
    'COMMAND-Rsj8c': { code: 'code_expired', message: 'No verification code is pending: request a new one.' },
    'COMMAND-Fia4a': { code: 'invalid_input', message: 'The code was empty.' },
    'PHONE-so0wa': 'invalid_phone_number',
    'PHONE-Zt0NV': 'invalid_phone_number',
    'PHONE-5xrra88eq8': NOTHING_PENDING, // v2 resend with no pending code
    'COMMAND-2M9sf': NOTHING_PENDING, // v1 resend when already verified
    'COMMAND-ieJ2e': 'not_found',
    'COMMAND-2b7Hf': NO_PHONE,
    'COMMAND-p6rsc': NO_PHONE,
    'COMMAND-3M0fs': { code: 'not_found', message: 'The user was not found.' },
    'COMMAND-xP292j': { code: 'invalid_input', message: 'No user id was sent.' },
    'COMMAND-uz0Uu': { code: 'provider_error', message: 'The user is not initialised yet (state INITIAL).' },
    'COMMAND-Uch5e': NOT_CHANGED,
    'COMMAND-wF94r': NOT_CHANGED,
    'COMMAND-Ad3g2': { code: 'provider_error', message: 'The SMS second factor is set up already.' },
    'COMMAND-Q54j2': {
      code: 'provider_error',
      message: 'The SMS second factor needs a verified number, and the user has none.',
    },
    'COMMAND-Sr3h3': { code: 'not_found', message: 'The user has no SMS second factor.' },
    'AUTH-7fs1e': 'unauthenticated',
    'AUTH-toLo1': 'unauthenticated',
  },
  decide(_facts, { body, operation }) {
    const parsed = statusSchema.safeParse(body);
    if (!parsed.success) return undefined;
    if (parsed.data.code === 3) {
      // Plain INVALID_ARGUMENT comes from request validation and names the field; the only
      // caller-supplied value of bind is the number and of verify the code.
      if (operation === 'bind') return 'invalid_phone_number';
      if (operation === 'verify') return { code: 'invalid_code', message: 'The code was refused.' };
      return 'invalid_input';
    }
    return BY_GRPC_CODE[parsed.data.code];
  },
});
