/**
 * `phone-binding/core`: the exports of `phone-binding`, on the phone metadata an app brings:
 * {@link normalizePhoneNumber} takes `metadata`, and nothing of libphonenumber-js's `min` ships.
 * @packageDocumentation
 * @module phone-binding/core
 */
import {
  type MetadataOption,
  maskWith,
  type NormalizeOptions,
  normalizeWith,
  type PhoneMetadata,
} from './phone-core.js';
import type { PhoneNumber } from './types.js';

export {
  ERROR_CODES,
  isPhoneBindingError,
  PhoneBindingError,
  type PhoneBindingErrorCode,
  type PhoneBindingErrorInit,
} from './errors.js';
export {
  MAX_PHONE_INPUT_LENGTH,
  type MetadataOption,
  type NormalizeOptions,
  type PhoneMetadata,
} from './phone-core.js';
export type {
  BindInput,
  BoundPhone,
  CallOptions,
  Capabilities,
  CommonAdapterOptions,
  Credential,
  ErrorEvent,
  GetInput,
  Hooks,
  Logger,
  LogLevel,
  Operation,
  PendingVerification,
  PhoneBinding,
  PhoneNumber,
  PhoneState,
  ProviderId,
  RemovedPhone,
  RemoveInput,
  RequestEvent,
  ResendInput,
  ResponseEvent,
  VerificationPurpose,
  VerificationTicket,
  VerifyInput,
} from './types.js';

/**
 * `normalizePhoneNumber` of `phone-binding` on the metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { normalizePhoneNumber } from 'phone-binding/core';
 *
 * normalizePhoneNumber('(079) 123 45 67', { defaultCountry: 'CH', metadata }).e164; // '+41791234567'
 * ```
 */
export function normalizePhoneNumber(input: string, options: NormalizeOptions & MetadataOption): PhoneNumber {
  return normalizeWith(options.metadata, input, options);
}

/**
 * `maskPhoneNumber` of `phone-binding`: the calling code stays where `metadata` is given and
 * knows it, the last two digits always.
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { maskPhoneNumber } from 'phone-binding/core';
 *
 * maskPhoneNumber('+41791234567', metadata); // '+41 ••• •• 67'
 * maskPhoneNumber('+41791234567'); // '••• •• 67'
 * ```
 */
export function maskPhoneNumber(input: string, metadata?: PhoneMetadata): string {
  return maskWith(metadata, input);
}
