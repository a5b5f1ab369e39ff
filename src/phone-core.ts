/**
 * Phone numbers on injected metadata, the libphonenumber-js way (`libphonenumber-js/core`): this
 * module never imports a metadata file. `phone.ts` binds it to `min` for the default entries; the
 * `/core` entries take the metadata an app brings (`max`, `mobile`, or a country subset).
 */
import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumber as LibPhoneNumber,
  type MetadataJson,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/core';
import { PhoneBindingError } from './errors.js';
import type { PhoneNumber } from './types.js';

/**
 * Phone metadata as libphonenumber-js ships and generates it: `libphonenumber-js/min/metadata`,
 * `…/max/metadata`, `…/mobile/metadata`, or one made for the countries an app serves.
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import type { PhoneMetadata } from 'phone-binding/core';
 *
 * const phoneMetadata: PhoneMetadata = metadata;
 * ```
 */
export type PhoneMetadata = MetadataJson;

/**
 * The option the factories of the `/core` entries require.
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/mobile/metadata';
 * import type { MetadataOption } from 'phone-binding/core';
 *
 * const option: MetadataOption = { metadata };
 * ```
 */
export interface MetadataOption {
  /** libphonenumber-js metadata: `max`, `mobile`, or one generated for the countries an app serves. */
  metadata: PhoneMetadata;
}

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

function checkCountry(country: string | undefined, metadata: MetadataJson): CountryCode | undefined {
  if (country === undefined) return undefined;
  if (
    typeof country !== 'string' ||
    !/^[A-Z]{2}$/.test(country) ||
    !isSupportedCountry(country as CountryCode, metadata)
  ) {
    throw new PhoneBindingError({
      code: 'invalid_input',
      message: 'defaultCountry must be a supported ISO 3166-1 alpha-2 code in upper case, such as "CH".',
    });
  }
  return country as CountryCode;
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

/** The masked form of a number whose calling code is known: `+41 ••• •• 67`. */
export function maskKnown(phone: PhoneNumber): string {
  return `+${phone.countryCallingCode} ${MASK} •• ${phone.e164.slice(-2)}`;
}

/** What the SDK does with numbers, on one metadata. */
export interface PhoneCodec {
  /** {@link normalizeWith} on this metadata. */
  normalize(input: string, options?: NormalizeOptions): PhoneNumber;
  /** A number a backend returned, or `undefined` when unreadable (see {@link readStoredWith}). */
  readStored(value: string): PhoneNumber | undefined;
  /** {@link maskWith} on this metadata. */
  mask(input: string): string;
}

const codecs = new WeakMap<MetadataJson, PhoneCodec>();

/** The codec of `metadata` (one per metadata object). */
export function phoneCodec(metadata: MetadataJson): PhoneCodec {
  let codec = codecs.get(metadata);
  if (!codec) {
    codec = {
      normalize: (input, options) => normalizeWith(metadata, input, options),
      readStored: (value) => readStoredWith(metadata, value),
      mask: (input) => maskWith(metadata, input),
    };
    codecs.set(metadata, codec);
  }
  return codec;
}

/** `metadata` looks like libphonenumber-js metadata (its two tables are there). */
export function isPhoneMetadata(value: unknown): value is MetadataJson {
  const m = value as { countries?: unknown; country_calling_codes?: unknown } | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.countries === 'object' &&
    m.countries !== null &&
    typeof m.country_calling_codes === 'object' &&
    m.country_calling_codes !== null
  );
}

/** `normalizePhoneNumber` on the given metadata (see `phone.ts` for the contract). */
export function normalizeWith(
  metadata: MetadataJson,
  input: string,
  options: NormalizeOptions = {},
): PhoneNumber {
  if (typeof input !== 'string') throw invalid('The phone number must be a string.');
  const defaultCountry = checkCountry(options.defaultCountry, metadata);
  let text = input.trim();
  if (text.length === 0) throw invalid('The phone number is empty.');
  if (text.length > MAX_PHONE_INPUT_LENGTH) {
    throw invalid(`The phone number is longer than ${MAX_PHONE_INPUT_LENGTH} characters.`);
  }
  if (/^tel:/i.test(text)) text = text.slice(4);
  if (!ALLOWED.test(text)) {
    throw invalid(
      `The phone number ${maskWith(metadata, text)} holds characters other than digits, spaces, "+", "-", ".", "/" and parentheses.`,
    );
  }
  if (!defaultCountry && text.startsWith('00')) text = `+${text.slice(2)}`;
  if (!text.includes('+') && !defaultCountry) {
    throw invalid(
      `The phone number ${maskWith(metadata, text)} has no country calling code: write it with "+" or pass defaultCountry.`,
    );
  }
  const parsed = defaultCountry
    ? parsePhoneNumberFromString(text, { defaultCountry }, metadata)
    : parsePhoneNumberFromString(text, metadata);
  if (!parsed) {
    throw invalid(
      `The phone number ${maskWith(metadata, text)} cannot be read (unknown country calling code?).`,
    );
  }
  if (!parsed.isValid()) {
    throw invalid(
      `The phone number ${maskWith(metadata, text)} is not a valid number for +${parsed.countryCallingCode} (too short, too long or not in use).`,
    );
  }
  return fromLib(parsed);
}

/**
 * Reads a number a backend returned (stored in E.164 by the backend): lenient about numbers the
 * metadata does not know yet, strict about shape. Returns `undefined` when unreadable.
 */
export function readStoredWith(metadata: MetadataJson, value: string): PhoneNumber | undefined {
  const parsed = parsePhoneNumberFromString(value.trim(), metadata);
  if (!parsed?.isPossible()) return undefined;
  return fromLib(parsed);
}

/**
 * Masks a phone number for logs and messages: the country calling code (where the metadata
 * knows it) and the last two digits stay, the rest becomes dots. Never throws.
 */
export function maskWith(metadata: MetadataJson | undefined, input: string): string {
  const text = typeof input === 'string' ? input : '';
  const digits = text.replace(/\D/g, '');
  const last = digits.length >= 6 ? digits.slice(-2) : '';
  if (metadata && text.trim().startsWith('+') && digits.length >= 6) {
    const parsed = parsePhoneNumberFromString(text.trim(), metadata);
    if (parsed) return `+${parsed.countryCallingCode} ${MASK} •• ${last}`;
  }
  return last ? `${MASK} •• ${last}` : MASK;
}
