/**
 * A backend from a config file: the object `createPhoneBinding` takes, its secrets filled in from
 * the environment by the `<PREFIX>_<OPTION>` scheme of `configFromEnv` (options the file sets win).
 */
import { readFileSync } from 'node:fs';
import { createPhoneBinding, envVariables, type PhoneBindingConfig } from '../../../adapters/all/index.js';
import { PROVIDER_IDS, type ProviderId } from '../../../adapters/registry.js';
import { isPhoneBindingError } from '../../errors.js';
import type { PhoneBinding } from '../../types.js';
import { RateLimit } from '../throttle.js';
import { UsageError } from './usage.js';

export interface LoadedBackend {
  binding: PhoneBinding;
  /** What the journal's first line names: the provider and where it is (no secret). */
  identity: string;
}

function textValue(text: string, kind: 'string' | 'number' | 'boolean'): unknown {
  if (kind === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (kind === 'boolean' && ['true', '1', 'false', '0'].includes(text))
    return text === 'true' || text === '1';
  return text;
}

function readJson(flag: string, path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new UsageError(`${flag} ${path}: cannot read the config file (${code})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${flag} ${path}: the config file is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${flag} ${path}: the config must be a JSON object { "provider": …, … }`);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads `path`, fills in secrets from `env`, and creates the adapter; any problem is a UsageError.
 * `maxRate` caps its HTTP requests a second (a `fetch` that waits its turn).
 */
export function loadBackend(
  flag: string,
  path: string,
  env: Record<string, string | undefined>,
  maxRate?: number,
): LoadedBackend {
  const { envPrefix: prefixOption, ...config } = readJson(flag, path);
  const provider = config.provider;
  const known = typeof provider === 'string' && (PROVIDER_IDS as readonly string[]).includes(provider);
  const variables = known ? envVariables(provider as ProviderId) : [];
  if (
    prefixOption !== undefined &&
    (typeof prefixOption !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(prefixOption))
  ) {
    throw new UsageError(
      `${flag} ${path}: envPrefix must be upper-case letters, digits and _ (e.g. "OLD_ZITADEL")`,
    );
  }
  const named = (variable: string) =>
    typeof prefixOption === 'string' ? variable.replace(/^[A-Z0-9]+(?=_)/, prefixOption) : variable;
  for (const { option, field, variable, kind } of variables) {
    const text = env[named(variable)];
    if (text === undefined || text === '') continue;
    if (field === undefined) {
      if (config[option] === undefined) config[option] = textValue(text, kind);
      continue;
    }
    const holder = (config[option] ?? {}) as Record<string, unknown>;
    if (typeof holder === 'object' && holder[field] === undefined)
      config[option] = { ...holder, [field]: text };
  }
  if (maxRate !== undefined) {
    const limit = new RateLimit(maxRate);
    config.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      await limit.take();
      return fetch(input, init);
    };
  }
  try {
    const binding = createPhoneBinding(config as unknown as PhoneBindingConfig);
    const where = ['baseUrl', 'region', 'userPoolId']
      .map((option) => config[option])
      .filter((value): value is string => typeof value === 'string');
    return { binding, identity: [binding.provider, ...where].join(' ') };
  } catch (error) {
    if (!isPhoneBindingError(error)) throw error;
    const required = variables.filter((v) => v.required).map((v) => named(v.variable));
    const hint =
      required.length > 0 ? ` (secrets may come from the environment: ${required.join(', ')})` : '';
    throw new UsageError(`${flag} ${path}: ${error.message}${hint}`);
  }
}
