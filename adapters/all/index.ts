/**
 * One entry for every backend: {@link createPhoneBinding} picks the adapter from a config object,
 * so an app can swap backends by configuration alone.
 * @packageDocumentation
 * @module phone-binding/all
 */
import * as z from 'zod/mini';
import { PhoneBindingError } from '../../src/errors.js';
import type { PhoneBinding } from '../../src/types.js';
import { type AuthingOptions, authing } from '../authing/index.js';
import { type ClerkOptions, clerk } from '../clerk/index.js';
import { type EtnaOptions, etna } from '../etna/index.js';
import { type ZitadelOptions, type ZitadelSelfOptions, zitadel, zitadelSelf } from '../zitadel/index.js';

/**
 * A backend and its adapter's options in one object.
 *
 * @example
 * ```ts
 * const config: PhoneBindingConfig = { provider: 'zitadel-self', baseUrl: 'https://my.zitadel.cloud', token };
 * ```
 */
export type PhoneBindingConfig =
  | ({ provider: 'etna' } & EtnaOptions)
  | ({ provider: 'authing' } & AuthingOptions)
  | ({ provider: 'zitadel' } & ZitadelOptions)
  | ({ provider: 'zitadel-self' } & ZitadelSelfOptions)
  | ({ provider: 'clerk' } & ClerkOptions);

const isFunction = (value: unknown) => typeof value === 'function';
const credential = z.union([z.string().check(z.minLength(1)), z.custom<() => string>(isFunction)]);
const common = {
  baseUrl: z.string().check(z.minLength(1)),
  fetch: z.optional(z.custom<typeof fetch>(isFunction)),
  timeout: z.optional(z.number()),
  retry: z.optional(z.number()),
  maxRetryAfter: z.optional(z.number()),
  deadline: z.optional(z.number()),
  ticketSecret: z.optional(z.string()),
  headers: z.optional(z.record(z.string(), z.string())),
  hooks: z.optional(z.custom<object>((value) => typeof value === 'object' && value !== null)),
};
const allowBrowser = { dangerouslyAllowBrowser: z.optional(z.boolean()) };

// Strict objects: a misspelt option is an error, not silently dropped.
const configSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('etna'),
    ...common,
    token: credential,
    appKey: credential,
    apiVersion: z.optional(z.string()),
  }),
  z.strictObject({
    provider: z.literal('authing'),
    ...common,
    accessToken: credential,
    appId: z.string().check(z.minLength(1)),
    userPoolId: z.optional(z.string()),
    authorization: z.optional(z.enum(['raw', 'bearer'])),
    brand: z.optional(z.enum(['authing', 'genauth'])),
    lang: z.optional(z.enum(['zh-CN', 'en-US'])),
  }),
  z.strictObject({
    provider: z.literal('zitadel'),
    ...common,
    ...allowBrowser,
    token: credential,
    delivery: z.optional(z.enum(['sms', 'return-code'])),
  }),
  z.strictObject({ provider: z.literal('zitadel-self'), ...common, token: credential }),
  z.strictObject({
    provider: z.literal('clerk'),
    ...common,
    ...allowBrowser,
    baseUrl: z.optional(z.string().check(z.minLength(1))),
    secretKey: credential,
  }),
]);

const PROVIDERS = ['etna', 'authing', 'zitadel', 'zitadel-self', 'clerk'];

type Issue = { code: string; path: PropertyKey[]; keys?: string[]; expected?: string; values?: unknown[] };

/** Whether the config holds anything at `path` (looked at, never shown). */
function present(config: unknown, path: PropertyKey[]): boolean {
  let value: unknown = config;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return false;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value !== undefined;
}

/** Describes a schema issue by field and rule only: never the value, which may be a secret. */
function describeIssue(issue: Issue, config: unknown): string {
  const field = issue.path.length > 0 ? `config.${issue.path.map(String).join('.')}` : 'config';
  if (issue.path.length > 0 && issue.path[0] !== 'provider' && !present(config, issue.path))
    return `${field} is missing.`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${field} has unknown field(s): ${(issue.keys ?? []).map((key) => key.slice(0, 40)).join(', ')}.`;
    case 'invalid_union':
      return issue.path.length === 0 || issue.path[0] === 'provider'
        ? `config.provider must be one of: ${PROVIDERS.join(', ')}.`
        : `${field} has the wrong type (a non-empty string, or a function returning one).`;
    case 'invalid_value':
      return `${field} must be one of: ${(issue.values ?? []).map(String).join(', ')}.`;
    case 'invalid_type':
      return issue.expected === undefined
        ? `${field} is invalid.`
        : `${field} must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}.`;
    case 'too_small':
      return `${field} must not be empty.`;
    default:
      return `${field} is invalid.`;
  }
}

/**
 * Creates the adapter a config object names. The config is checked first (a zod/mini
 * discriminated union on `provider`): a missing, misspelt or mistyped field is `invalid_input`
 * naming the field, never its value. Then the adapter checks its options as it always does.
 *
 * @example
 * ```ts
 * import { createPhoneBinding } from 'phone-binding/all';
 * const phones = createPhoneBinding({ provider: 'clerk', secretKey: process.env.CLERK_SECRET_KEY! });
 * ```
 */
export function createPhoneBinding(config: PhoneBindingConfig): PhoneBinding {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as unknown as Issue;
    throw new PhoneBindingError({ code: 'invalid_input', message: describeIssue(issue, config) });
  }
  // The original object is passed on (zod's copy drops nothing here, being strict, but keeps
  // functions and hooks as the caller gave them either way).
  const { provider, ...options } = config;
  switch (provider) {
    case 'etna':
      return etna(options as EtnaOptions);
    case 'authing':
      return authing(options as AuthingOptions);
    case 'zitadel':
      return zitadel(options as ZitadelOptions);
    case 'zitadel-self':
      return zitadelSelf(options as ZitadelSelfOptions);
    case 'clerk':
      return clerk(options as ClerkOptions);
  }
}
