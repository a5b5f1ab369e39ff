/**
 * phone-binding: one typed interface to bind a phone number to a user, verify it with an SMS
 * code, read it and remove it, in front of several identity backends.
 * @packageDocumentation
 * @module phone-binding
 */
export {
  ERROR_CODES,
  isPhoneBindingError,
  PhoneBindingError,
  type PhoneBindingErrorCode,
  type PhoneBindingErrorInit,
} from './errors.js';
export {
  MAX_PHONE_INPUT_LENGTH,
  maskPhoneNumber,
  type NormalizeOptions,
  normalizePhoneNumber,
} from './phone.js';
export type { MetadataOption, PhoneMetadata } from './phone-core.js';
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
