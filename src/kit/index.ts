/**
 * The adapter kit: everything an adapter under `adapters/<name>/` imports from the core — the
 * contract, `defineAdapter`, the option schemas, the error table, the result helpers and the
 * HTTP request shape. An adapter imports nothing else from `src/` but the public types.
 */

export { isPhoneBindingError, PhoneBindingError } from '../errors.js';
export { askCredential, bearer, type CredentialHeader, resolveCredential } from '../internal/credentials.js';
export type { HttpFailure, MappedError, PrepareRequest, RequestSpec } from '../internal/http.js';
export { invalidInput } from '../internal/input.js';
export { lazy } from '../internal/lazy.js';
export {
  adapterOptions,
  baseUrlSchema,
  credentialSchema,
  idSchema,
  serverSecretShape,
} from '../internal/option-schemas.js';
export type * from './contract.js';
export { type Adapter, defineAdapter } from './define.js';
export {
  type ErrorFacts,
  type ErrorRow,
  type ErrorTable,
  errorTable,
  field,
  type TableFailure,
} from './error-table.js';
export { defineCapabilities, requireCurrentNumber } from './results.js';
