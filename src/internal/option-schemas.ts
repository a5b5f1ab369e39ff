import * as z from 'zod/mini';
import { PhoneBindingError } from '../errors.js';
import { isPhoneMetadata, type PhoneMetadata } from '../phone-core.js';
import type { Credential, Hooks, Logger, LogLevel } from '../types.js';
import { checkId, HEADER_NAME, headerSafe, MAX_ID_LENGTH } from './input.js';
import { lazy } from './lazy.js';
import { LOG_LEVELS } from './log.js';

/**
 * The option schemas every adapter builds on, and the one way their problems are told. An
 * adapter factory and `createPhoneBinding` check options with these very schemas, so each option
 * has one rule and one message, and every problem of a config is reported at once. Each is built
 * on first use (./lazy.ts): an import builds none.
 */

/** Shortest `ticketSecret` accepted: 128 bits as hex or base64 are 22–32 characters. */
export const MIN_TICKET_SECRET_LENGTH = 16;

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** `true` for an absolute http(s) URL without query, fragment or credentials. */
function isApiRoot(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password
  );
}

/** The API root URL without trailing slashes (checked by {@link baseUrlSchema} first). */
export function apiRoot(value: string): string {
  return new URL(value).href.replace(/\/+$/, '');
}

const custom = (message: string) => ({ error: message });

/** A credential: a non-empty header-safe string, or a function returning one (asked per request). */
export const credentialSchema = lazy(
  () =>
    z.union([
      z
        .string()
        .check(
          z.minLength(1, custom('must not be empty')),
          z.refine(headerSafe, custom('holds control characters or characters a header cannot carry')),
        ),
      z.custom<() => string | Promise<string>>(isFunction),
    ]) as unknown as z.ZodMiniType<Credential>,
);

/** A function option. */
export function functionSchema<F>(): z.ZodMiniType<F> {
  return z.custom<F>(isFunction, custom('must be a function'));
}

/**
 * An id (an app id, a pool id, a backend's record id in a ticket): the rules of `checkId` —
 * non-empty, at most 256 characters, no control characters or lone surrogates, no surrounding
 * white space, never "." or ".." (they survive percent-encoding as path segments).
 */
export const idSchema = lazy(() =>
  z.string().check(
    z.refine(
      (value) => {
        try {
          checkId(value, 'id');
          return true;
        } catch {
          return false;
        }
      },
      custom(`must be a well-formed id (1–${MAX_ID_LENGTH} characters, one line, not "." or "..")`),
    ),
  ),
);

/** Milliseconds: a positive whole number that a timer can hold. */
export const millisecondsSchema = lazy(() =>
  z
    .number()
    .check(
      z.refine(
        (value) => Number.isInteger(value) && value > 0 && value <= 2_147_483_647,
        custom('must be a positive whole number of milliseconds'),
      ),
    ),
);

/** The API root, path included. */
export const baseUrlSchema = lazy(() =>
  z
    .string()
    .check(
      z.refine(
        isApiRoot,
        custom('must be an absolute http(s) URL without a query, a fragment or credentials'),
      ),
    ),
);

/** Extra headers: valid names, Latin-1 values without control characters (tabs allowed). */
export const headersSchema = lazy(() =>
  z.record(
    z.string().check(z.regex(HEADER_NAME, custom('is not a valid header name'))),
    z
      .string()
      .check(
        z.refine(
          (value) => headerSafe(value.replace(/\t/g, '')),
          custom('must be a string of Latin-1 characters without control characters'),
        ),
      ),
  ),
);

/** The options every adapter accepts (`baseUrl` is each adapter's own: some have a default). */
export const commonOptionsShape = lazy(() => ({
  fetch: z.optional(functionSchema<typeof fetch>()),
  timeout: z.optional(millisecondsSchema),
  retry: z.optional(
    z
      .number()
      .check(
        z.refine(
          (value) => Number.isInteger(value) && value >= 0 && value <= 10,
          custom('must be a whole number from 0 to 10'),
        ),
      ),
  ),
  maxRetryAfter: z.optional(millisecondsSchema),
  deadline: z.optional(millisecondsSchema),
  ticketSecret: z.optional(
    z
      .string()
      .check(
        z.minLength(
          MIN_TICKET_SECRET_LENGTH,
          custom(`must be at least ${MIN_TICKET_SECRET_LENGTH} characters`),
        ),
      ),
  ),
  headers: z.optional(headersSchema),
  hooks: z.optional(
    z.strictObject({
      request: z.optional(functionSchema<NonNullable<Hooks['request']>>()),
      response: z.optional(functionSchema<NonNullable<Hooks['response']>>()),
      error: z.optional(functionSchema<NonNullable<Hooks['error']>>()),
    }),
  ),
  logger: z.optional(
    z.custom<Logger>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        ['debug', 'info', 'warn', 'error'].every((level) =>
          isFunction((value as unknown as Record<string, unknown>)[level]),
        ),
      custom('must have debug, info, warn and error functions (console has them)'),
    ),
  ),
  logLevel: z.optional(z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]])),
  // The `/core` entries' factories require it; the default entries pass `min`.
  metadata: z.optional(
    z.custom<PhoneMetadata>(
      isPhoneMetadata,
      custom('must be libphonenumber-js metadata (e.g. libphonenumber-js/max/metadata)'),
    ),
  ),
}));

/** `dangerouslyAllowBrowser`, for adapters that hold a server secret. */
export const serverSecretShape = lazy(() => ({ dangerouslyAllowBrowser: z.optional(z.boolean()) }));

interface Issue {
  code: string;
  path: PropertyKey[];
  message?: string;
  keys?: string[];
  expected?: string;
  values?: unknown[];
}

/** Whether `value` holds anything at `path` (looked at, never shown). */
function present(value: unknown, path: readonly PropertyKey[]): boolean {
  let at: unknown = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return false;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at !== undefined;
}

/**
 * Tells one schema issue by field and rule only — never the value, which may be a secret. `root`
 * prefixes the field path (`config` → `config.secretKey`).
 */
export function describeIssue(issue: Issue, value: unknown, root: string | undefined): string {
  const path = issue.path.map(String).join('.');
  const field = root === undefined ? path || 'options' : path ? `${root}.${path}` : root;
  if (issue.path.length > 0 && !present(value, issue.path)) return `${field} is missing`;
  // Our own rules say "must …" (lower case); zod's defaults ("Too small: …") may echo values.
  if (issue.message && /^[a-z]/.test(issue.message)) return `${field} ${issue.message}`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${field} has unknown field(s): ${(issue.keys ?? []).map((key) => key.slice(0, 40)).join(', ')}`;
    case 'invalid_union':
      return `${field} has the wrong type (a non-empty string, or a function returning one)`;
    case 'invalid_value':
      return `${field} must be one of: ${(issue.values ?? []).map(String).join(', ')}`;
    case 'invalid_type':
      return issue.expected === undefined
        ? `${field} is invalid`
        : `${field} must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'too_small':
      return `${field} must not be empty`;
    default:
      return `${field} is invalid`;
  }
}

/** One `invalid_input` error telling every problem at once. */
export function optionsError(what: string, problems: readonly string[]): PhoneBindingError {
  return new PhoneBindingError({
    code: 'invalid_input',
    message: `${what}: ${problems.join('; ')}.`,
  });
}

/**
 * Parses `value` with `schema`, or throws one `invalid_input` naming every field in trouble.
 * Functions (credentials, hooks, fetch) are kept as given.
 */
export function parseWith<T>(schema: z.ZodMiniType<T>, value: unknown, what: string, root?: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionsError(what, [`${root ?? 'options'} must be an object`]);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = [
    ...new Set(parsed.error.issues.map((issue) => describeIssue(issue as unknown as Issue, value, root))),
  ];
  throw optionsError(what, problems);
}

/**
 * An adapter's options schema: `baseUrl`, the common options and the adapter's own (which may
 * replace `baseUrl`, e.g. with a default). Strict: a misspelt option is an error, not ignored.
 */
/* @__NO_SIDE_EFFECTS__ */
export function adapterOptions<T extends Record<string, z.ZodMiniType>>(own: T) {
  return z.strictObject({ baseUrl: baseUrlSchema, ...commonOptionsShape, ...own });
}
