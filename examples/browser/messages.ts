/**
 * What the browser example tells a person: a sentence for each `PhoneBindingError` code, and
 * their own number as they would write it. Kept apart from the DOM code so the end-to-end test
 * can assert the exact text.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { PhoneBindingError, PhoneBindingErrorCode } from 'phone-binding';

type Message = string | ((error: PhoneBindingError) => string);

/** One sentence per error code; `Record` makes the compiler insist on every code. */
export const ERROR_MESSAGES: Record<PhoneBindingErrorCode, Message> = {
  invalid_phone_number:
    "That doesn't look like a phone number. Check the digits, and start with + and the country code (e.g. +41 79 123 45 67).",
  invalid_input: 'Something in the form is not right. Check the number and the code, or send a new code.',
  unsupported: 'This sign-in provider cannot do that.',
  invalid_code: "That code isn't right. Check the SMS and type it again.",
  code_expired: 'That code has expired. Send a new code.',
  too_many_attempts: 'Too many wrong codes. Wait a while, then send a new code.',
  phone_in_use: 'That number already belongs to another account. Use a different number.',
  not_found: 'We could not find your account or its phone number. Please sign in again.',
  unauthenticated: 'Your session has expired. Please sign in again.',
  forbidden: 'Your account is not allowed to change its phone number.',
  rate_limited: (error) =>
    error.retryAfterMs === undefined
      ? 'Too many requests. Please wait a moment, then try again.'
      : `Too many requests. Please wait ${Math.max(1, Math.ceil(error.retryAfterMs / 1000))} seconds, then try again.`,
  timeout: 'The server took too long to answer. Please try again.',
  network: 'We could not reach the server. Check your connection and try again.',
  invalid_response: 'The server sent an answer we did not understand. Please try again later.',
  provider_error: 'The sign-in provider had a problem. Please try again later.',
};

/** The sentence for `error`. */
export function messageFor(error: PhoneBindingError): string {
  const message = ERROR_MESSAGES[error.code];
  return typeof message === 'function' ? message(error) : message;
}

/**
 * The user's own number, in full and grouped as people write it (`+41 79 123 45 67`). Masking
 * (`maskPhoneNumber`) is for logs and support tools, not for the owner's own screen.
 */
export function displayNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
