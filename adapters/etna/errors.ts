import { errorTable, field } from '../../src/kit/index.js';

/**
 * ETNA's error table. ETNA answers with real HTTP statuses and several body shapes, none with
 * stable error codes for the phone flows (wire reference, "Common error shapes"): `{error}`,
 * `{Message}`, `{Error:{Code,Message}}`, `{Errors:[…],IsSucceed:false,StatusCode}`,
 * `{message,error}`. The status decides; `Error.Code` becomes `providerCode` when present.
 * ETNA sends no request id. A non-existent user id answers 500 with IsSucceed:false; that and
 * any other 5xx stay provider_error, since the status cannot tell them apart: retryable on the
 * reads and the DELETE; on the SMS-sending PUT and the verify PUT the HTTP layer makes it not
 * retryable (it may have taken effect) and says so in the message.
 */
export const mapEtnaError = errorTable({
  title: 'ETNA',
  read({ body }) {
    return {
      providerCode: field(body, 'Error', 'Code')?.slice(0, 100),
      reason:
        field(body, 'Error', 'Message') ??
        field(body, 'Message') ??
        field(body, 'error') ??
        field(body, 'message') ??
        field(body, 'Errors', '0'),
    };
  },
  decide({ providerCode }, { status, operation }) {
    // ETNA documents no wrong-code or expired-code answer. A 400/422 on the verify call can only
    // be about the one value the caller sent there, the code (whatever Error.Code says).
    if (operation === 'verify' && (status === 400 || status === 422)) {
      return { code: 'invalid_code', message: 'The verification code was refused.' };
    }
    // Only on a 404: the same status without this code is "no phone" (get() answers null).
    if (status === 404 && providerCode === 'UnsupportedApiVersion') {
      return { code: 'provider_error', message: 'This apiVersion is not served.' };
    }
    return undefined;
  },
  byStatus: {
    // ETNA also answers 401 when a non-admin token acts on another user.
    401: {
      code: 'unauthenticated',
      message: 'The token or app key was refused, or the token may not act on this user.',
    },
  },
});
