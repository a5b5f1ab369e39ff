// The provider ids have one source, the registry of backends; the core names none of them.
import type { ProviderId } from '../adapters/registry.js';
import type { PhoneBindingError } from './errors.js';

export type { ProviderId };

/**
 * State of a phone number on a user: stored without proof, a code is pending, or proven by a code (or
 * asserted by an admin).
 *
 * @example
 * ```ts
 * import type { PhoneState } from 'phone-binding';
 *
 * const badge: Record<PhoneState, string> = { unverified: 'Not verified', pending: 'Code sent', verified: 'Verified' };
 * const bound = await phones.get({ userId: '2735672783' });
 * console.log(bound ? badge[bound.state] : 'No phone number');
 * ```
 */
export type PhoneState = 'unverified' | 'pending' | 'verified';

/**
 * The five operations of {@link PhoneBinding}; errors and hook events name the one they came from.
 *
 * @example
 * ```ts
 * import type { Hooks, Operation } from 'phone-binding';
 *
 * const failures = new Map<Operation, number>();
 * const hooks: Hooks = {
 *   error: ({ operation }) => failures.set(operation, (failures.get(operation) ?? 0) + 1),
 * };
 * ```
 */
export type Operation = 'bind' | 'verify' | 'resend' | 'get' | 'remove';

/**
 * Why a code was sent: `bind` is finished with `verify()`, `remove` with `remove({ ticket, code })`.
 *
 * @example
 * ```ts
 * import type { PendingVerification, VerificationPurpose } from 'phone-binding';
 *
 * async function finish(pending: PendingVerification, code: string) {
 *   const purpose: VerificationPurpose = pending.purpose;
 *   return purpose === 'bind'
 *     ? phones.verify({ ticket: pending.ticket, code })
 *     : phones.remove({ ticket: pending.ticket, code });
 * }
 * ```
 */
export type VerificationPurpose = 'bind' | 'remove';

/**
 * A normalized phone number. Every phone the SDK returns has this shape.
 *
 * @example
 * ```ts
 * const phone: PhoneNumber = { e164: '+41791234567', countryCallingCode: '41', nationalNumber: '791234567', country: 'CH' };
 * ```
 */
export interface PhoneNumber {
  /** E.164 form, e.g. `"+41791234567"`. */
  e164: string;
  /** Country calling code without `+`, e.g. `"41"`. */
  countryCallingCode: string;
  /** National significant number, e.g. `"791234567"`. */
  nationalNumber: string;
  /** ISO 3166-1 alpha-2 country, e.g. `"CH"`, when the number identifies one. */
  country?: string;
}

/**
 * Plain-JSON proof of a pending verification. Safe to keep in a server session or to send to a
 * browser and back: it holds the E.164 number and what the backend needs to finish, never a code
 * or a credential.
 *
 * @example
 * ```ts
 * import type { VerificationTicket } from 'phone-binding';
 *
 * // Step 1: send the code and keep the ticket in the session.
 * const result = await phones.bind({ userId: '2735672783', phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') session.phoneTicket = JSON.stringify(result.ticket);
 *
 * // Step 2, in a later request: the user typed the code.
 * const ticket: VerificationTicket = JSON.parse(session.phoneTicket);
 * await phones.verify({ ticket, code: '7QK2ZD' });
 * ```
 */
export interface VerificationTicket {
  /** Adapter that issued the ticket; another adapter rejects it. */
  provider: ProviderId;
  /** Which method finishes it: `bind` → `verify()`, `remove` → `remove({ ticket, code })`. */
  purpose: VerificationPurpose;
  /** The user the code was sent for (admin-scope adapters only). */
  userId?: string;
  /** The number the code was sent to, E.164. */
  phone: string;
  /** When the code was requested, ISO 8601. */
  issuedAt: string;
  /** When the code expires, ISO 8601, when the backend says. */
  expiresAt?: string;
  /** What the backend needs to finish the verification (e.g. ETNA's token id). */
  data?: Record<string, string | number>;
  /** HMAC-SHA-256 of the other fields, base64url, when the adapter has a `ticketSecret`. */
  signature?: string;
}

/**
 * A code was sent (or returned): finish with `verify()` (purpose `bind`) or `remove({ ticket, code })`
 * (purpose `remove`).
 *
 * @example
 * ```ts
 * import { maskPhoneNumber } from 'phone-binding';
 *
 * const result = await phones.bind({ userId: '2735672783', phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') {
 *   console.log(`Code sent to ${maskPhoneNumber(result.phone.e164)}`); // "Code sent to +41 ••• •• 67"
 *   await phones.verify({ ticket: result.ticket, code: '7QK2ZD' });
 * }
 * ```
 */
export interface PendingVerification {
  /** Always `pending`. */
  state: 'pending';
  /** What the code is for. */
  purpose: VerificationPurpose;
  /** Adapter that sent the code. */
  provider: ProviderId;
  /** The number the code was sent to. */
  phone: PhoneNumber;
  /** Pass this back to `verify()`, `resend()` or `remove()`. */
  ticket: VerificationTicket;
  /** The code itself, only when the backend hands it back (Zitadel with `delivery: 'return-code'`). */
  code?: string;
  /** A change of number: the number `verify()` will replace (see `capabilities.change`). */
  replaces?: PhoneNumber;
  /**
   * A change where the backend also wants the code sent to the number being replaced: pass it
   * to `verify()` as `currentCode`.
   */
  needsCurrentCode?: boolean;
}

/**
 * A phone number bound to a user.
 *
 * @example
 * ```ts
 * const bound = await phones.get({ userId: 'user_2abc' });
 * if (bound?.state === 'verified') {
 *   console.log(`${bound.phone.e164} is verified${bound.primary ? ' (primary)' : ''}`);
 * }
 * ```
 */
export interface BoundPhone {
  /** `verified` once proven by a code or asserted with `verified: true`. */
  state: 'unverified' | 'verified';
  /** Adapter that read or wrote it. */
  provider: ProviderId;
  /** The number, normalized. */
  phone: PhoneNumber;
  /** The backend's id of the phone record where it has one (Clerk's `idn_…`). */
  id?: string;
  /** Whether it is the user's primary number, where the backend has the notion. */
  primary?: boolean;
  /** Whether it is enrolled as the user's SMS second factor, where the backend tells. */
  secondFactor?: boolean;
}

/**
 * Result of a finished removal.
 *
 * @example
 * ```ts
 * const result = await phones.remove({ userId: '2735672783' });
 * if (result.state === 'removed') console.log(`Number removed from ${result.provider}`);
 * ```
 */
export interface RemovedPhone {
  /** Always `removed`. */
  state: 'removed';
  /** Adapter that removed it. */
  provider: ProviderId;
}

/**
 * Input of {@link PhoneBinding.bind}.
 *
 * @example
 * ```ts
 * import type { BindInput } from 'phone-binding';
 *
 * const input: BindInput = { userId: '2735672783', phoneNumber: '079 123 45 67', defaultCountry: 'CH' };
 * const result = await phones.bind(input); // sends an SMS to +41791234567
 *
 * // Admin adapters that can assert a number (Zitadel, Clerk) bind it at once, without an SMS:
 * const trusted: BindInput = { userId: 'user_2abc', phoneNumber: '+1 213 373 4253', verified: true, primary: true };
 * ```
 */
export interface BindInput {
  /** Required where `capabilities.scope === 'admin'`; rejected where `'user'` (the token names the user). */
  userId?: string;
  /** The number in any common notation; national notation needs `defaultCountry`. */
  phoneNumber: string;
  /** ISO 3166-1 alpha-2 country used to read a national number, e.g. `"CH"`. */
  defaultCountry?: string;
  /** `true`: bind as verified without a code (needs `capabilities.assertVerified`). */
  verified?: boolean;
  /** Make it the primary number (needs `capabilities.primary`). */
  primary?: boolean;
  /** Also enrol the number as the user's SMS second factor once it is verified (needs `capabilities.secondFactor`). */
  secondFactor?: boolean;
  /** On a change, keep the replaced number as a secondary one (needs `capabilities.multipleNumbers`). */
  keepPrevious?: boolean;
}

/**
 * Input of {@link PhoneBinding.verify}.
 *
 * @example
 * ```ts
 * import type { VerifyInput } from 'phone-binding';
 *
 * const input: VerifyInput = { ticket: pending.ticket, code: ' 7QK2ZD ' }; // white space is trimmed
 * const bound = await phones.verify(input); // { state: 'verified', phone: { e164: '+41791234567', … }, … }
 * ```
 */
export interface VerifyInput {
  /** The ticket of the pending verification, as `bind()` or `resend()` returned it. */
  ticket: VerificationTicket;
  /** The code the user received. Surrounding white space is trimmed. */
  code: string;
  /** Where `PendingVerification.needsCurrentCode`: the code sent to the number being replaced. */
  currentCode?: string;
}

/**
 * Input of {@link PhoneBinding.resend}.
 *
 * @example
 * ```ts
 * import type { ResendInput } from 'phone-binding';
 *
 * const input: ResendInput = { ticket: pending.ticket };
 * const again = await phones.resend(input); // a second SMS; finish with the new ticket
 * await phones.verify({ ticket: again.ticket, code: '7QK2ZD' });
 * ```
 */
export interface ResendInput {
  /** The ticket of the pending verification. */
  ticket: VerificationTicket;
}

/**
 * Input of {@link PhoneBinding.get}.
 *
 * @example
 * ```ts
 * import type { GetInput } from 'phone-binding';
 *
 * // Admin adapters name the user; user-scope adapters read the token's own user.
 * const input: GetInput = phones.capabilities.scope === 'admin' ? { userId: '2735672783' } : {};
 * const bound = await phones.get(input);
 * if (bound === null) console.log('No phone number yet');
 * ```
 */
export interface GetInput {
  /** Required where `capabilities.scope === 'admin'`; rejected where `'user'`. */
  userId?: string;
}

/**
 * Input of {@link PhoneBinding.remove}.
 *
 * @example
 * ```ts
 * import type { RemoveInput } from 'phone-binding';
 * import { authing } from 'phone-binding/authing';
 *
 * // Clerk users may hold several numbers: name the one to remove.
 * const input: RemoveInput = { userId: 'user_2abc', phoneNumber: '+1 213 373 4253' };
 * await phones.remove(input);
 *
 * // Authing first sends a code to the current number, then removes it with that code.
 * const own = authing({ baseUrl: 'https://example.authing.cn', appId, accessToken: session.accessToken });
 * const first = await own.remove({});
 * if (first.state === 'pending') await own.remove({ ticket: first.ticket, code: '482913' });
 * ```
 */
export interface RemoveInput {
  /** Required where `capabilities.scope === 'admin'`; rejected where `'user'`. */
  userId?: string;
  /** Which number to remove; where a user holds one number it must match it. Default: the primary. */
  phoneNumber?: string;
  /** Second step where removal needs a code: the ticket the first `remove()` returned… */
  ticket?: VerificationTicket;
  /** …and the code it sent. */
  code?: string;
}

/**
 * What an adapter can do. Operations it cannot do throw `unsupported` before any request.
 *
 * @example
 * ```ts
 * import type { Capabilities } from 'phone-binding';
 *
 * // Show only what the configured backend can do.
 * function settingsFor(capabilities: Capabilities) {
 *   return {
 *     canRemove: capabilities.remove,
 *     removeSendsCode: capabilities.removeNeedsCode,
 *     canMarkVerified: capabilities.assertVerified,
 *   };
 * }
 * const settings = settingsFor(phones.capabilities);
 * ```
 */
export interface Capabilities {
  /** `admin`: any `userId` with a service credential; `user`: the token's own user. */
  scope: 'admin' | 'user';
  /** `bind()` sends a code and `verify()` completes it. */
  codeVerification: boolean;
  /** `bind({ verified: true })` binds without a code. */
  assertVerified: boolean;
  /** The code can be handed back instead of sent. */
  returnCode: boolean;
  /** `resend()` works. */
  resend: boolean;
  /** `get()` works. */
  get: boolean;
  /** `remove()` works. */
  remove: boolean;
  /** `bind({ primary })` is understood. */
  primary: boolean;
  /** `remove()` first sends a code and returns a pending removal. */
  removeNeedsCode: boolean;
  /**
   * While a change of number is pending: `'immediate'` — the backend already holds the new
   * number, unverified; `'on-verify'` — it still holds the old one, verified, until the code is right.
   */
  change: 'immediate' | 'on-verify';
  /** `bind({ secondFactor: true })` also enrols the number as the user's SMS second factor. */
  secondFactor: boolean;
  /** A user can hold several numbers; `bind({ keepPrevious: true })` works. */
  multipleNumbers: boolean;
}

/**
 * Per-call options.
 *
 * @example
 * ```ts
 * import type { CallOptions } from 'phone-binding';
 *
 * const options: CallOptions = {
 *   signal: AbortSignal.timeout(8_000), // give up on the whole call after 8 s
 *   timeout: 3_000, // ms per attempt
 *   headers: { 'x-request-id': crypto.randomUUID() },
 * };
 * const bound = await phones.get({ userId: '2735672783' }, options);
 * ```
 */
export interface CallOptions {
  /** Cancels the call at once; the error is `network` with the abort reason as `cause`. */
  signal?: AbortSignal;
  /** Milliseconds per attempt; overrides the adapter's `timeout`. */
  timeout?: number;
  /** Extra request headers; they cannot replace the adapter's credential header. */
  headers?: Record<string, string>;
  /**
   * Retries for this call's reads and deletes (0–10); overrides the adapter's `retry`. Requests
   * that send an SMS, create a record or check a code are never repeated, whatever it says.
   */
  retry?: number;
}

/**
 * One typed interface in front of every backend: bind a number, verify it with a code, read it,
 * remove it.
 *
 * @example
 * ```ts
 * const pending = await binding.bind({ userId, phoneNumber: '+41 79 123 45 67' });
 * if (pending.state === 'pending') await binding.verify({ ticket: pending.ticket, code: '123456' });
 * ```
 */
export interface PhoneBinding {
  /** Which backend this adapter talks to. */
  readonly provider: ProviderId;
  /** What this adapter can do. */
  readonly capabilities: Capabilities;
  /** Bind a number: sends a code (→ `PendingVerification`) or, with `verified: true`, binds it at once (→ `BoundPhone`). */
  bind(input: BindInput, options?: CallOptions): Promise<PendingVerification | BoundPhone>;
  /** Finish a pending bind with the code the user received. */
  verify(input: VerifyInput, options?: CallOptions): Promise<BoundPhone>;
  /** Send a new code for a pending verification (a second SMS, asked for by the caller). */
  resend(input: ResendInput, options?: CallOptions): Promise<PendingVerification>;
  /** Read the user's number; `null` when the user has none. */
  get(input: GetInput, options?: CallOptions): Promise<BoundPhone | null>;
  /** Remove the user's number, or start/finish a removal that needs a code. */
  remove(input: RemoveInput, options?: CallOptions): Promise<RemovedPhone | PendingVerification>;
}

/**
 * A credential: a string, or a function called before every request (so tokens can be refreshed).
 *
 * @example
 * ```ts
 * import type { Credential } from 'phone-binding';
 * import { zitadelSelf } from 'phone-binding/zitadel';
 *
 * const token: Credential = () => auth.getAccessToken(); // asked again before every request
 * const phones = zitadelSelf({ baseUrl: 'https://my-instance.zitadel.cloud', token });
 * ```
 */
export type Credential = string | (() => string | Promise<string>);

/**
 * Hook event sent before every HTTP attempt. Numbers, codes and tokens in it are masked.
 *
 * @example
 * ```ts
 * import type { RequestEvent } from 'phone-binding';
 * import { clerk } from 'phone-binding/clerk';
 *
 * function logRequest(event: RequestEvent): void {
 *   console.debug(`${event.provider} ${event.operation}: ${event.method} ${event.url} (attempt ${event.attempt})`);
 * }
 * const phones = clerk({ secretKey: process.env.CLERK_SECRET_KEY!, hooks: { request: logRequest } });
 * ```
 */
export interface RequestEvent {
  /** Event kind. */
  type: 'request';
  /** Adapter. */
  provider: ProviderId;
  /** Operation the request belongs to. */
  operation: Operation;
  /** HTTP method. */
  method: string;
  /** Request URL, masked. */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/**
 * Hook event sent after every HTTP attempt that got an answer.
 *
 * @example
 * ```ts
 * import type { ResponseEvent } from 'phone-binding';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * function logResponse(event: ResponseEvent): void {
 *   console.info(`${event.method} ${event.url} → ${event.status} in ${event.durationMs} ms`);
 * }
 * const phones = zitadel({
 *   baseUrl: 'https://my-instance.zitadel.cloud',
 *   token: process.env.ZITADEL_TOKEN!,
 *   hooks: { response: logResponse },
 * });
 * ```
 */
export interface ResponseEvent {
  /** Event kind. */
  type: 'response';
  /** Adapter. */
  provider: ProviderId;
  /** Operation the request belongs to. */
  operation: Operation;
  /** HTTP method. */
  method: string;
  /** Request URL, masked. */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** HTTP status. */
  status: number;
  /** Time from sending to the response headers, in milliseconds. */
  durationMs: number;
}

/**
 * Hook event sent once when an operation fails, with the (masked) error it throws.
 *
 * @example
 * ```ts
 * import type { ErrorEvent } from 'phone-binding';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * function logError({ provider, operation, error }: ErrorEvent): void {
 *   // The error is masked: safe to log as it is.
 *   console.warn(`phone ${operation} failed on ${provider}: ${error.code}`, error.toJSON());
 * }
 * const phones = zitadel({
 *   baseUrl: 'https://my-instance.zitadel.cloud',
 *   token: process.env.ZITADEL_TOKEN!,
 *   hooks: { error: logError },
 * });
 * ```
 */
export interface ErrorEvent {
  /** Event kind. */
  type: 'error';
  /** Adapter. */
  provider: ProviderId;
  /** Operation that failed. */
  operation: Operation;
  /** The error the operation throws. */
  error: PhoneBindingError;
}

/**
 * Observers of an adapter's traffic, e.g. for logs or metrics. A hook that throws is ignored.
 *
 * @example
 * ```ts
 * import type { Hooks } from 'phone-binding';
 * import { etna } from 'phone-binding/etna';
 *
 * const hooks: Hooks = {
 *   request: (event) => console.debug('→', event.method, event.url),
 *   response: (event) => console.debug('←', event.status, `${event.durationMs} ms`),
 *   error: (event) => console.warn(event.operation, event.error.code),
 * };
 * const phones = etna({ baseUrl: 'https://pub-api-et-demo-prod.etnasoft.us/api', token, appKey, hooks });
 * ```
 */
export interface Hooks {
  /** Called before every HTTP attempt. */
  request?: (event: RequestEvent) => void;
  /** Called after every HTTP attempt that got an answer. */
  response?: (event: ResponseEvent) => void;
  /** Called once per failed operation. */
  error?: (event: ErrorEvent) => void;
}

/**
 * Options every adapter accepts.
 *
 * @example
 * ```ts
 * import type { CommonAdapterOptions } from 'phone-binding';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * const common: CommonAdapterOptions = {
 *   baseUrl: 'https://my-instance.zitadel.cloud',
 *   timeout: 5_000, // ms per attempt
 *   retry: 2, // reads and deletes only; a request that sends an SMS is never repeated
 *   deadline: 20_000, // ms for the whole operation, retries and waits included
 *   maxRetryAfter: 10_000, // wait out a Retry-After of up to 10 s, fail with retryAfterMs beyond
 *   ticketSecret: process.env.PHONE_TICKET_SECRET!, // 16+ characters: tickets are signed and checked
 *   hooks: { error: ({ operation, error }) => console.warn(`phone ${operation} failed: ${error.code}`) },
 * };
 * const phones = zitadel({ ...common, token: process.env.ZITADEL_TOKEN! });
 * ```
 */
export interface CommonAdapterOptions {
  /** The API root as the backend documents it, path included. */
  baseUrl: string;
  /** A fetch implementation; default: the global `fetch`, looked up at request time. */
  fetch?: typeof fetch;
  /** Milliseconds per attempt. Default 10000. */
  timeout?: number;
  /** Retries for reads and deletes on network errors, 408, 429 and 5xx. Default 2. Requests that send an SMS, create a record or check a code are never repeated. */
  retry?: number;
  /** Longest `Retry-After` (ms) the SDK waits out before a retry. Default 30000; a longer one ends the call with `retryAfterMs`. */
  maxRetryAfter?: number;
  /** Milliseconds for a whole operation: all its requests, retries and waits. Default 30000; past it, `timeout`. */
  deadline?: number;
  /**
   * A secret (16+ characters) to sign tickets with HMAC-SHA-256: `verify`, `resend` and `remove`
   * then refuse a changed, forged or foreign ticket with `invalid_input` before any request.
   */
  ticketSecret?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Observers of requests, responses and errors (masked). */
  hooks?: Hooks;
  /**
   * Where log lines go (console-shaped: `debug`, `info`, `warn`, `error`). Default `console`.
   * One line per attempt (`debug`), per retry (`info`) and per failed operation (by its code),
   * masked like hook events.
   */
  logger?: Logger;
  /** The least severe level written. Default: `PHONE_BINDING_LOG` from the environment, else `'warn'`. */
  logLevel?: LogLevel;
}

/**
 * What the SDK logs to: `console`, or any object with these four methods (each line is one string).
 *
 * @example
 * ```ts
 * import type { Logger } from 'phone-binding';
 *
 * const lines: string[] = [];
 * const logger: Logger = {
 *   debug: (line) => lines.push(line),
 *   info: (line) => lines.push(line),
 *   warn: (line) => lines.push(line),
 *   error: (line) => lines.push(line),
 * };
 * ```
 */
export interface Logger {
  /** Every attempt: method, masked URL, status, duration. */
  debug(line: string): void;
  /** A retry, and failures the caller's input explains (a wrong code, a taken number). */
  info(line: string): void;
  /** Failures of configuration or quota (a refused credential, a rate limit). */
  warn(line: string): void;
  /** Failures of the backend or the network (5xx, a timeout, an answer of the wrong shape). */
  error(line: string): void;
}

/**
 * The least severe log level written; `'silent'` writes nothing.
 *
 * @example
 * ```ts
 * import type { LogLevel } from 'phone-binding';
 *
 * const level: LogLevel = process.env.NODE_ENV === 'production' ? 'warn' : 'debug';
 * ```
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * Options of adapters that hold a server secret.
 *
 * @example
 * ```ts
 * import type { ServerSecretOptions } from 'phone-binding';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * // An internal admin console that runs in the browser on purpose (its users may see the token).
 * const internalTool: ServerSecretOptions = { dangerouslyAllowBrowser: true };
 * const phones = zitadel({ baseUrl: 'https://my-instance.zitadel.cloud', token, ...internalTool });
 * ```
 */
export interface ServerSecretOptions {
  /**
   * Allow creating this adapter in a browser. It holds a secret that grants access to every
   * user; anyone who opens the page can read it. Only for trusted internal tools.
   */
  dangerouslyAllowBrowser?: boolean;
}
