import type { Operation, ProviderId } from './types.js';

/**
 * Stable error codes. Switch on these, never on messages.
 *
 * @example
 * ```ts
 * if (isPhoneBindingError(e) && e.code === 'invalid_code') showMessage('That code is not right.');
 * ```
 */
export type PhoneBindingErrorCode =
  | 'invalid_phone_number'
  | 'invalid_input'
  | 'unsupported'
  | 'invalid_code'
  | 'code_expired'
  | 'too_many_attempts'
  | 'phone_in_use'
  | 'not_found'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'timeout'
  | 'network'
  | 'invalid_response'
  | 'provider_error';

/**
 * Every {@link PhoneBindingErrorCode}, for exhaustive tables and tests.
 *
 * @example
 * ```ts
 * import { ERROR_CODES, type PhoneBindingErrorCode } from 'phone-binding';
 *
 * const messages: Partial<Record<PhoneBindingErrorCode, string>> = {
 *   invalid_phone_number: 'Please check the number.',
 *   invalid_code: 'That code is not right.',
 * };
 * // e.g. in a test: every code has a message for the user
 * const untranslated = ERROR_CODES.filter((code) => messages[code] === undefined);
 * ```
 */
export const ERROR_CODES: readonly PhoneBindingErrorCode[] = [
  'invalid_phone_number',
  'invalid_input',
  'unsupported',
  'invalid_code',
  'code_expired',
  'too_many_attempts',
  'phone_in_use',
  'not_found',
  'unauthenticated',
  'forbidden',
  'rate_limited',
  'timeout',
  'network',
  'invalid_response',
  'provider_error',
];

/**
 * What {@link PhoneBindingError}'s constructor takes.
 *
 * @example
 * ```ts
 * import { PhoneBindingError, type PhoneBindingErrorInit } from 'phone-binding';
 *
 * // e.g. a test double of PhoneBinding that fails like a throttled backend
 * const init: PhoneBindingErrorInit = {
 *   code: 'rate_limited',
 *   message: 'Too many SMS for this number.',
 *   provider: 'clerk',
 *   operation: 'bind',
 *   status: 429,
 *   retryAfterMs: 30_000,
 * };
 * throw new PhoneBindingError(init); // retryable: true (derived from the code)
 * ```
 */
export interface PhoneBindingErrorInit {
  /** Stable code. */
  code: PhoneBindingErrorCode;
  /** Human-readable text; never holds a full number, code or token. */
  message: string;
  /** Adapter that raised it. */
  provider?: ProviderId;
  /** Operation that raised it. */
  operation?: Operation;
  /** HTTP status, when an HTTP answer caused it. */
  status?: number;
  /** The backend's own error code or id. */
  providerCode?: string;
  /** The backend's trace or request id. */
  requestId?: string;
  /** Overrides the default derived from `code` and `status`. */
  retryable?: boolean;
  /** How long to wait before asking again, from `Retry-After`. */
  retryAfterMs?: number;
  /** The backend's error body, masked. */
  details?: unknown;
  /** The underlying error. */
  cause?: unknown;
}

/** The optional facts of an error, in the order `toJSON` lists them (after name, code, message). */
const FACTS = [
  'provider',
  'operation',
  'status',
  'providerCode',
  'requestId',
  'retryable',
  'retryAfterMs',
  'details',
] as const satisfies ReadonlyArray<keyof PhoneBindingErrorInit>;
type Facts = Record<(typeof FACTS)[number], unknown>;

const BRAND: unique symbol = Symbol.for('phone-binding.error') as never;
const RETRYABLE_CODES: ReadonlySet<PhoneBindingErrorCode> = new Set(['rate_limited', 'timeout', 'network']);

/**
 * The one retryable rule: `rate_limited`, `timeout`, `network`, and a backend failure of class
 * 5xx (`status` is the HTTP status, or the backend's own status class for failures inside a 200
 * body). Callers override it only where a request may have taken effect (an SMS sent).
 * @internal
 */
export function defaultRetryable(code: PhoneBindingErrorCode, status: number | undefined): boolean {
  return RETRYABLE_CODES.has(code) || (code === 'provider_error' && status !== undefined && status >= 500);
}

/**
 * `true` for any {@link PhoneBindingError}, also one thrown by another copy of this package
 * (two versions in one bundle, or its ESM and CommonJS builds side by side).
 *
 * @example
 * ```ts
 * try { await binding.verify({ ticket, code }); }
 * catch (e) { if (isPhoneBindingError(e) && e.code === 'invalid_code') askAgain(); else throw e; }
 * ```
 */
export function isPhoneBindingError(value: unknown): value is PhoneBindingError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/**
 * The one error type of the SDK. Every failure, from bad input to a surprising backend answer,
 * is one of these with a stable {@link PhoneBindingErrorCode}.
 *
 * @example
 * ```ts
 * try {
 *   await phones.bind({ userId: 'user_2abc', phoneNumber: '+1 213 373 4253' });
 * } catch (e) {
 *   if (e instanceof PhoneBindingError && e.code === 'rate_limited') retryIn(e.retryAfterMs ?? 60_000);
 *   else throw e;
 * }
 * ```
 */
export class PhoneBindingError extends Error {
  /** Stable code. */
  readonly code: PhoneBindingErrorCode;
  /** Adapter that raised it. */
  declare readonly provider?: ProviderId;
  /** Operation that raised it. */
  declare readonly operation?: Operation;
  /** HTTP status; absent when the failure came without one (input checks, network, a failure inside a 200 body). */
  declare readonly status?: number;
  /** The backend's own code or id (Zitadel's `details[].id`, Clerk's `errors[0].code`, Authing's `apiCode`). */
  declare readonly providerCode?: string;
  /** The backend's trace or request id. */
  declare readonly requestId?: string;
  /** `true` when the same call may succeed later unchanged: `rate_limited`, `timeout`, `network`, 5xx. */
  readonly retryable: boolean;
  /** How long to wait before asking again, from `Retry-After`. */
  declare readonly retryAfterMs?: number;
  /** The backend's error body, masked. */
  declare readonly details?: unknown;

  /** Creates an error; `retryable` defaults from `code` and `status`. */
  constructor(init: PhoneBindingErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'PhoneBindingError';
    this.code = init.code;
    // Only the fields given become own properties, so an error shows (and compares) as made.
    for (const field of FACTS) {
      if (field !== 'retryable' && init[field] !== undefined) (this as Facts)[field] = init[field];
    }
    this.retryable = init.retryable ?? defaultRetryable(init.code, init.status);
  }

  /** Makes `instanceof` work across duplicate copies of the package (it checks the brand). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isPhoneBindingError(value);
  }

  /**
   * What Node's `util.inspect` (and so `console.log`) shows: the masked fields, and of the cause
   * only its name and code — a cause is foreign data (a credential function's own error, say).
   */
  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    const out = this.toJSON();
    const cause = (this as { cause?: unknown }).cause;
    if (cause !== undefined) {
      const { name, code } = (typeof cause === 'object' && cause !== null ? cause : {}) as {
        name?: unknown;
        code?: unknown;
      };
      out.cause = [
        typeof name === 'string' ? name : typeof cause,
        typeof code === 'string' ? code : undefined,
      ]
        .filter(Boolean)
        .join(' ');
    }
    out.stack = this.stack;
    return out;
  }

  /** A plain object for logs: every field but `cause`, which may hold foreign data. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const field of FACTS) out[field] = this[field];
    return out;
  }
}

Object.defineProperty(PhoneBindingError.prototype, BRAND, { value: true });
