import { defaultRetryable, type PhoneBindingErrorCode } from '../errors.js';
import type { MappedError } from '../internal/http.js';
import { DEFAULT_MESSAGES, reasonText, statusCode } from '../internal/messages.js';
import type { Operation } from '../types.js';

/** One row of an error table: the code, and a message only where the default says too little. */
export type ErrorRow = PhoneBindingErrorCode | { code: PhoneBindingErrorCode; message?: string };

/** What a backend's error body tells, read by the adapter's `read`. */
export interface ErrorFacts {
  /** The backend's own error code or id (`providerCode`). */
  providerCode?: string | undefined;
  /** The backend's own words (shown shortened and with digit runs masked). */
  reason?: string | undefined;
  /** The backend's trace or request id. */
  requestId?: string | undefined;
  /**
   * The backend's own status class where it differs from the HTTP status (Authing's body
   * `statusCode`); it decides `byStatus` and retryability.
   */
  status?: number | undefined;
}

/** A failure as the table sees it: a non-2xx answer, or an error inside a 2xx body (no `status`). */
export interface TableFailure {
  status?: number | undefined;
  body: unknown;
  headers?: Headers | undefined;
  operation: Operation;
}

/** An adapter's error table: how to read its error bodies, and id or status → code. */
export interface ErrorTableSpec {
  /** The backend's name in messages: `Clerk`. */
  title: string;
  /** Reads the facts out of an error body (anything: JSON, text or nothing). */
  read(failure: TableFailure): ErrorFacts;
  /** Backend codes or ids (`providerCode`) → code. */
  byCode?: Record<string, ErrorRow>;
  /** Rules a lookup cannot say (an operation's own meaning of a status); tried after `byCode`. */
  decide?(facts: ErrorFacts, failure: TableFailure): ErrorRow | undefined;
  /** Statuses → code, before the core's defaults (401, 403, 404, 408, 429, else provider_error). */
  byStatus?: Record<number, ErrorRow>;
  /**
   * The wait a `rate_limited` answer carries when no `Retry-After` says otherwise: the backend's
   * documented interval, or read from the facts (a wait the backend states in its message, the
   * window of the quota its code names); `undefined` from the function: no wait is known.
   */
  rateLimitWaitMs?: number | ((facts: ErrorFacts) => number | undefined);
}

/** An adapter's error mapping, built by {@link errorTable}; it knows the backend's name. */
export interface ErrorTable {
  (failure: TableFailure): MappedError;
  /** The backend's name in messages: `Clerk`. */
  readonly title: string;
}

/** The message: the backend's name, the row's or the default text, and what the backend said. */
function message(
  title: string,
  row: Exclude<ErrorRow, string>,
  facts: ErrorFacts,
  status: number | undefined,
) {
  const head =
    row.message !== undefined
      ? `${title}: ${row.message}`
      : row.code === 'provider_error' && status !== undefined
        ? `${title} answered with status ${status}.`
        : `${title}: ${DEFAULT_MESSAGES[row.code]}`;
  const said = [facts.providerCode, facts.reason ? `“${reasonText(facts.reason)}”` : undefined]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  return said ? `${head} (${said})` : head;
}

/**
 * Builds an adapter's error mapping from its table, the way every adapter maps errors: the
 * backend's own code first, then the adapter's rules, its statuses, and the core's defaults.
 * Retryability follows the core's one rule ({@link defaultRetryable}) on the backend's status class.
 */
/* @__NO_SIDE_EFFECTS__ */
export function errorTable(spec: ErrorTableSpec): ErrorTable {
  const map = (failure: TableFailure): MappedError => {
    let facts: ErrorFacts;
    try {
      facts = spec.read(failure);
    } catch {
      facts = {};
    }
    const status = facts.status ?? failure.status;
    const found =
      (facts.providerCode !== undefined ? spec.byCode?.[facts.providerCode] : undefined) ??
      spec.decide?.(facts, failure) ??
      (status !== undefined ? spec.byStatus?.[status] : undefined) ??
      statusCode(status);
    const row = typeof found === 'string' ? { code: found } : found;
    const wait =
      row.code !== 'rate_limited'
        ? undefined
        : typeof spec.rateLimitWaitMs === 'function'
          ? spec.rateLimitWaitMs(facts)
          : spec.rateLimitWaitMs;
    return {
      code: row.code,
      message: message(spec.title, row, facts, status),
      providerCode: facts.providerCode,
      requestId: facts.requestId,
      // The HTTP status decides retryability in the error itself; a status class of the
      // backend's own (inside a 200 body) decides it here, by the same rule.
      ...(facts.status !== undefined ? { retryable: defaultRetryable(row.code, facts.status) } : {}),
      // The HTTP client prefers a Retry-After header over this.
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    };
  };
  return Object.assign(map, { title: spec.title });
}

/** A string field of an object body, if there is one (error bodies are read, never trusted). */
export function field(body: unknown, ...path: string[]): string | undefined {
  let at: unknown = body;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' && at.length > 0 ? at.slice(0, 200) : undefined;
}
