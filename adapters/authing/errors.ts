import * as z from 'zod/mini';
import type { PhoneBindingErrorCode } from '../../src/errors.js';
import { type HttpFailure, type MappedError, mapStatus } from '../../src/internal/http.js';

/** Authing's v3 envelope: `statusCode === 200` is the only success signal. */
export const envelopeSchema = z.object({
  statusCode: z.number(),
  message: z.optional(z.string()),
  apiCode: z.optional(z.number()),
  requestId: z.optional(z.string()),
});

/** Authing's documented one-SMS-per-minute limit per number and channel. */
export const SMS_INTERVAL_MS = 60_000;

type Known = { code: PhoneBindingErrorCode; message: string };

/** apiCodes of the phone flows (wire reference, "Known codes"; the v3 list is incomplete). */
const BY_API_CODE: Record<number, Known> = {
  2001: { code: 'invalid_code', message: 'The verification code is wrong.' },
  2300: { code: 'code_expired', message: 'The verification code has expired; request a new one.' },
  2035: { code: 'phone_in_use', message: 'The number is already bound to another user.' },
  1320004: { code: 'phone_in_use', message: 'The number is already bound to another user.' },
  2020: { code: 'unauthenticated', message: 'The user is not logged in (access token missing or invalid).' },
  2206: { code: 'unauthenticated', message: 'The login has expired.' },
  2207: { code: 'unauthenticated', message: 'The login is invalid.' },
};

/**
 * Body `statusCode` classes with a DESIGN.md code of their own; every other class (400, 422,
 * 499, 5xx, 60x…) is `provider_error` with the apiCode, since the v3 list is incomplete and a
 * guess could turn a backend fault into a blame on the caller's input.
 */
function byStatusCode(statusCode: number): Known {
  switch (statusCode) {
    case 401:
      return { code: 'unauthenticated', message: 'Authing refused the access token (401).' };
    case 403:
      return { code: 'forbidden', message: 'The access token may not do this (403).' };
    case 404:
      return { code: 'not_found', message: 'Authing did not find the user or number (404).' };
    case 409:
      return { code: 'phone_in_use', message: 'The number is already bound to another user (409).' };
    case 429:
      return {
        code: 'rate_limited',
        message: 'Authing throttled the request (one SMS per minute per number).',
      };
    default:
      return { code: 'provider_error', message: `Authing reported a failure (statusCode ${statusCode}).` };
  }
}

/** Maps an Authing failure body (inside a 200 or a real 4xx/5xx). */
export function mapAuthingBody(body: z.infer<typeof envelopeSchema>, retryAfterMs?: number): MappedError {
  const known =
    (body.apiCode !== undefined ? BY_API_CODE[body.apiCode] : undefined) ?? byStatusCode(body.statusCode);
  const out: MappedError = {
    ...known,
    providerCode: body.apiCode !== undefined ? String(body.apiCode) : undefined,
    requestId: body.requestId,
    // A failure in a 200 body has no HTTP status; decide retryability from the body's own class.
    retryable: known.code === 'rate_limited' || known.code === 'timeout' || body.statusCode >= 500,
  };
  if (known.code === 'rate_limited') out.retryAfterMs = retryAfterMs ?? SMS_INTERVAL_MS;
  return out;
}

/** Maps a real non-2xx answer: its body when it is Authing's envelope, the status otherwise. */
export function mapAuthingError(failure: HttpFailure, retryAfterMs?: number): MappedError {
  const parsed = envelopeSchema.safeParse(failure.body);
  if (parsed.success && parsed.data.statusCode !== 200) return mapAuthingBody(parsed.data, retryAfterMs);
  const mapped: MappedError = mapStatus(failure.status);
  if (parsed.success) mapped.requestId = parsed.data.requestId;
  return mapped;
}
