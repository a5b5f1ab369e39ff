import { type ErrorRow, type ErrorTable, errorTable, field } from '../../src/kit/index.js';

/**
 * The error's name as the AWS SDK reads it (@smithy/core `loadJsonRpcErrorCode` +
 * `sanitizeErrorCode`): body `__type`, else body `code`, else header `x-amzn-errortype`; cut at
 * the first `:` or `,`, and keep what follows a `#` (`ns#Name:extra` → `Name`).
 */
export function errorName(body: unknown, headers: Headers | undefined): string | undefined {
  const raw = field(body, '__type') ?? field(body, 'code') ?? headers?.get('x-amzn-errortype') ?? undefined;
  if (raw === undefined || raw === '') return undefined;
  let name = raw.split(/[,:]/)[0] ?? '';
  if (name.includes('#')) name = name.slice(name.lastIndexOf('#') + 1);
  name = name.trim();
  return name === '' ? undefined : name;
}

const CONFIG: ErrorRow = { code: 'provider_error', message: 'the user pool is misconfigured for SMS.' };
const LAMBDA: ErrorRow = { code: 'provider_error', message: 'a Lambda trigger of the user pool failed.' };
const AWS_CREDENTIALS: ErrorRow = {
  code: 'unauthenticated',
  message: 'the AWS credentials or the signature were refused.',
};

/** The quota LimitExceededException reports is per user and per rolling hour (reference U1/U3). */
const QUOTA_WINDOW_MS = 60 * 60 * 1000;

/**
 * Cognito's error table (both adapters). Decided by the error name only — never by the HTTP
 * status, which does not follow the model (decide 7: NotAuthorized, ExpiredCode, InvalidParameter
 * arrive as 400; the status is passed through as `status`). `providerCode` is the sanitized
 * name, `requestId` the `x-amzn-requestid` header (or the SDK's two fallbacks).
 */
export const mapCognitoError: ErrorTable = errorTable({
  title: 'Cognito',
  read({ body, headers }) {
    return {
      providerCode: errorName(body, headers),
      reason: field(body, 'message') ?? field(body, 'Message'),
      requestId:
        headers?.get('x-amzn-requestid') ??
        headers?.get('x-amzn-request-id') ??
        headers?.get('x-amz-request-id') ??
        undefined,
    };
  },
  byCode: {
    CodeMismatchException: 'invalid_code',
    ExpiredCodeException: 'code_expired',
    // Defensive: declared only on sign-up / forgot-password confirmations, never on these calls.
    TooManyFailedAttemptsException: 'too_many_attempts',
    TooManyRequestsException: 'rate_limited',
    // Decide 5: mapped wherever it arrives (UpdateUserAttributes, VerifyUserAttribute or the admin update).
    AliasExistsException: 'phone_in_use',
    UserNotFoundException: { code: 'not_found', message: 'the user does not exist.' },
    // Decide 6: the pool (or the app client) is missing — a configuration fault, not a missing user.
    ResourceNotFoundException: {
      code: 'provider_error',
      message: 'the user pool was not found (check region and pool id).',
    },
    ForbiddenException: { code: 'forbidden', message: "the user pool's web ACL blocked the request." },
    // Decide 6: the account's state forbids the call; the credential itself is fine.
    UserNotConfirmedException: { code: 'forbidden', message: 'the user is not confirmed.' },
    PasswordResetRequiredException: {
      code: 'forbidden',
      message: 'the user must reset their password first.',
    },
    CodeDeliveryFailureException: { code: 'provider_error', message: 'the SMS could not be delivered.' },
    InvalidSmsRoleAccessPolicyException: CONFIG,
    InvalidSmsRoleTrustRelationshipException: CONFIG,
    InvalidEmailRoleAccessPolicyException: CONFIG,
    InvalidLambdaResponseException: LAMBDA,
    UnexpectedLambdaException: LAMBDA,
    UserLambdaValidationException: LAMBDA,
    OperationNotEnabledException: {
      code: 'provider_error',
      message: 'the operation is not enabled for this pool or region.',
    },
    InternalErrorException: 'provider_error',
    UnrecognizedClientException: AWS_CREDENTIALS,
    InvalidSignatureException: AWS_CREDENTIALS,
    SignatureDoesNotMatch: AWS_CREDENTIALS,
    IncompleteSignature: AWS_CREDENTIALS,
    MissingAuthenticationToken: AWS_CREDENTIALS,
    ExpiredTokenException: AWS_CREDENTIALS,
    // Decide 12: no clock-offset correction; a skewed clock is reported, the caller fixes the clock.
    RequestExpired: { code: 'unauthenticated', message: 'the signed request expired (is the clock right?).' },
    RequestTimeTooSkewed: {
      code: 'unauthenticated',
      message: 'the signing clock is off (is the clock right?).',
    },
    AccessDeniedException: { code: 'forbidden', message: 'the IAM policy does not allow this action.' },
  },
  decide({ providerCode, reason }, { operation }) {
    if (providerCode === 'LimitExceededException') {
      // The per-user hourly quota (15 VerifyUserAttribute, 5 GetUserAttributeVerificationCode).
      // On verify it is the lockout after repeated attempts (too_many_attempts, not retryable);
      // elsewhere a throttle (rate_limited) — not soon: the quota is hourly, no Retry-After.
      return operation === 'verify'
        ? {
            code: 'too_many_attempts',
            message: 'too many verification attempts; try again later (hourly quota).',
          }
        : {
            code: 'rate_limited',
            message: 'the hourly quota for this user is used up (retryAfterMs: at most an hour).',
          };
    }
    if (providerCode === 'NotAuthorizedException') {
      // Decide 6: one English message (reported verbatim, not documented as stable) refines it.
      if (reason !== undefined && /unauthorized attribute/i.test(reason)) {
        return { code: 'forbidden', message: 'the app client may not write this attribute.' };
      }
      return 'unauthenticated';
    }
    if (providerCode === 'InvalidParameterException') {
      // Only a bind sends a number: elsewhere (decide 8: deleting a phone_number the pool
      // requires, or that is the username/alias) a message about the phone number is the
      // request refused as it stands: invalid_input.
      if (operation === 'bind' && reason !== undefined && /phone number/i.test(reason)) {
        return 'invalid_phone_number';
      }
      return 'invalid_input';
    }
    if (providerCode !== undefined) return 'provider_error';
    return undefined;
  },
  // Decide 6: a LimitExceededException on bind or resend is `rate_limited` — retryable, as the
  // same call succeeds once the hourly quota frees — with the quota's window as retryAfterMs (an
  // upper bound: Cognito sends no Retry-After and does not say when the oldest counted request
  // was), so no caller retries soon.
  rateLimitWaitMs: ({ providerCode }) =>
    providerCode === 'LimitExceededException' ? QUOTA_WINDOW_MS : undefined,
});
