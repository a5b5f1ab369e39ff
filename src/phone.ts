/**
 * Phone numbers on libphonenumber-js's `min` metadata: what the default entries use. The logic is
 * `phone-core.ts`'s; this module only binds the metadata (the `/core` entries never import it).
 */
import min from 'libphonenumber-js/min/metadata';
import { maskWith, type NormalizeOptions, normalizeWith, readStoredWith } from './phone-core.js';
import type { PhoneNumber } from './types.js';

export { MAX_PHONE_INPUT_LENGTH, type NormalizeOptions } from './phone-core.js';

/** The `min` metadata the default entries bind. */
export const MIN_METADATA = min;

/**
 * Reads a phone number in any common notation and returns it normalized, or throws
 * `invalid_phone_number` (`invalid_input` for a bad `defaultCountry`).
 *
 * Accepted: `"+41 79 123 45 67"`, `"0041791234567"`, `"tel:+41-79-123-45-67"`, and national
 * notation such as `"(079) 123 45 67"` with `defaultCountry: 'CH'`. Without a `defaultCountry`, a
 * leading `00` is read as the international prefix (as in most of the world). Refused: empty
 * input, more than 50 characters, letters (vanity numbers, extensions), unknown country calling
 * codes and numbers that are too short, too long or not valid for their country.
 *
 * @example
 * ```ts
 * normalizePhoneNumber('(079) 123 45 67', { defaultCountry: 'CH' });
 * // → { e164: '+41791234567', countryCallingCode: '41', nationalNumber: '791234567', country: 'CH' }
 * ```
 */
export function normalizePhoneNumber(input: string, options: NormalizeOptions = {}): PhoneNumber {
  return normalizeWith(min, input, options);
}

/**
 * Reads a number a backend returned (see `readStoredWith`), on `min`.
 * @internal
 */
export function readStoredPhoneNumber(value: string): PhoneNumber | undefined {
  return readStoredWith(min, value);
}

/**
 * Masks a phone number for logs and messages: the country calling code and the last two digits
 * stay, the rest becomes dots. Never throws; unreadable input keeps at most its last two digits.
 *
 * @example
 * ```ts
 * maskPhoneNumber('+41791234567'); // → '+41 ••• •• 67'
 * ```
 */
export function maskPhoneNumber(input: string): string {
  return maskWith(min, input);
}
