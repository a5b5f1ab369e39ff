import type { PhoneBindingErrorCode } from '../errors.js';

/**
 * The default message of each error code, said once for every adapter. Adapters add only what
 * their backend tells (its code and reason); they rarely need a message of their own.
 */
export const DEFAULT_MESSAGES: Readonly<Record<PhoneBindingErrorCode, string>> = {
  invalid_phone_number: 'The phone number was refused.',
  invalid_input: 'The request was refused as invalid.',
  unsupported: 'The adapter cannot do this.',
  invalid_code: 'The verification code is wrong.',
  code_expired: 'The verification code has expired; request a new one.',
  too_many_attempts: 'Too many wrong codes: verification is locked. Request a new code.',
  phone_in_use: 'The number is already bound to another user.',
  not_found: 'The user or phone was not found.',
  unauthenticated: 'The credential was refused (missing, invalid or expired).',
  forbidden: 'The credential is not allowed to do this.',
  rate_limited: 'Too many requests; wait before asking again.',
  timeout: 'The backend timed out.',
  network: 'The request could not be sent or the connection broke.',
  invalid_response: 'The backend answered with a body its schema does not allow.',
  provider_error: 'The backend reported a failure.',
};

// A digit run long enough to be part of a phone number, an id or a code, with the separators
// people and backends write between digits.
const DIGIT_RUN = /\+?\d[\d\s().\-/]{2,}\d/g;
const MAX_REASON = 120;

/**
 * A backend's own reason, fit for a message: one line, at most 120 characters, and every run of
 * four or more digits masked — a backend may echo a number the SDK never saw, in any spelling.
 */
export function reasonText(reason: string): string {
  const line = reason.replace(/\s+/g, ' ').trim().replace(DIGIT_RUN, '•••');
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON)}…` : line;
}

/** The core's reading of a status nobody said more about. */
export function statusCode(status: number | undefined): PhoneBindingErrorCode {
  switch (status) {
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 408:
      return 'timeout';
    case 429:
      return 'rate_limited';
    default:
      return 'provider_error';
  }
}
