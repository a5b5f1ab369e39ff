import { PhoneBindingError } from '../errors.js';
import type { CallOptions, Capabilities } from '../types.js';

/** Upper bound for ids and codes read from input: far above any real one, far below abuse. */
export const MAX_ID_LENGTH = 256;
// C0 controls and DEL: never part of an id, and CR/LF in a header would split it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;

// A lone UTF-16 surrogate cannot be percent-encoded or sent: refuse it as input, not later.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// HTTP header values are byte strings: fetch throws on anything above U+00FF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose.
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

/** An HTTP header name (an RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `true` for a string a header can carry: Latin-1, no control characters. */
export function headerSafe(value: string): boolean {
  return !CONTROL.test(value) && !NOT_LATIN1.test(value);
}

/** An `invalid_input` error; messages name the field, never its value. */
export function invalidInput(message: string): PhoneBindingError {
  return new PhoneBindingError({ code: 'invalid_input', message });
}

/** Checks that `value` is a plain object holding only `allowed` keys, so a typo is not silently ignored. */
export function checkObject(
  value: unknown,
  allowed: readonly string[],
  what: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidInput(`${what} must be an object.`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw invalidInput(
        `${what} has an unknown field "${key.slice(0, 40)}"; allowed: ${allowed.join(', ')}.`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** Checks an identifier that will become a URL path segment or a JSON value. */
export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw invalidInput(`${field} must be a non-empty string.`);
  if (value.length > MAX_ID_LENGTH)
    throw invalidInput(`${field} is longer than ${MAX_ID_LENGTH} characters.`);
  if (CONTROL.test(value)) throw invalidInput(`${field} holds control characters.`);
  if (LONE_SURROGATE.test(value)) throw invalidInput(`${field} is not well-formed Unicode.`);
  if (value.trim() !== value) throw invalidInput(`${field} has leading or trailing white space.`);
  // "." and ".." survive percent-encoding as path segments (URL parsers resolve %2E%2E too).
  if (value === '.' || value === '..') throw invalidInput(`${field} cannot be "." or "..".`);
  return value;
}

/** `userId` is required where the adapter acts as admin and refused where the token names the user. */
export function checkUserId(userId: unknown, scope: Capabilities['scope']): string | undefined {
  if (scope === 'user') {
    if (userId !== undefined) {
      throw invalidInput(
        'userId is not accepted here: this adapter acts on the user its token belongs to (scope "user").',
      );
    }
    return undefined;
  }
  if (userId === undefined)
    throw invalidInput('userId is required: this adapter acts as admin (scope "admin").');
  return checkId(userId, 'userId');
}

/** Trims a verification code and checks it is non-empty, single-line and not absurdly long. */
export function checkCode(code: unknown, maxLength: number): string {
  if (typeof code !== 'string') throw invalidInput('code must be a string.');
  const trimmed = code.trim();
  if (trimmed.length === 0) throw invalidInput('code is empty.');
  if (trimmed.length > maxLength) throw invalidInput(`code is longer than ${maxLength} characters.`);
  if (/\s/.test(trimmed) || CONTROL.test(trimmed))
    throw invalidInput('code holds white space or control characters.');
  if (LONE_SURROGATE.test(trimmed)) throw invalidInput('code is not well-formed Unicode.');
  return trimmed;
}

/** Checks header names and values; CR or LF in either would inject headers. */
export function checkHeaders(headers: unknown, what: string): Record<string, string> {
  if (headers === undefined) return {};
  const record = checkObject(headers, Object.keys(headers as object), what);
  for (const [name, value] of Object.entries(record)) {
    if (!HEADER_NAME.test(name)) throw invalidInput(`${what} has an invalid header name.`);
    if (typeof value !== 'string' || !headerSafe(value.replace(/\t/g, ''))) {
      throw invalidInput(
        `${what}["${name}"] must be a string of Latin-1 characters without control characters.`,
      );
    }
  }
  return record as Record<string, string>;
}

/** Checks a timeout in milliseconds. */
export function checkTimeout(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 2_147_483_647) {
    throw invalidInput(`${field} must be a positive whole number of milliseconds.`);
  }
  return value;
}

/** Checks per-call options. */
export function checkCallOptions(options: unknown): CallOptions {
  if (options === undefined) return {};
  const record = checkObject(options, ['signal', 'timeout', 'headers', 'retry'], 'options');
  const out: CallOptions = {};
  if (record.signal !== undefined) {
    // Duck-typed: a signal from another realm (an iframe, jsdom) fails `instanceof`.
    const signal = record.signal as Partial<AbortSignal> | null;
    if (
      typeof signal !== 'object' ||
      signal === null ||
      typeof signal.aborted !== 'boolean' ||
      typeof signal.addEventListener !== 'function'
    ) {
      throw invalidInput('options.signal must be an AbortSignal.');
    }
    out.signal = record.signal as AbortSignal;
  }
  const timeout = checkTimeout(record.timeout, 'options.timeout');
  if (timeout !== undefined) out.timeout = timeout;
  if (record.headers !== undefined) out.headers = checkHeaders(record.headers, 'options.headers');
  if (record.retry !== undefined) {
    const retry = record.retry;
    if (typeof retry !== 'number' || !Number.isInteger(retry) || retry < 0 || retry > 10) {
      throw invalidInput('options.retry must be a whole number from 0 to 10.');
    }
    out.retry = retry;
  }
  return out;
}
