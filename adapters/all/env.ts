import { describeIssue, optionsError } from '../../src/internal/option-schemas.js';
import { ADAPTERS, ENTRIES, PROVIDER_IDS, type ProviderId } from '../registry.js';
import { configSchema } from './create.js';
import type { PhoneBindingConfig } from './index.js';

/**
 * The variable that names the provider.
 *
 * @example
 * ```ts
 * import { PROVIDER_VARIABLE } from 'phone-binding/all';
 *
 * process.env[PROVIDER_VARIABLE]; // e.g. 'zitadel-self'
 * ```
 */
export const PROVIDER_VARIABLE = 'PHONE_BINDING_PROVIDER';

/**
 * One environment variable an adapter's options are read from.
 *
 * @example
 * ```ts
 * import { envVariables, type EnvVariable } from 'phone-binding/all';
 *
 * const clerk: EnvVariable[] = envVariables('clerk');
 * clerk.find((v) => v.option === 'secretKey'); // { variable: 'CLERK_SECRET_KEY', required: true, … }
 * ```
 */
export interface EnvVariable {
  /** The option it fills (`secretKey`). */
  option: string;
  /** The field of an object option it fills (`accessKeyId` of `credentials`), if any. */
  field?: string;
  /** The variable's name (`CLERK_SECRET_KEY`). */
  variable: string;
  /** Whether the adapter needs it. */
  required: boolean;
  /** How its text is read. */
  kind: 'string' | 'number' | 'boolean';
}

/** What the reader needs of a zod schema: its kind, what it wraps, whether it may be left out. */
interface SchemaNode {
  _zod: {
    optin?: string;
    def: {
      type: string;
      innerType?: SchemaNode;
      options?: SchemaNode[];
      values?: unknown[];
      shape?: Record<string, SchemaNode>;
    };
  };
}

type Kind = EnvVariable['kind'] | { fields: Array<{ field: string; required: boolean }> } | undefined;

/** What a variable can hold for an option: text, a number, a flag, an object of texts, or nothing. */
function kindOf(schema: SchemaNode): Kind {
  const { def } = schema._zod;
  switch (def.type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'literal':
      return (def.values ?? []).some((value) => typeof value === 'string') ? 'string' : undefined;
    case 'union': {
      const kinds = (def.options ?? []).map(kindOf);
      return kinds.find((kind) => kind === 'string') ?? kinds.find((kind) => typeof kind === 'object');
    }
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).map(([field, node]) => ({
        field,
        kind: kindOf(node),
        required: node._zod.optin === undefined,
      }));
      if (fields.length === 0 || fields.some((f) => f.kind !== 'string')) return undefined;
      return { fields: fields.map(({ field, required }) => ({ field, required })) };
    }
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return def.innerType === undefined ? undefined : kindOf(def.innerType);
    default:
      return undefined;
  }
}

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/**
 * The prefix of a provider's variables: its entry's subpath, upper-cased.
 *
 * @example
 * ```ts
 * import { envPrefix } from 'phone-binding/all';
 *
 * envPrefix('zitadel-self'); // 'ZITADEL'
 * ```
 */
export function envPrefix(provider: ProviderId): string {
  const entry = ENTRIES.find((candidate) => (candidate.providers as readonly string[]).includes(provider));
  return (entry?.subpath ?? provider).toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * The variables `provider`'s options are read from, in its schema's order.
 *
 * @example
 * ```ts
 * import { envVariables } from 'phone-binding/all';
 *
 * envVariables('zitadel-self').map((v) => v.variable); // ['ZITADEL_BASE_URL', 'ZITADEL_TOKEN', 'ZITADEL_TIMEOUT', …]
 * ```
 */
export function envVariables(provider: ProviderId): EnvVariable[] {
  const prefix = envPrefix(provider);
  const { shape } = ADAPTERS[provider].spec.options as unknown as { shape: Record<string, SchemaNode> };
  return Object.entries(shape).flatMap(([option, schema]): EnvVariable[] => {
    const kind = kindOf(schema);
    const required = schema._zod.optin === undefined;
    if (kind === undefined) return [];
    if (typeof kind === 'object') {
      return kind.fields.map(({ field, required: needed }) => ({
        option,
        field,
        variable: `${prefix}_${snake(field)}`,
        required: required && needed,
        kind: 'string',
      }));
    }
    return [{ option, variable: `${prefix}_${snake(option)}`, required, kind }];
  });
}

/** The text of a variable as its option takes it (a number or flag it cannot be is left as text). */
function read(text: string, kind: EnvVariable['kind']): unknown {
  if (kind === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (kind === 'boolean')
    return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : text;
  return text;
}

/** The environment of this process, where there is one (browsers have none). */
function processEnv(): Record<string, string | undefined> {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env ?? {};
}

/**
 * Reads `PHONE_BINDING_PROVIDER` and that provider's variables into a `createPhoneBinding`
 * config, and checks it with the adapter's own schema: every missing or malformed variable is
 * reported at once as one `invalid_input`, naming the variables and never their values.
 *
 * @example
 * ```ts
 * import { configFromEnv, createPhoneBinding } from 'phone-binding/all';
 *
 * // PHONE_BINDING_PROVIDER=clerk CLERK_SECRET_KEY=sk_live_…
 * const phones = createPhoneBinding(configFromEnv());
 * ```
 */
export function configFromEnv(env: Record<string, string | undefined> = processEnv()): PhoneBindingConfig {
  const what = 'Invalid environment';
  const provider = env[PROVIDER_VARIABLE];
  if (provider === undefined || provider === '') {
    throw optionsError(what, [`${PROVIDER_VARIABLE} is missing (one of: ${PROVIDER_IDS.join(', ')})`]);
  }
  if (!(PROVIDER_IDS as readonly string[]).includes(provider)) {
    throw optionsError(what, [`${PROVIDER_VARIABLE} must be one of: ${PROVIDER_IDS.join(', ')}`]);
  }
  const id = provider as ProviderId;
  const variables = envVariables(id);
  const config: Record<string, unknown> = { provider: id };
  const problems: string[] = [];
  for (const { option, field, variable, required, kind } of variables) {
    const text = env[variable];
    if (text === undefined || text === '') {
      if (required) problems.push(`${variable} is missing`);
      continue;
    }
    const value = read(text, kind);
    if (field === undefined) config[option] = value;
    else config[option] = { ...(config[option] as Record<string, unknown> | undefined), [field]: value };
  }
  const parsed = configSchema(id).safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [option, field] = issue.path.map(String);
      const named = variables.find(
        (v) => v.option === option && (v.field === undefined || v.field === field),
      );
      // Missing variables are reported above, by name (also those of an object option).
      const missing = (v: EnvVariable) => v.option === option && v.required && (env[v.variable] ?? '') === '';
      if ((named && (env[named.variable] ?? '') === '') || variables.some(missing)) continue;
      const prefix = `the ${envPrefix(id)}_* variables`;
      const root = named?.variable ?? (option === undefined ? prefix : `${prefix} of ${option}`);
      const problem = describeIssue(
        { ...issue, path: [] } as Parameters<typeof describeIssue>[0],
        config,
        root,
      );
      if (!problems.includes(problem)) problems.push(problem);
    }
  }
  if (problems.length > 0) throw optionsError(what, problems);
  return config as unknown as PhoneBindingConfig;
}
