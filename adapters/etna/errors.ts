import type { HttpFailure, MappedError } from '../../src/internal/http.js';
import { mapStatus } from '../../src/internal/http.js';

/**
 * ETNA answers with real HTTP statuses and several body shapes, none with stable error codes
 * for the phone flows (wire reference, "Common error shapes"):
 * `{error}`, `{Message}`, `{Error:{Code,Message}}`, `{Errors:[…],IsSucceed:false,StatusCode}`,
 * `{message,error}`. The status decides; `Error.Code` becomes `providerCode` when present.
 */
function providerCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const nested = (body as { Error?: unknown }).Error;
  if (typeof nested === 'object' && nested !== null) {
    const code = (nested as { Code?: unknown }).Code;
    if (typeof code === 'string' && code.length > 0) return code.slice(0, 100);
  }
  return undefined;
}

/** Maps an ETNA error answer. */
export function mapEtnaError(failure: HttpFailure): MappedError {
  const providerCode = providerCodeOf(failure.body);
  // ETNA documents no wrong-code or expired-code answer. A 400/422 on the verify call can only
  // be about the one value the caller sent there, the code.
  if (failure.operation === 'verify' && (failure.status === 400 || failure.status === 422)) {
    return { code: 'invalid_code', message: 'ETNA refused the verification code.', providerCode };
  }
  if (failure.status === 401) {
    return {
      code: 'unauthenticated',
      // ETNA also answers 401 when a non-admin token acts on another user.
      message: 'ETNA refused the token or app key, or the token may not act on this user (401).',
      providerCode,
    };
  }
  if (failure.status === 404 && providerCode === 'UnsupportedApiVersion') {
    return { code: 'provider_error', message: 'ETNA does not serve this apiVersion.', providerCode };
  }
  // A non-existent user id answers 500 with IsSucceed:false; that and any other 5xx stay
  // provider_error (retryable), since the status cannot tell them apart.
  return { ...mapStatus(failure.status), providerCode };
}
