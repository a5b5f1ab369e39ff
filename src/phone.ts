import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumber as LibPhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';
import { PhoneBindingError } from './errors.js';
import type { PhoneNumber } from './types.js';

/**
 * Options of {@link normalizePhoneNumber}.
 *
 * @example
 * ```ts
 * import { type NormalizeOptions, normalizePhoneNumber } from 'phone-binding';
 *
 * const options: NormalizeOptions = { defaultCountry: 'CH' };
 * normalizePhoneNumber('079 123 45 67', options).e164; // → '+41791234567'
 * ```
 */
export interface NormalizeOptions {
  /** ISO 3166-1 alpha-2 country used to read national notation such as `"(079) 123 45 67"`. */
  defaultCountry?: string;
}

/**
 * Longest input read at all; real numbers in any notation stay far below it.
 *
 * @example
 * ```ts
 * import { MAX_PHONE_INPUT_LENGTH } from 'phone-binding';
 *
 * const field = document.querySelector<HTMLInputElement>('input[type="tel"]');
 * if (field) field.maxLength = MAX_PHONE_INPUT_LENGTH; // 50
 * ```
 */
export const MAX_PHONE_INPUT_LENGTH = 50;

// Digits, white space and the separators people type; `tel:` URIs are unwrapped first. Letters
// are refused on purpose: libphonenumber would read "1-800-FLOWERS" as digits, and "ext. 12"
// as an extension an SMS cannot reach.
const ALLOWED = /^[+\d\s().\-/\u00a0]+$/;
const MASK = '•••';

function invalid(message: string): PhoneBindingError {
  return new PhoneBindingError({ code: 'invalid_phone_number', message });
}

function checkCountry(country: string | undefined): CountryCode | undefined {
  if (country === undefined) return undefined;
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country) || !isSupportedCountry(country)) {
    throw new PhoneBindingError({
      code: 'invalid_input',
      message: 'defaultCountry must be a supported ISO 3166-1 alpha-2 code in upper case, such as "CH".',
    });
  }
  return country;
}

function fromLib(parsed: LibPhoneNumber): PhoneNumber {
  const phone: PhoneNumber = {
    e164: parsed.number,
    countryCallingCode: parsed.countryCallingCode,
    nationalNumber: parsed.nationalNumber,
  };
  if (parsed.country) phone.country = parsed.country;
  return phone;
}

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
  if (typeof input !== 'string') throw invalid('The phone number must be a string.');
  const defaultCountry = checkCountry(options.defaultCountry);
  let text = input.trim();
  if (text.length === 0) throw invalid('The phone number is empty.');
  if (text.length > MAX_PHONE_INPUT_LENGTH) {
    throw invalid(`The phone number is longer than ${MAX_PHONE_INPUT_LENGTH} characters.`);
  }
  if (/^tel:/i.test(text)) text = text.slice(4);
  if (!ALLOWED.test(text)) {
    throw invalid(
      `The phone number ${maskPhoneNumber(text)} holds characters other than digits, spaces, "+", "-", ".", "/" and parentheses.`,
    );
  }
  if (!defaultCountry && text.startsWith('00')) text = `+${text.slice(2)}`;
  if (!text.includes('+') && !defaultCountry) {
    throw invalid(
      `The phone number ${maskPhoneNumber(text)} has no country calling code: write it with "+" or pass defaultCountry.`,
    );
  }
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : undefined);
  if (!parsed) {
    throw invalid(
      `The phone number ${maskPhoneNumber(text)} cannot be read (unknown country calling code?).`,
    );
  }
  if (!parsed.isValid()) {
    throw invalid(
      `The phone number ${maskPhoneNumber(text)} is not a valid number for +${parsed.countryCallingCode} (too short, too long or not in use).`,
    );
  }
  return fromLib(parsed);
}

/**
 * Reads a number a backend returned (stored in E.164 by the backend): lenient about numbers the
 * bundled metadata does not know yet, strict about shape. Returns `undefined` when unreadable.
 * @internal
 */
export function readStoredPhoneNumber(value: string): PhoneNumber | undefined {
  const parsed = parsePhoneNumberFromString(value.trim());
  if (!parsed?.isPossible()) return undefined;
  return fromLib(parsed);
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
  const text = typeof input === 'string' ? input : '';
  const digits = text.replace(/\D/g, '');
  const last = digits.length >= 6 ? digits.slice(-2) : '';
  if (text.trim().startsWith('+') && digits.length >= 6) {
    const parsed = parsePhoneNumberFromString(text.trim());
    if (parsed) return `+${parsed.countryCallingCode} ${MASK} •• ${last}`;
  }
  return last ? `${MASK} •• ${last}` : MASK;
}
