/**
 * One entry for every backend: {@link createPhoneBinding} picks the adapter from a config object,
 * so an app can swap backends by configuration alone.
 * @packageDocumentation
 * @module phone-binding/all
 */
import * as z from 'zod/mini';
import { optionsError, parseWith } from '../../src/internal/option-schemas.js';
import type { PhoneBinding } from '../../src/types.js';
import { ADAPTERS, PROVIDER_IDS, type ProviderId, type ProviderOptions } from '../registry.js';

export type { ProviderOptions } from '../registry.js';
export { configFromEnv, type EnvVariable, envPrefix, envVariables, PROVIDER_VARIABLE } from './env.js';

/**
 * A backend and its adapter's options in one object.
 *
 * @example
 * ```ts
 * const config: PhoneBindingConfig = { provider: 'zitadel-self', baseUrl: 'https://my.zitadel.cloud', token };
 * ```
 */
export type PhoneBindingConfig = { [P in ProviderId]: { provider: P } & ProviderOptions[P] }[ProviderId];

/** Edit distance, for "did you mean" (provider ids are short). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `config.provider must be one of: …`, echoing a mistyped name (it is no secret) with the nearest id. */
function unknownProvider(provider: unknown): string {
  const known = `config.provider must be one of: ${PROVIDER_IDS.join(', ')}`;
  if (provider === undefined) return `${known} (it is missing)`;
  if (typeof provider !== 'string' || !/^[\w.-]{1,40}$/.test(provider)) return known;
  const nearest = PROVIDER_IDS.map((id) => ({ id, d: distance(provider.toLowerCase(), id) })).sort(
    (x, y) => x.d - y.d,
  )[0];
  const hint = nearest && nearest.d <= 3 ? `; did you mean "${nearest.id}"?` : '';
  return `${known} (got "${provider}"${hint})`;
}

function isProvider(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);
}

/**
 * Creates the adapter a config object names. The config is checked with the very schema the
 * adapter's factory uses, plus `provider`: every missing, misspelt or mistyped field is reported
 * at once as `invalid_input`, naming the field and never its value.
 *
 * @example
 * ```ts
 * import { createPhoneBinding } from 'phone-binding/all';
 * const phones = createPhoneBinding({ provider: 'clerk', secretKey: process.env.CLERK_SECRET_KEY! });
 * ```
 */
export function createPhoneBinding(config: PhoneBindingConfig): PhoneBinding {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw optionsError('Invalid config', ['config must be an object']);
  }
  const { provider, ...options } = config as { provider?: unknown };
  if (!isProvider(provider)) throw optionsError('Invalid config', [unknownProvider(provider)]);
  const adapter = ADAPTERS[provider];
  const schema = z.extend(adapter.spec.options as unknown as z.ZodMiniObject, {
    provider: z.literal(provider),
  });
  parseWith(schema, config, 'Invalid config', 'config');
  // The caller's object (not zod's copy) goes on: the factory parses it again with its own
  // schema, keeping functions and hooks as given.
  return adapter.create(options);
}
