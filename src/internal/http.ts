import ky, { HTTPError, type KyInstance, type RetryOptions, TimeoutError } from 'ky';
import type * as z from 'zod/mini';
import { isPhoneBindingError, PhoneBindingError, type PhoneBindingErrorCode } from '../errors.js';
import type { CallOptions, Hooks, Operation, ProviderId } from '../types.js';
import { type CredentialHeader, credentialValue } from './credentials.js';
import type { Log } from './log.js';
import { DEFAULT_MESSAGES, statusCode } from './messages.js';
import type { Redactor } from './redact.js';

/** Default milliseconds per attempt. */
export const DEFAULT_TIMEOUT = 10_000;
/** Default retries for requests that are safe to repeat. */
export const DEFAULT_RETRY = 2;
/** Default cap on a `Retry-After` the SDK waits out by itself (longer waits are left to the caller). */
export const DEFAULT_MAX_RETRY_AFTER = 30_000;
// Connection errors that prove the request never left: asking again cannot repeat anything.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
const MAX_DETAIL_TEXT = 500;
const SMS_NOTE = ' It may have reached the backend and sent an SMS; asking again could send a second one.';
const ACTED_NOTE =
  ' It may have taken effect (a record created or a code checked); asking again could repeat it.';

/** A non-2xx answer, handed to the adapter's error mapping. */
export interface HttpFailure {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON, or `undefined` when empty. */
  body: unknown;
  headers: Headers;
  operation: Operation;
}

/** What an adapter's error mapping decides. */
export interface MappedError {
  code: PhoneBindingErrorCode;
  message: string;
  providerCode?: string | undefined;
  requestId?: string | undefined;
  retryable?: boolean;
  /** Used when the answer has no `Retry-After` header. */
  retryAfterMs?: number | undefined;
}

/** Construction options of {@link HttpClient}. */
export interface HttpClientOptions {
  provider: ProviderId;
  /** The backend's name in messages (`Clerk`); default "The backend". */
  title?: string | undefined;
  baseUrl: string;
  fetch?: typeof fetch | undefined;
  timeout?: number | undefined;
  retry?: number | undefined;
  /** Longest `Retry-After` (ms) waited out before a retry; a longer one ends the call. */
  maxRetryAfter?: number | undefined;
  headers?: Record<string, string> | undefined;
  hooks?: Hooks | undefined;
  credentials: readonly CredentialHeader[];
  /**
   * Protocol headers the adapter owns (an API version, an app id). Set on every attempt after the
   * caller's headers, so neither the `headers` option nor per-call headers can replace or
   * duplicate them, whatever their letter case.
   */
  fixedHeaders?: Record<string, string> | undefined;
  mapError: (failure: HttpFailure) => MappedError;
  /**
   * For backends that report failures inside a 2xx body (Authing answers HTTP 200 with
   * `statusCode != 200`): the error the body holds, or `undefined` when it is a success. Runs on
   * every parsed 2xx body, before its schema check; the error it gives carries no `status`.
   */
  bodyError?: ((body: unknown, operation: Operation) => MappedError | undefined) | undefined;
  /** Runs on every attempt right before it goes out (see {@link PrepareRequest}). */
  prepare?: PrepareRequest | undefined;
  /** Where attempt and retry lines go (`debug`, `info`). */
  log?: Log | undefined;
}

/**
 * The last step of every attempt, after the headers and credentials are set: for a signature
 * over the whole request (AWS SigV4), made anew per attempt. `secret` registers values that must
 * never show in errors or hook events (keys the signature uses but never sends).
 */
export type PrepareRequest = (request: Request, secret: (value: string) => void) => Promise<Request>;

/** One request an adapter wants sent. */
export interface RequestSpec<T> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path segments after the base URL; each is percent-encoded. */
  path: readonly string[];
  query?: Record<string, string>;
  json?: unknown;
  /**
   * Protocol headers of this one request (Cognito names its operation in `x-amz-target`), set
   * on every attempt after the caller's headers, like the adapter's fixed headers.
   */
  headers?: Record<string, string>;
  /** Schema of a 2xx body; absent: the body is ignored. */
  schema?: z.ZodMiniType<T>;
  /**
   * `true` only for requests that are safe to repeat: reads and deletes. A request that sends an
   * SMS, creates a record or checks a code is never retried by the SDK.
   */
  idempotent: boolean;
  /**
   * The request makes the backend send an SMS. When it fails after it may have reached the
   * backend (a timeout, a broken connection), the error says asking again is not safe.
   */
  sendsSms?: boolean;
}

/** Per-operation context: what is being done and what must stay secret. */
export interface CallContext {
  operation: Operation;
  options: CallOptions;
  redactor: Redactor;
  /** The operation's total deadline (all its requests and retries). */
  deadline?: Deadline | undefined;
}

/**
 * An operation's deadline. Its `signal` is made on first use only: an AbortSignal, and every
 * Request or listener that follows one, costs more than a whole single-attempt request's own
 * work, so a request sent once listens through {@link Deadline.onExpire} instead.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly waiting = new Set<() => void>();
  private passed = false;

  constructor(readonly ms: number) {
    // A plain timer (not AbortSignal.timeout) so fake timers in tests drive it too.
    this.timer = setTimeout(() => this.expire(), ms);
  }

  /** Aborts when the deadline passes (made when first read; Node makes it aborted if it has). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** `true` once the deadline has passed. */
  get expired(): boolean {
    return this.passed;
  }

  /** Calls `listener` when the deadline passes; answers the function that stops listening. */
  onExpire(listener: () => void): () => void {
    this.waiting.add(listener);
    return () => this.waiting.delete(listener);
  }

  /** Ends the timer once the operation is over. */
  clear(): void {
    clearTimeout(this.timer);
  }

  private expire(): void {
    this.passed = true;
    this.controller.abort();
    for (const listener of this.waiting) listener();
    this.waiting.clear();
  }
}

export type { CredentialHeader } from './credentials.js';

/** Joins URL-encoded path segments onto a base URL (every segment encoded: ids never change the path). */
export function joinPath(baseUrl: string, segments: readonly string[]): string {
  return `${baseUrl}/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date), if present and sane. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Anything else must be an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT"), which has letters;
  // "-1" or "soon" are not sane and give no hint at all.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Default mapping of an HTTP status when the body says nothing more useful. */
export function mapStatus(status: number): { code: PhoneBindingErrorCode; message: string } {
  const code = statusCode(status);
  return {
    code,
    message: `${code === 'provider_error' ? 'The backend reported a failure.' : DEFAULT_MESSAGES[code]} (HTTP ${status})`,
  };
}

/**
 * Appends a query exactly as ky's `searchParams` would (`?` + `URLSearchParams`, undefined values
 * left out), without ky building a second `Request` for it. `url` never holds a query or fragment:
 * the base URL is refused with either, and path segments are percent-encoded.
 */
function withQuery(url: string, query: Record<string, string> | undefined): string {
  if (query === undefined || Object.keys(query).length === 0) return url;
  const defined = Object.entries(query).filter(([, value]) => value !== undefined);
  return `${url}?${new URLSearchParams(defined).toString()}`;
}

function readBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text.length > MAX_DETAIL_TEXT ? `${text.slice(0, MAX_DETAIL_TEXT)}…` : text;
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * The one HTTP layer every adapter uses: URL building, credentials per request, timeouts,
 * cancellation, retries of idempotent requests only, response validation, error mapping, and
 * masked hook events.
 */
export class HttpClient {
  private readonly ky: KyInstance;
  /** `accept` and the adapter's `headers` option, under every request. */
  private readonly defaultHeaders: Record<string, string>;
  private readonly baseUrl: string;
  private readonly title: string;
  private readonly timeout: number;
  private readonly retry: number;
  private readonly maxRetryAfter: number;
  /** Some credential is a function: after a 401 it is asked again, once. */
  private readonly refreshable: boolean;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl;
    this.title = options.title ?? 'The backend';
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.maxRetryAfter = options.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER;
    this.refreshable = options.credentials.some(({ credential }) => typeof credential === 'function');
    this.defaultHeaders = { accept: 'application/json', ...options.headers };
    this.ky = ky.create({ headers: this.defaultHeaders, throwHttpErrors: true });
  }

  /**
   * Sends one request (retrying it only when `spec.idempotent`) and returns its validated body.
   *
   * Design: requests that may be retried (reads and deletes) go through ky, which owns the
   * retries, their back-off and `Retry-After`; a request sent exactly once (one that sends an
   * SMS, creates a record or checks a code, or any request with `retry: 0`) is one plain `fetch`,
   * since ky would only add its Request clone and option merging to it. Both paths share the
   * attempt itself (`attemptFetch`: fixed headers, credentials, signing, hooks, logging), the
   * error mapping and the body checks, so they fail and report the same way.
   */
  async send<T>(spec: RequestSpec<T>, call: CallContext): Promise<T> {
    const url = withQuery(joinPath(this.baseUrl, spec.path), spec.query);
    const retry = spec.idempotent ? (call.options.retry ?? this.retry) : 0;
    for (let round = 0; ; round += 1) {
      let response: Response;
      try {
        response =
          retry === 0
            ? await this.sendOnce(url, spec, call)
            : await this.ky(url, {
                method: spec.method,
                json: spec.json,
                // Passing `headers: undefined` would make ky drop the instance's default headers.
                ...(call.options.headers ? { headers: call.options.headers } : {}),
                timeout: call.options.timeout ?? this.timeout,
                signal: callSignal(call),
                retry: this.retryOptions(spec, retry),
                fetch: this.attemptFetch(call, spec.headers),
              });
      } catch (error) {
        if (!(error instanceof HTTPError)) throw this.transportError(error, call, spec);
        response = error.response;
      }
      if (response.ok) return this.read(response, spec, call);
      // A 401 did nothing on the backend: with a credential function (a token that may have
      // just expired), ask it again and repeat the request once, whatever the request is.
      if (response.status === 401 && this.refreshable && round === 0) {
        void response.body?.cancel().catch(() => undefined);
        continue;
      }
      throw await this.failure(response, call, spec);
    }
  }

  /** One attempt without ky, with the same headers, body, timeout and errors as ky's. */
  private async sendOnce(url: string, spec: RequestSpec<unknown>, call: CallContext): Promise<Response> {
    const headers = new Headers(this.defaultHeaders);
    for (const [name, value] of Object.entries(call.options.headers ?? {})) headers.set(name, value);
    let body: string | undefined;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    // One controller for the attempt: its timeout, the call's signal and the deadline abort it
    // (no AbortSignal.any). The platform's fetch gets it in `init`, not inside this Request: it
    // makes its own Request from both, and each Request following a signal costs as much again.
    // A `fetch` option gets it inside the Request, as before: a wrapper may pass on the Request
    // alone. The attempt is raced against all three, as ky does, so a fetch that ignores its
    // signal cannot outlive them.
    const controller = new AbortController();
    const inInit = this.options.fetch === undefined;
    const request = new Request(url, {
      method: spec.method,
      headers,
      body,
      ...(inInit ? {} : { signal: controller.signal }),
    });
    const attempt = this.attemptFetch(call, spec.headers);
    const outer = call.options.signal;
    const deadline = call.deadline;
    return new Promise<Response>((resolve, reject) => {
      let unlisten: (() => void) | undefined;
      const settle = () => {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
        unlisten?.();
      };
      const stop = (error: unknown, reason?: unknown) => {
        settle();
        controller.abort(reason);
        reject(error);
      };
      const onAbort = () => stop(outer?.reason, outer?.reason);
      const onExpire = () => stop(deadline?.signal.reason, deadline?.signal.reason);
      const timer = setTimeout(() => stop(new TimeoutError(request)), call.options.timeout ?? this.timeout);
      // The caller's abort first, as AbortSignal.any([signal, deadline]) would report it.
      if (outer?.aborted) return onAbort();
      if (deadline?.expired) return onExpire();
      outer?.addEventListener('abort', onAbort, { once: true });
      unlisten = deadline?.onExpire(onExpire);
      attempt(request, inInit ? { signal: controller.signal } : undefined).then(
        (response) => {
          settle();
          resolve(response);
        },
        (error: unknown) => stop(error),
      );
    });
  }

  /** Reads a 2xx body and checks it. */
  private async read<T>(response: Response, spec: RequestSpec<T>, call: CallContext): Promise<T> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.transportError(error, call, spec);
    }
    if (!spec.schema && !this.options.bodyError) return undefined as T;
    return this.validate(spec, text, response.status, call);
  }

  private retryOptions(spec: RequestSpec<unknown>, retry: number): RetryOptions | 0 {
    if (!spec.idempotent || retry === 0) return 0;
    return {
      limit: retry,
      methods: [spec.method.toLowerCase() as Lowercase<RequestSpec<unknown>['method']>],
      statusCodes: RETRY_STATUSES,
      afterStatusCodes: [429, 503],
      // Full jitter keeps many clients from retrying in lockstep after a shared outage.
      jitter: true,
      backoffLimit: 10_000,
      maxRetryAfter: this.maxRetryAfter,
      shouldRetry: ({ error }) => {
        // Our own errors (a credential function failing) are final.
        if (isPhoneBindingError(error)) return false;
        // A wait longer than the cap is the caller's to decide: end with retryAfterMs instead.
        if (error instanceof HTTPError) {
          const after = parseRetryAfter(error.response.headers.get('retry-after'));
          if (after !== undefined && after > this.maxRetryAfter) return false;
        }
        return undefined;
      },
    };
  }

  /** The fetch ky calls once per attempt: credentials are resolved and hook events sent here. */
  private attemptFetch(call: CallContext, own: Record<string, string> | undefined): typeof fetch {
    let attempt = 0;
    return async (input, init) => {
      attempt += 1;
      let request = input as Request;
      for (const [name, value] of Object.entries(this.options.fixedHeaders ?? {}))
        request.headers.set(name, value);
      for (const [name, value] of Object.entries(own ?? {})) request.headers.set(name, value);
      for (const { header, credential, field, format } of this.options.credentials) {
        const pending = credentialValue(credential, field);
        const value = typeof pending === 'string' ? pending : await pending;
        call.redactor.secret(value);
        request.headers.set(header, format ? format(value) : value);
      }
      if (this.options.prepare)
        request = await this.options.prepare(request, (value) => call.redactor.secret(value));
      // Hook events and log lines only when something takes them: masking the URL costs more
      // than the rest of an attempt's own work (the number's pattern is compiled on first use).
      const hooks = this.options.hooks;
      const log = this.options.log;
      const debug = log?.enabled('debug') === true;
      const retrying = attempt > 1 && log?.enabled('info') === true;
      const base =
        hooks?.request || hooks?.response || debug || retrying
          ? {
              provider: this.options.provider,
              operation: call.operation,
              method: request.method,
              url: call.redactor.text(request.url),
              attempt,
            }
          : undefined;
      if (base) this.emit('request', { type: 'request', ...base });
      if (base && retrying) {
        log?.write(
          'info',
          `phone-binding: ${base.provider} ${base.operation}: retry ${attempt - 1} of ${base.method} ${base.url}`,
        );
      }
      const started = performance.now();
      // Looked up now, not at construction, so a fetch patched later (msw, tests) is used.
      const fetchImpl = this.options.fetch ?? globalThis.fetch;
      const response = await fetchImpl(request, init);
      if (base) {
        const durationMs = Math.round((performance.now() - started) * 100) / 100;
        this.emit('response', { type: 'response', ...base, status: response.status, durationMs });
        if (debug) {
          log?.write(
            'debug',
            `phone-binding: ${base.provider} ${base.operation} ${base.method} ${base.url} → ${response.status} in ${durationMs} ms`,
          );
        }
      }
      return response;
    };
  }

  private emit<K extends 'request' | 'response'>(kind: K, event: Parameters<NonNullable<Hooks[K]>>[0]): void {
    const hook = this.options.hooks?.[kind] as ((e: typeof event) => void) | undefined;
    if (!hook) return;
    try {
      hook(event);
    } catch {
      // An observer must never break the call it observes.
    }
  }

  private validate<T>(spec: RequestSpec<T>, text: string, status: number, call: CallContext): T {
    const schema = spec.schema;
    let body: unknown;
    try {
      body = text.length === 0 ? undefined : JSON.parse(text);
    } catch {
      throw new PhoneBindingError({
        code: 'invalid_response',
        message: `${this.title} answered HTTP ${status} with a body that is not JSON.`,
        status,
        details: call.redactor.text(text.slice(0, MAX_DETAIL_TEXT)),
      });
    }
    const inBody = this.options.bodyError?.(body, call.operation);
    if (inBody) {
      // A backend failure reported in a 200 body, like a 5xx: it may have taken effect.
      const mayHaveActed = !spec.idempotent && inBody.retryable === true && inBody.code !== 'rate_limited';
      const note = spec.sendsSms ? SMS_NOTE : ACTED_NOTE;
      throw new PhoneBindingError({
        ...inBody,
        message: call.redactor.text(mayHaveActed ? `${inBody.message}${note}` : inBody.message),
        ...(mayHaveActed ? { retryable: false } : {}),
        details: call.redactor.deep(body),
      });
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const paths = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(body)'))];
      throw new PhoneBindingError({
        code: 'invalid_response',
        message: `${this.title}'s answer does not have the expected shape (at ${paths.slice(0, 5).join(', ')}).`,
        status,
        details: call.redactor.deep(body),
      });
    }
    return parsed.data;
  }

  private async failure(
    response: Response,
    call: CallContext,
    spec: RequestSpec<unknown>,
  ): Promise<PhoneBindingError> {
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The status alone still says enough to map the error.
    }
    const body = readBody(text);
    let mapped: MappedError;
    try {
      mapped = this.options.mapError({
        status: response.status,
        body,
        headers: response.headers,
        operation: call.operation,
      });
    } catch {
      mapped = mapStatus(response.status);
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after')) ?? mapped.retryAfterMs;
    // A 5xx to a request that sends an SMS, creates a record or checks a code may have taken
    // effect before the backend failed: asking again could repeat it, so it is not "retryable".
    const mayHaveActed = !spec.idempotent && response.status >= 500;
    const note = spec.sendsSms ? SMS_NOTE : ACTED_NOTE;
    return new PhoneBindingError({
      ...mapped,
      message: call.redactor.text(mayHaveActed ? `${mapped.message}${note}` : mapped.message),
      status: response.status,
      ...(mayHaveActed ? { retryable: false } : {}),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(body === undefined ? {} : { details: call.redactor.deep(body) }),
    });
  }

  private transportError(error: unknown, call: CallContext, spec: RequestSpec<unknown>): PhoneBindingError {
    if (isPhoneBindingError(error)) return error;
    // The caller's own abort first: it is a decision, not a failure, and never retryable as is.
    if (call.options.signal?.aborted) {
      return new PhoneBindingError({
        code: 'network',
        message: 'The call was aborted by its signal.',
        retryable: false,
        cause: call.options.signal.reason ?? error,
      });
    }
    // A request that sends an SMS, creates a record or checks a code and fails after it may
    // have reached the backend: repeating it could repeat its effect, so it is not "safe to ask
    // again" — the caller decides, knowing that.
    const maybeSent = !spec.idempotent && !neverSent(error);
    const smsNote = spec.sendsSms ? SMS_NOTE : ACTED_NOTE;
    if (call.deadline?.expired) {
      return new PhoneBindingError({
        code: 'timeout',
        message: `The operation did not finish within its deadline of ${call.deadline.ms} ms.${maybeSent ? smsNote : ''}`,
        ...(maybeSent ? { retryable: false } : {}),
      });
    }
    if (error instanceof TimeoutError) {
      const ms = call.options.timeout ?? this.timeout;
      return new PhoneBindingError({
        code: 'timeout',
        message: `No answer within ${ms} ms.${maybeSent ? smsNote : ''}`,
        ...(maybeSent ? { retryable: false } : {}),
      });
    }
    if (isAbortError(error)) {
      return new PhoneBindingError({ code: 'network', message: 'The request was aborted.', cause: error });
    }
    return new PhoneBindingError({
      code: 'network',
      message: `The request could not be sent or the connection broke.${maybeSent ? smsNote : ''}`,
      ...(maybeSent ? { retryable: false } : {}),
      cause: error,
    });
  }
}

/** The signal ky gets: the caller's and the deadline's, one when only one is there. */
function callSignal(call: CallContext): AbortSignal | undefined {
  const own = call.options.signal;
  const deadline = call.deadline?.signal;
  return own && deadline ? AbortSignal.any([own, deadline]) : (own ?? deadline);
}

/** `true` when a fetch error proves the request never left (refused, unresolvable host). */
function neverSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT.has(code)) return true;
  }
  return false;
}
