/** What both `createPhoneBinding`s (`phone-binding/all` and `phone-binding/all/core`) share. */
import * as z from 'zod/mini';
import { optionsError, parseWith } from '../../src/internal/option-schemas.js';
import type { PhoneBinding } from '../../src/types.js';
import { ADAPTERS, PROVIDER_IDS, type ProviderId } from '../registry.js';

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

/** The schema of a config naming `provider`: its adapter's own options plus `provider`. */
export function configSchema(provider: ProviderId): z.ZodMiniType {
  return z.extend(ADAPTERS[provider].spec.options as unknown as z.ZodMiniObject, {
    provider: z.literal(provider),
  });
}

/**
 * `createPhoneBinding`, the one implementation of both entries: checks the config with the
 * adapter's own schema plus `provider`, then creates the adapter with `defaults` under the
 * config (the default entry passes the `min` metadata there).
 */
export function createFromConfig(config: unknown, defaults: Record<string, unknown> = {}): PhoneBinding {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw optionsError('Invalid config', ['config must be an object']);
  }
  const { provider, ...options } = config as { provider?: unknown };
  if (!isProvider(provider)) throw optionsError('Invalid config', [unknownProvider(provider)]);
  const adapter = ADAPTERS[provider];
  parseWith(configSchema(provider), config, 'Invalid config', 'config');
  // The caller's object (not zod's copy) goes on: the factory parses it again with its own
  // schema, keeping functions and hooks as given.
  return adapter.create({ ...defaults, ...options });
}
