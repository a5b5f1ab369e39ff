/**
 * The one registry of backends. Adding one is its folder under `adapters/<name>/` (factory,
 * wire schemas, error table, fake), a row in each table below and in `FAKES` (./fakes.ts), and
 * its entry in package.json. Everything else reads these tables: `createPhoneBinding`, the test
 * kit's fakes, the build (tsup.config.ts), the size budgets, and the API-surface, README and
 * bundle-isolation tests.
 *
 * The fakes are listed in ./fakes.ts, not here: with code splitting, every module this one imports
 * is loaded in Node by each entry that reads the registry (`phone-binding/all` and its `/core`
 * twin). A bundler drops the unused fakes; Node would evaluate them and, through them, `min`.
 */
import type { Adapter } from '../src/kit/index.js';
import { authingAdapter } from './authing/adapter.js';
import type { AuthingOptions } from './authing/index.js';
import { clerkAdapter } from './clerk/adapter.js';
import type { ClerkOptions } from './clerk/index.js';
import { cognitoAdminAdapter } from './cognito/admin.js';
import type { CognitoAdminOptions, CognitoOptions } from './cognito/index.js';
import { cognitoAdapter } from './cognito/user.js';
import { etnaAdapter } from './etna/adapter.js';
import type { EtnaOptions } from './etna/index.js';
import { supabaseAdminAdapter } from './supabase/admin.js';
import type { SupabaseAdminOptions, SupabaseOptions } from './supabase/index.js';
import { supabaseAdapter } from './supabase/user.js';
import { zitadelSelfAdapter } from './zitadel/auth-self.js';
import type { ZitadelOptions, ZitadelSelfOptions } from './zitadel/index.js';
import { zitadelAdapter } from './zitadel/user-service.js';

/**
 * Every adapter entry of the package: its subpath (`phone-binding/<subpath>`), its source, the
 * providers it exports (each factory is named after its provider id in camelCase:
 * `zitadel-self` → `zitadelSelf`) and the fake backend that serves them. An entry with several
 * factories names the module that defines each (`modules`): the build gives each its own chunk,
 * so an app that imports one factory bundles none of the other's code (bundlers drop a whole
 * unused module of a side-effect-free package, but not the unused half of one).
 */
export const ENTRIES = [
  { subpath: 'etna', source: 'adapters/etna/index.ts', providers: ['etna'], fake: 'etna' },
  {
    subpath: 'authing',
    source: 'adapters/authing/index.ts',
    providers: ['authing'],
    fake: 'authing',
  },
  {
    subpath: 'zitadel',
    source: 'adapters/zitadel/index.ts',
    providers: ['zitadel', 'zitadel-self'],
    fake: 'zitadel',
    modules: { zitadel: 'adapters/zitadel/user-service.ts', 'zitadel-self': 'adapters/zitadel/auth-self.ts' },
  },
  { subpath: 'clerk', source: 'adapters/clerk/index.ts', providers: ['clerk'], fake: 'clerk' },
  {
    subpath: 'supabase',
    source: 'adapters/supabase/index.ts',
    providers: ['supabase', 'supabase-admin'],
    fake: 'supabase',
    modules: { supabase: 'adapters/supabase/user.ts', 'supabase-admin': 'adapters/supabase/admin.ts' },
  },
  {
    subpath: 'cognito',
    source: 'adapters/cognito/index.ts',
    providers: ['cognito', 'cognito-admin'],
    fake: 'cognito',
    modules: { cognito: 'adapters/cognito/user.ts', 'cognito-admin': 'adapters/cognito/admin.ts' },
  },
] as const;

type Entry = (typeof ENTRIES)[number];

/**
 * Every entry of the package (package.json `exports`), with its source and its build name:
 * the root, each adapter entry of {@link ENTRIES}, `all`, each with its `/core` twin (the same
 * exports on the phone metadata the app brings), and the test kit. `browser` marks the
 * entries apps bundle for browsers (measured against size budgets).
 */
export const PACKAGE_ENTRIES: ReadonlyArray<{
  subpath: string;
  source: string;
  name: string;
  browser: boolean;
}> = [
  { subpath: '.', source: 'src/index.ts', name: 'index', browser: true },
  { subpath: './core', source: 'src/core.ts', name: 'core', browser: true },
  ...ENTRIES.flatMap((entry) => [
    { subpath: `./${entry.subpath}`, source: entry.source, name: entry.subpath, browser: true },
    // Its twin on the metadata the app brings: `core.ts` beside the entry's `index.ts`.
    {
      subpath: `./${entry.subpath}/core`,
      source: entry.source.replace(/index\.ts$/, 'core.ts'),
      name: `${entry.subpath}/core`,
      browser: true,
    },
  ]),
  { subpath: './all', source: 'adapters/all/index.ts', name: 'all', browser: true },
  { subpath: './all/core', source: 'adapters/all/core.ts', name: 'all/core', browser: true },
  { subpath: './migrate', source: 'src/migrate/index.ts', name: 'migrate', browser: false },
  { subpath: './testing', source: 'src/testing/index.ts', name: 'testing', browser: false },
  { subpath: './testing/msw', source: 'src/testing/msw.ts', name: 'testing/msw', browser: false },
];

/**
 * Ids of the backends an adapter can talk to (`PhoneBinding.provider`).
 *
 * @example
 * ```ts
 * import type { ProviderId } from 'phone-binding';
 *
 * const backendName: Record<ProviderId, string> = {
 *   etna: 'ETNA Trader',
 *   authing: 'Authing',
 *   zitadel: 'Zitadel',
 *   'zitadel-self': 'Zitadel (self-service)',
 *   clerk: 'Clerk',
 * };
 * ```
 */
export type ProviderId = ProvidersOf<Entry>;
type ProvidersOf<E> = E extends Entry ? E['providers'][number] : never;

/** Every provider id, in the registry's order. */
export const PROVIDER_IDS: readonly ProviderId[] = ENTRIES.flatMap((entry) => entry.providers);

/** The declared adapter of each provider. */
export const ADAPTERS: { readonly [P in ProviderId]: Adapter<P> } = {
  etna: etnaAdapter,
  authing: authingAdapter,
  zitadel: zitadelAdapter,
  'zitadel-self': zitadelSelfAdapter,
  clerk: clerkAdapter,
  supabase: supabaseAdapter,
  'supabase-admin': supabaseAdminAdapter,
  cognito: cognitoAdapter,
  'cognito-admin': cognitoAdminAdapter,
};

/**
 * Each provider's options, as its factory documents them (`createPhoneBinding` takes them with
 * `provider`).
 *
 * @example
 * ```ts
 * import type { ProviderOptions } from 'phone-binding/all';
 *
 * const clerkOptions: ProviderOptions['clerk'] = { secretKey: process.env.CLERK_SECRET_KEY ?? '' };
 * ```
 */
export interface ProviderOptions {
  /** `etna(options)`. */
  etna: EtnaOptions;
  /** `authing(options)`. */
  authing: AuthingOptions;
  /** `zitadel(options)`. */
  zitadel: ZitadelOptions;
  /** `zitadelSelf(options)`. */
  'zitadel-self': ZitadelSelfOptions;
  /** `clerk(options)`. */
  clerk: ClerkOptions;
  /** `supabase(options)`. */
  supabase: SupabaseOptions;
  /** `supabaseAdmin(options)`. */
  'supabase-admin': SupabaseAdminOptions;
  /** `cognito(options)`. */
  cognito: CognitoOptions;
  /** `cognitoAdmin(options)`. */
  'cognito-admin': CognitoAdminOptions;
}
