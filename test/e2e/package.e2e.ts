/**
 * The package as a consumer gets it: `npm pack`, installed into a throwaway project under the
 * OS temp dir, every entry loaded with `import` and with `require` in plain Node, and consumer
 * files type-checked (zero errors) under `moduleResolution: bundler`, `node16` (ESM and CommonJS),
 * `nodenext` (CommonJS) and `node16` without the DOM lib (see TSCONFIGS). The test kit's msw
 * handlers (`phone-binding/testing/msw`) serve a bind → verify through `msw/node`.
 *
 * A second consumer has no msw (npm leaves out the optional peer): there `phone-binding/testing`
 * (fakes, `fakes.fetch`, `listen()`) works in ESM and CommonJS, `phone-binding/testing/msw` fails
 * naming msw, and a fetch-only consumer type-checks under `nodenext` without the DOM lib.
 * `npm run test:e2e`; it runs `npm run build` first when `dist/` is missing or older than the sources.
 *
 * Dependencies: `npm install <tarball> [msw] @types/node --offline` resolves ky, zod,
 * libphonenumber-js, msw and their dependencies from npm's cache (filled by the repo's own
 * `npm install`/`npm ci`), so no network and a few seconds. When the cache lacks something
 * (ENOTCACHED) the same install runs against the registry (`PHONE_BINDING_PACKAGE_INSTALL=offline`
 * skips that). When the registry is unreachable too, or with `PHONE_BINDING_PACKAGE_INSTALL=link`,
 * the tarball is unpacked into the consumer's node_modules and only the dependencies it declares
 * (plus msw, where wanted, and @types/node) are symlinked from this repo's node_modules, so an
 * undeclared dependency still fails.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every subpath export: its build file name in dist/ and the runtime exports it must have. */
const ENTRIES = {
  'phone-binding': {
    file: 'index',
    exports: [
      'ERROR_CODES',
      'MAX_PHONE_INPUT_LENGTH',
      'PhoneBindingError',
      'isPhoneBindingError',
      'maskPhoneNumber',
      'normalizePhoneNumber',
    ],
  },
  'phone-binding/etna': { file: 'etna', exports: ['ETNA_CAPABILITIES', 'etna'] },
  'phone-binding/authing': { file: 'authing', exports: ['AUTHING_CAPABILITIES', 'authing'] },
  'phone-binding/zitadel': {
    file: 'zitadel',
    exports: ['ZITADEL_CAPABILITIES', 'ZITADEL_SELF_CAPABILITIES', 'zitadel', 'zitadelSelf'],
  },
  'phone-binding/clerk': { file: 'clerk', exports: ['CLERK_API_VERSION', 'CLERK_CAPABILITIES', 'clerk'] },
  'phone-binding/supabase': {
    file: 'supabase',
    exports: ['SUPABASE_ADMIN_CAPABILITIES', 'SUPABASE_CAPABILITIES', 'supabase', 'supabaseAdmin'],
  },
  'phone-binding/cognito': {
    file: 'cognito',
    exports: [
      'COGNITO_ADMIN_CAPABILITIES',
      'COGNITO_CAPABILITIES',
      'COGNITO_KEEP_ORIGINAL_CAPABILITIES',
      'cognito',
      'cognitoAdmin',
    ],
  },
  'phone-binding/all': {
    file: 'all',
    exports: ['PROVIDER_VARIABLE', 'configFromEnv', 'createPhoneBinding', 'envPrefix', 'envVariables'],
  },
  'phone-binding/testing': { file: 'testing', exports: ['createFakeBackends'] },
  'phone-binding/testing/msw': { file: 'testing/msw', exports: ['createFakeBackends', 'fakeHandlers'] },
} as const;
type Specifier = keyof typeof ENTRIES;
const SPECIFIERS = Object.keys(ENTRIES) as Specifier[];
const BUILD_FILES = SPECIFIERS.flatMap((specifier) =>
  ['.js', '.cjs', '.d.ts', '.d.cts'].map((ext) => `dist/${ENTRIES[specifier].file}${ext}`),
);
const FUNCTIONS = new Set([
  'PhoneBindingError',
  'isPhoneBindingError',
  'maskPhoneNumber',
  'normalizePhoneNumber',
  'etna',
  'authing',
  'zitadel',
  'zitadelSelf',
  'clerk',
  'supabase',
  'supabaseAdmin',
  'cognito',
  'cognitoAdmin',
  'configFromEnv',
  'envPrefix',
  'envVariables',
  'createPhoneBinding',
  'createFakeBackends',
  'fakeHandlers',
]);

interface PackageJson {
  version: string;
  main: string;
  module: string;
  types: string;
  dependencies: Record<string, string>;
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
}

/** What the check scripts print for each entry. */
interface EntryReport {
  resolved: string;
  exports: Record<string, string>;
}
interface LoadReport {
  entries: Record<Specifier, EntryReport>;
  packageVersion: string;
  flow: { bound: string; got: string | null; provider: string };
}

const CHILD_TIMEOUT = 90_000;
const childEnv = { ...process.env, NODE_OPTIONS: '' };

/** Runs a command; rejects with its output when it fails. */
function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      { cwd, env: childEnv, timeout: CHILD_TIMEOUT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `${[command, ...args].join(' ')} failed in ${cwd}: ${error.message}\n${stdout}\n${stderr}`,
            ),
          );
        } else {
          resolvePromise({ stdout, stderr, ms: Date.now() - started });
        }
      },
    );
  });
}

/** Runs a command; resolves with its exit code and output, also when it fails. */
function tryRun(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolvePromise) => {
    execFile(
      command,
      args,
      { cwd, env: childEnv, timeout: CHILD_TIMEOUT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout: `${stdout}${stderr}` });
      },
    );
  });
}

const npm = (args: string[], cwd: string) => run('npm', args, cwd);
const node = (args: string[], cwd: string) => run(process.execPath, args, cwd);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function mtime(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** `npm run build` unless every entry's build is there and newer than every source. */
async function ensureBuilt(): Promise<string> {
  const sources = [
    ...(await filesUnder(join(ROOT, 'src'))),
    ...(await filesUnder(join(ROOT, 'adapters'))),
    ...['package.json', 'tsconfig.json', 'tsup.config.ts'].map((file) => join(ROOT, file)),
  ];
  const newestSource = Math.max(
    ...(await Promise.all(sources.map(async (file) => (await mtime(file)) ?? 0))),
  );
  const built = await Promise.all(BUILD_FILES.map((file) => mtime(join(ROOT, file))));
  const missing = built.some((time) => time === undefined);
  if (!missing && Math.min(...(built as number[])) >= newestSource) return 'dist/ is up to date';
  const { ms } = await npm(['run', 'build'], ROOT);
  return `ran npm run build (${missing ? 'dist/ incomplete' : 'dist/ older than the sources'}, ${ms} ms)`;
}

/** Files in a .tgz, without tar's `package/` prefix. */
async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball], dirname(tarball));
  return stdout
    .split('\n')
    .filter((line) => line.length > 0 && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort();
}

/** Every file path named in an `exports` map. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(exportTargets);
  return [];
}

const versionIn = async (name: string) =>
  (JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as PackageJson)
    .version;

/** What npm prints when it cannot reach the registry (as opposed to a real install failure). */
const UNREACHABLE =
  /\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|E50[234])\b/;

/**
 * Installs the tarball into `consumer`, with msw (the optional peer dependency of
 * `phone-binding/testing/msw`) or without it; returns how. Without msw nothing is passed to npm to
 * leave it out: npm (7+) installs a package's peer dependencies except the optional ones, which is
 * what a consumer's plain `npm install phone-binding` gets.
 */
async function install(
  consumer: string,
  tarball: string,
  pkg: PackageJson,
  { msw, jest = false }: { msw: boolean; jest?: boolean },
): Promise<string> {
  // @types/node: what a Node consumer has. msw, jest and @types/node at the repo's versions, so
  // the cache holds them (and their deps) already.
  const extras = [
    ...(msw ? [`msw@${await versionIn('msw')}`] : []),
    ...(jest ? [`jest@${await versionIn('jest')}`] : []),
    `@types/node@${await versionIn('@types/node')}`,
  ];
  const args = [
    'install',
    tarball,
    ...extras,
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    '--no-package-lock',
  ];
  const mode = process.env.PHONE_BINDING_PACKAGE_INSTALL;
  if (mode !== 'link') {
    try {
      const { ms } = await npm([...args, '--offline'], consumer);
      return `npm install --offline from the npm cache (${ms} ms)`;
    } catch (error) {
      if (!/ENOTCACHED/.test(String(error))) throw error;
      await rm(join(consumer, 'node_modules'), { recursive: true, force: true });
    }
    if (mode !== 'offline') {
      try {
        const { ms } = await npm(
          [...args, '--prefer-offline', '--fetch-timeout=30000', '--fetch-retries=1'],
          consumer,
        );
        return `npm install from the registry, the cache lacking something (${ms} ms)`;
      } catch (error) {
        if (!UNREACHABLE.test(String(error))) throw error;
        await rm(join(consumer, 'node_modules'), { recursive: true, force: true });
      }
    }
  }
  const started = Date.now();
  const modules = join(consumer, 'node_modules');
  const target = join(modules, 'phone-binding');
  await mkdir(target, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], consumer);
  for (const name of [
    ...Object.keys(pkg.dependencies),
    ...(msw ? ['msw'] : []),
    ...(jest ? ['jest'] : []),
    '@types/node',
  ]) {
    await mkdir(dirname(join(modules, name)), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
  return `unpacked the tarball, symlinked its dependencies from the repo's node_modules (${Date.now() - started} ms)`;
}

// ---------------------------------------------------------------------------------------------
// The consumer's files.

/**
 * A check script for plain Node, ESM (`.mjs`) or CommonJS (`.cjs`): `head`, then `load(specifier)`
 * (import() or require()) and `where(specifier)` (where that resolves), then `body`. CommonJS runs
 * the body in an async function, for its awaits; a failure there exits 1.
 */
function checkScript(kind: 'esm' | 'cjs', body: string, head = ''): string {
  if (kind === 'esm') {
    return `${head}
const load = (specifier) => import(specifier);
const where = (specifier) => import.meta.resolve(specifier);
${body}`;
  }
  return `${head}
const load = async (specifier) => require(specifier);
const where = (specifier) => require.resolve(specifier);
(async () => {
${body}
})().catch((error) => {
  console.error(error);
  process.exit(1);
});`;
}

/** The body shared by the ESM and the CommonJS load checks; `load(specifier)` and `where(specifier)` differ. */
const LOAD_CHECK_BODY = `
const specifiers = ${JSON.stringify(SPECIFIERS)};
const entries = {};
const modules = {};
for (const specifier of specifiers) {
  const mod = await load(specifier);
  modules[specifier] = mod;
  entries[specifier] = {
    resolved: where(specifier),
    exports: Object.fromEntries(Object.keys(mod).sort().map((name) => [name, typeof mod[name]])),
  };
}
// A whole flow through the built code: createPhoneBinding (all) → zitadel adapter → the fakes (testing).
const fakes = modules['phone-binding/testing'].createFakeBackends();
const { userId } = fakes.zitadel.createUser();
const binding = modules['phone-binding/all'].createPhoneBinding({
  provider: 'zitadel',
  baseUrl: fakes.urls.zitadel,
  token: fakes.zitadel.adminToken,
  fetch: fakes.fetch,
});
const pending = await binding.bind({ userId, phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
const bound = await binding.verify({ ticket: pending.ticket, code: fakes.lastCode() });
const got = await binding.get({ userId });
console.log(JSON.stringify({
  entries,
  packageVersion: packageVersion(),
  flow: { bound: bound.phone.e164, got: got && got.state, provider: binding.provider },
}));
`;

const ESM_CHECK = checkScript(
  'esm',
  LOAD_CHECK_BODY,
  `import { createRequire } from 'node:module';
const packageVersion = () => createRequire(import.meta.url)('phone-binding/package.json').version;`,
);
const CJS_CHECK = checkScript(
  'cjs',
  LOAD_CHECK_BODY,
  `const packageVersion = () => require('phone-binding/package.json').version;`,
);

/** Errors thrown by one build tested against the other build's class (two classes, one brand). */
const CROSS_CHECK = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const esm = await import('phone-binding');
const cjs = require('phone-binding');
const esmZitadel = await import('phone-binding/zitadel');
const cjsZitadel = require('phone-binding/zitadel');
const esmAll = await import('phone-binding/all');
const cjsAll = require('phone-binding/all');

function thrown(fn) {
  try { fn(); } catch (error) { return error; }
  return undefined;
}
async function rejected(promise) {
  try { await promise; } catch (error) { return error; }
  return undefined;
}
const options = {
  baseUrl: 'https://zitadel.example.com',
  token: 'token',
  fetch: async () => { throw new Error('no request expected'); },
};
const errors = {
  esmCore: thrown(() => esm.normalizePhoneNumber('x')),
  cjsCore: thrown(() => cjs.normalizePhoneNumber('x')),
  esmAdapter: await rejected(esmZitadel.zitadel(options).bind({ userId: 'u1', phoneNumber: 'x' })),
  cjsAdapter: await rejected(cjsZitadel.zitadel(options).bind({ userId: 'u1', phoneNumber: 'x' })),
  esmConfig: thrown(() => esmAll.createPhoneBinding({ provider: 'nope' })),
  cjsConfig: thrown(() => cjsAll.createPhoneBinding({ provider: 'nope' })),
};
const report = {
  twoClasses: esm.PhoneBindingError !== cjs.PhoneBindingError,
  plainErrorIsNeither: !(new Error('x') instanceof esm.PhoneBindingError) && !(new Error('x') instanceof cjs.PhoneBindingError),
  errors: {},
};
for (const [name, error] of Object.entries(errors)) {
  report.errors[name] = {
    code: error && error.code,
    instanceofEsm: error instanceof esm.PhoneBindingError,
    instanceofCjs: error instanceof cjs.PhoneBindingError,
    isErrorEsm: esm.isPhoneBindingError(error),
    isErrorCjs: cjs.isPhoneBindingError(error),
  };
}
console.log(JSON.stringify(report));
`;

/**
 * The Supabase and Cognito entries, used the same way in every consumer file below (ESM and
 * CommonJS, with and without the DOM lib).
 */
const NEWER_ENTRIES_TS = `import { COGNITO_ADMIN_CAPABILITIES, type CognitoOptions, cognito, cognitoAdmin } from 'phone-binding/cognito';
import { SUPABASE_CAPABILITIES, type SupabaseAdminOptions, supabase, supabaseAdmin } from 'phone-binding/supabase';
const cognitoOptions: CognitoOptions = { region: 'eu-west-1', accessToken: 'token' };
const supabaseAdminOptions: SupabaseAdminOptions = { baseUrl: 'https://ref.supabase.co', secretKey: 'sb_secret_x' };
export const newerBindings = [
  supabase({ baseUrl: 'https://ref.supabase.co', apiKey: 'sb_publishable_x', accessToken: 'token' }),
  supabaseAdmin(supabaseAdminOptions),
  cognito(cognitoOptions),
  cognitoAdmin({ userPoolId: 'eu-west-1_Abc', credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) }),
];
export const newerScopes: Array<'admin' | 'user'> = [SUPABASE_CAPABILITIES.scope, COGNITO_ADMIN_CAPABILITIES.scope];
`;

/** A consumer module using values and types from every entry (ESM: `index.ts`). */
const CONSUMER_TS = `
import {
  type BoundPhone,
  type CallOptions,
  type Capabilities,
  type CommonAdapterOptions,
  type Credential,
  ERROR_CODES,
  type Hooks,
  isPhoneBindingError,
  MAX_PHONE_INPUT_LENGTH,
  maskPhoneNumber,
  type NormalizeOptions,
  normalizePhoneNumber,
  type PendingVerification,
  type PhoneBinding,
  PhoneBindingError,
  type PhoneBindingErrorCode,
  type PhoneBindingErrorInit,
  type PhoneNumber,
  type ProviderId,
  type RemovedPhone,
  type VerificationTicket,
} from 'phone-binding';
import { createPhoneBinding, type PhoneBindingConfig } from 'phone-binding/all';
import { AUTHING_CAPABILITIES, type AuthingOptions, authing } from 'phone-binding/authing';
import { CLERK_API_VERSION, CLERK_CAPABILITIES, type ClerkOptions, clerk } from 'phone-binding/clerk';
import { ETNA_CAPABILITIES, type EtnaOptions, etna } from 'phone-binding/etna';
import {
  createFakeBackends,
  type FakeBackends,
  type FakeServer,
  type Fault,
  type SentSms,
} from 'phone-binding/testing';
import {
  createFakeBackends as createFakesWithHandlers,
  type FakeBackendsWithHandlers,
  fakeHandlers,
} from 'phone-binding/testing/msw';
import {
  type ServerSecretOptions,
  ZITADEL_CAPABILITIES,
  ZITADEL_SELF_CAPABILITIES,
  type ZitadelOptions,
  type ZitadelSelfOptions,
  zitadel,
  zitadelSelf,
} from 'phone-binding/zitadel';

const normalizeOptions: NormalizeOptions = { defaultCountry: 'CH' };
const phone: PhoneNumber = normalizePhoneNumber('079 123 45 67', normalizeOptions);
export const e164: string = phone.e164;
export const masked: string = maskPhoneNumber(e164);
export const maxLength: number = MAX_PHONE_INPUT_LENGTH;
export const codes: readonly PhoneBindingErrorCode[] = ERROR_CODES;

const fakes: FakeBackends = createFakeBackends();
const adminToken: Credential = async () => fakes.zitadel.adminToken;
const hooks: Hooks = { error: (event) => console.warn(event.error.code, event.operation) };
const common: Omit<CommonAdapterOptions, 'baseUrl'> = { fetch: fakes.fetch, timeout: 5_000, retry: 1, hooks };
const secret: ServerSecretOptions = { dangerouslyAllowBrowser: false };
const etnaOptions: EtnaOptions = { ...common, baseUrl: fakes.urls.etna, token: 'token', appKey: 'key' };
const authingOptions: AuthingOptions = { ...common, baseUrl: fakes.urls.authing, accessToken: 'token', appId: 'app' };
const zitadelOptions: ZitadelOptions = { ...common, ...secret, baseUrl: fakes.urls.zitadel, token: adminToken };
const zitadelSelfOptions: ZitadelSelfOptions = { ...common, baseUrl: fakes.urls.zitadel, token: 'token' };
const clerkOptions: ClerkOptions = { ...common, ...secret, baseUrl: fakes.urls.clerk, secretKey: 'sk_test_x' };
const config: PhoneBindingConfig = { provider: 'zitadel', ...zitadelOptions };

export const bindings: readonly PhoneBinding[] = [
  etna(etnaOptions),
  authing(authingOptions),
  zitadel(zitadelOptions),
  zitadelSelf(zitadelSelfOptions),
  clerk(clerkOptions),
  createPhoneBinding(config),
];
export const capabilities: ReadonlyArray<Readonly<Capabilities>> = [
  ETNA_CAPABILITIES,
  AUTHING_CAPABILITIES,
  ZITADEL_CAPABILITIES,
  ZITADEL_SELF_CAPABILITIES,
  CLERK_CAPABILITIES,
];
export const clerkVersion: string = CLERK_API_VERSION;
export const providers: ProviderId[] = bindings.map((binding) => binding.provider);

export async function bindAndVerify(binding: PhoneBinding, userId: string, options?: CallOptions): Promise<BoundPhone> {
  const result: PendingVerification | BoundPhone = await binding.bind({ userId, phoneNumber: e164 }, options);
  if (result.state !== 'pending') return result;
  const ticket: VerificationTicket = result.ticket;
  const sms: SentSms | undefined = fakes.outbox.at(-1);
  try {
    return await binding.verify({ ticket, code: fakes.lastCode(sms?.to) ?? '' }, options);
  } catch (error) {
    if (error instanceof PhoneBindingError && error.code === 'invalid_code') throw error;
    if (isPhoneBindingError(error) && error.retryable) return bindAndVerify(binding, userId, options);
    throw error;
  }
}
export const unbind = (binding: PhoneBinding, userId: string): Promise<RemovedPhone | PendingVerification> =>
  binding.remove({ userId });
const init: PhoneBindingErrorInit = { code: 'rate_limited', message: 'slow down', provider: 'clerk', retryAfterMs: 1_000 };
export const error: PhoneBindingError = new PhoneBindingError(init);
export const retryable: boolean = error.retryable;
export const fault: Fault = { backend: 'clerk', status: 503, times: 1 };
export const serve = (): Promise<FakeServer> => fakes.listen({ cors: true });
const withHandlers: FakeBackendsWithHandlers = createFakesWithHandlers({ origin: 'https://fakes.example.com' });
export const handlers = [...withHandlers.handlers, ...fakeHandlers(fakes)];
export const sameApi: FakeBackends = withHandlers;

// The types are real, not \`any\`:
// @ts-expect-error a provider no adapter has
export const unknownProvider: PhoneBindingConfig = { provider: 'auth0', baseUrl: 'https://example.com' };
// @ts-expect-error phoneNumber is a string
export const badBind = () => bindings[0]?.bind({ phoneNumber: 41791234567 });
// @ts-expect-error not an error code
export const badCode: PhoneBindingErrorCode = 'oops';

${NEWER_ENTRIES_TS}`;

/** The same from CommonJS (\`index.cts\`): \`import = require()\` and require-mode \`import\`s. */
const CONSUMER_CTS = `
import phoneBinding = require('phone-binding');
import all = require('phone-binding/all');
import testing = require('phone-binding/testing');
import testingMsw = require('phone-binding/testing/msw');
import { AUTHING_CAPABILITIES, authing } from 'phone-binding/authing';
import { clerk, type ClerkOptions } from 'phone-binding/clerk';
import { etna, type EtnaOptions } from 'phone-binding/etna';
import type { FakeBackends } from 'phone-binding/testing';
import { zitadel, zitadelSelf, type ZitadelOptions } from 'phone-binding/zitadel';

const fakes: FakeBackends = testing.createFakeBackends();
const phone: phoneBinding.PhoneNumber = phoneBinding.normalizePhoneNumber('+41 79 123 45 67');
const etnaOptions: EtnaOptions = { baseUrl: fakes.urls.etna, token: 'token', appKey: 'key', fetch: fakes.fetch };
const zitadelOptions: ZitadelOptions = { baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken };
const clerkOptions: ClerkOptions = { secretKey: 'sk_test_x', baseUrl: fakes.urls.clerk };
const config: all.PhoneBindingConfig = { provider: 'zitadel-self', baseUrl: fakes.urls.zitadel, token: 'token' };

export const bindings: phoneBinding.PhoneBinding[] = [
  etna(etnaOptions),
  authing({ baseUrl: fakes.urls.authing, accessToken: 'token', appId: 'app' }),
  zitadel(zitadelOptions),
  zitadelSelf({ baseUrl: fakes.urls.zitadel, token: 'token' }),
  clerk(clerkOptions),
  all.createPhoneBinding(config),
];
export const scope: 'admin' | 'user' = AUTHING_CAPABILITIES.scope;
export const e164: string = phone.e164;

export async function verify(
  binding: phoneBinding.PhoneBinding,
  ticket: phoneBinding.VerificationTicket,
): Promise<phoneBinding.BoundPhone | phoneBinding.PhoneBindingErrorCode> {
  try {
    return await binding.verify({ ticket, code: fakes.lastCode() ?? '' });
  } catch (error) {
    if (error instanceof phoneBinding.PhoneBindingError) return error.code;
    if (phoneBinding.isPhoneBindingError(error)) return error.code;
    throw error;
  }
}

// @ts-expect-error not a provider
export const badProvider: phoneBinding.ProviderId = 'auth0';
export const handlers = [...testingMsw.fakeHandlers(fakes), ...testingMsw.createFakeBackends().handlers];

${NEWER_ENTRIES_TS}`;

/**
 * Without `testing` (so without msw), and with only what a Node app has: @types/node, no DOM lib.
 * Shows the package's own types (.d.ts and .d.cts) need nothing from the DOM lib on Node.
 */
const NODE_ONLY_TS = `
import { type CallOptions, normalizePhoneNumber, type PhoneBinding, PhoneBindingError } from 'phone-binding';
import { createPhoneBinding, type PhoneBindingConfig } from 'phone-binding/all';
import { authing } from 'phone-binding/authing';
import { clerk } from 'phone-binding/clerk';
import { etna } from 'phone-binding/etna';
import { zitadel, zitadelSelf } from 'phone-binding/zitadel';

const baseUrl = 'https://example.com';
const config: PhoneBindingConfig = { provider: 'clerk', secretKey: process.env.CLERK_SECRET_KEY ?? '', fetch };
export const bindings: PhoneBinding[] = [
  etna({ baseUrl, token: async () => 'token', appKey: 'key' }),
  authing({ baseUrl, accessToken: 'token', appId: 'app' }),
  zitadel({ baseUrl, token: 'token' }),
  zitadelSelf({ baseUrl, token: 'token' }),
  clerk({ secretKey: 'sk_test_x' }),
  createPhoneBinding(config),
];
const options: CallOptions = { signal: AbortSignal.timeout(5_000), headers: { 'x-trace': '1' } };
export const get = (userId: string) => bindings[0]?.get({ userId }, options);
export const e164: string = normalizePhoneNumber('+41 79 123 45 67').e164;
export const isError = (error: unknown): boolean => error instanceof PhoneBindingError;

${NEWER_ENTRIES_TS}`;
const NODE_ONLY_CTS = `
import phoneBinding = require('phone-binding');
import all = require('phone-binding/all');
import { authing } from 'phone-binding/authing';
import { clerk } from 'phone-binding/clerk';
import { etna } from 'phone-binding/etna';
import { zitadel } from 'phone-binding/zitadel';

const config: all.PhoneBindingConfig = { provider: 'zitadel', baseUrl: 'https://example.com', token: 'token' };
export const bindings: phoneBinding.PhoneBinding[] = [
  all.createPhoneBinding(config),
  etna({ baseUrl: 'https://example.com', token: 'token', appKey: 'key', fetch }),
  zitadel({ baseUrl: 'https://example.com', token: 'token', timeout: 5_000 }),
  authing({ baseUrl: 'https://example.com', accessToken: 'token', appId: 'app' }),
  clerk({ secretKey: 'sk_test_x', fetch }),
];
export const e164: string = phoneBinding.normalizePhoneNumber('+41 79 123 45 67').e164;

${NEWER_ENTRIES_TS}`;

const COMMON_TSCONFIG = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false };
const NODE16 = { ...COMMON_TSCONFIG, module: 'node16', moduleResolution: 'node16' };
// msw's own declarations (msw, @mswjs/interceptors, rettime) need the DOM lib even on Node
// (mswjs/msw#408): with `testing/msw` in the program and no DOM lib, skipLibCheck: false reports
// ~60 errors, all inside those. So the runs that import `testing/msw` have the DOM lib, and the
// Node-only runs leave it out instead of skipping lib checks (`testing` alone needs no DOM lib:
// see TESTING_NO_DOM_TSCONFIG, in the consumer without msw).
const TSCONFIGS = {
  // A bundled (browser) app: DOM lib, no @types/node.
  bundler: {
    compilerOptions: {
      ...COMMON_TSCONFIG,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: [],
      verbatimModuleSyntax: true,
    },
    files: ['index.ts'],
  },
  // A Node ESM file ("type": "module"): @types/node, and the DOM lib for msw.
  'node16-esm': {
    compilerOptions: { ...NODE16, lib: ['es2022', 'dom'], types: ['node'] },
    files: ['index.ts'],
  },
  // A Node CommonJS file (.cts), same options but skipLibCheck: msw's CommonJS declarations import
  // rettime, which is ESM-only, and `node16` models a Node without require(esm), so it reports
  // TS1479 inside msw's own .d.ts (4 errors, none in ours or in index.cts).
  'node16-cjs': {
    compilerOptions: { ...NODE16, lib: ['es2022', 'dom'], types: ['node'], skipLibCheck: true },
    files: ['index.cts'],
  },
  // The same .cts under `nodenext` (require(esm) allowed, as on Node ≥ 20.19), with every lib
  // check: the CommonJS declarations (.d.cts), testing's included, checked in full.
  'nodenext-cjs': {
    compilerOptions: {
      ...COMMON_TSCONFIG,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022', 'dom'],
      types: ['node'],
    },
    files: ['index.cts'],
  },
  // Node ESM and CommonJS, @types/node only (no DOM lib), every entry but testing.
  'node16-no-dom': {
    compilerOptions: { ...NODE16, lib: ['es2022'], types: ['node'] },
    files: ['node-only.ts', 'node-only.cts'],
  },
};
/** Which declaration files each run must read: .d.ts for import, .d.cts for require. */
const EXPECTED_DECLARATIONS: Record<TsconfigName, string[]> = {
  bundler: SPECIFIERS.map((specifier) => `dist/${ENTRIES[specifier].file}.d.ts`),
  'node16-esm': SPECIFIERS.map((specifier) => `dist/${ENTRIES[specifier].file}.d.ts`),
  'node16-cjs': SPECIFIERS.map((specifier) => `dist/${ENTRIES[specifier].file}.d.cts`),
  'nodenext-cjs': SPECIFIERS.map((specifier) => `dist/${ENTRIES[specifier].file}.d.cts`),
  'node16-no-dom': SPECIFIERS.filter((specifier) => !specifier.startsWith('phone-binding/testing')).flatMap(
    (specifier) => ['.d.ts', '.d.cts'].map((ext) => `dist/${ENTRIES[specifier].file}${ext}`),
  ),
};
type TsconfigName = keyof typeof TSCONFIGS;
/** The runs without the DOM lib: their programs must not contain lib.dom.d.ts by any route. */
const NO_DOM = new Set<string>(['node16-no-dom']);

// ---------------------------------------------------------------------------------------------
// The test kit with msw (in `consumer`) and without it (in `consumerNoMsw`).

/**
 * A bind → verify through `msw/node`, both ways of getting the handlers: `createFakeBackends()` of
 * `phone-binding/testing/msw` (its `handlers`), and `fakeHandlers(fakes)` over the fakes of
 * `phone-binding/testing`. The adapter gets no `fetch`: the global one, which msw intercepts (the
 * fakes' origin, fake.phone-binding.test, does not resolve).
 */
const MSW_CHECK_BODY = `
const { setupServer } = await load('msw/node');
const testing = await load('phone-binding/testing');
const testingMsw = await load('phone-binding/testing/msw');
const { zitadel } = await load('phone-binding/zitadel');

async function bindAndVerify(fakes, handlers, phoneNumber) {
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const { userId } = fakes.zitadel.createUser();
    const binding = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken });
    const pending = await binding.bind({ userId, phoneNumber });
    const bound = await binding.verify({ ticket: pending.ticket, code: fakes.lastCode() });
    const got = await binding.get({ userId });
    return {
      handlers: handlers.length,
      pending: pending.state,
      bound: bound.state,
      e164: bound.phone.e164,
      got: got && got.state,
      sms: fakes.outbox.length,
      served: fakes.requests.length > 0,
    };
  } finally {
    server.close();
  }
}
const withHandlers = testingMsw.createFakeBackends();
const plain = testing.createFakeBackends();
console.log(JSON.stringify({
  withHandlers: await bindAndVerify(withHandlers, withHandlers.handlers, '+41 79 123 45 67'),
  fakeHandlers: await bindAndVerify(plain, testingMsw.fakeHandlers(plain), '+41 79 765 43 21'),
  plainHasHandlers: 'handlers' in plain,
}));
`;
const MSW_CHECK_ESM = checkScript('esm', MSW_CHECK_BODY);
const MSW_CHECK_CJS = checkScript('cjs', MSW_CHECK_BODY);

/**
 * Without msw: `phone-binding/testing` loads, a bind → verify through `fakes.fetch`, another one
 * over `listen()`'s loopback server (global fetch), the server closes; `phone-binding/testing/msw`
 * fails to load, naming msw.
 */
const NO_MSW_CHECK_BODY = `
const report = {};
try {
  report.msw = where('msw');
} catch (error) {
  report.msw = error.code;
}
const testing = await load('phone-binding/testing');
const { zitadel } = await load('phone-binding/zitadel');
report.testing = where('phone-binding/testing');
const fakes = testing.createFakeBackends();
const first = fakes.zitadel.createUser();
const binding = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, fetch: fakes.fetch });
const pending = await binding.bind({ userId: first.userId, phoneNumber: '+41 79 123 45 67' });
const bound = await binding.verify({ ticket: pending.ticket, code: fakes.lastCode() });
report.fetch = { pending: pending.state, bound: bound.state, e164: bound.phone.e164, sms: fakes.outbox.length };

const server = await fakes.listen();
try {
  const second = fakes.zitadel.createUser();
  const overHttp = zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken });
  const pendingHttp = await overHttp.bind({ userId: second.userId, phoneNumber: '+41 79 765 43 21' });
  const boundHttp = await overHttp.verify({ ticket: pendingHttp.ticket, code: fakes.lastCode('+41797654321') });
  report.listen = {
    url: server.url,
    zitadel: server.urls.zitadel,
    pending: pendingHttp.state,
    bound: boundHttp.state,
    e164: boundHttp.phone.e164,
  };
} finally {
  await server.close();
}
report.afterClose = await fetch(server.urls.zitadel).then(
  (response) => 'answered ' + response.status,
  (error) => error.name,
);
try {
  await load('phone-binding/testing/msw');
  report.mswEntry = 'loaded';
} catch (error) {
  report.mswEntry = { code: error.code, message: String(error.message).split('\\n')[0] };
}
console.log(JSON.stringify(report));
`;
const NO_MSW_CHECK_ESM = checkScript('esm', NO_MSW_CHECK_BODY);
const NO_MSW_CHECK_CJS = checkScript('cjs', NO_MSW_CHECK_BODY);
interface NoMswReport {
  msw: string;
  testing: string;
  fetch: Record<string, unknown>;
  listen: Record<string, unknown>;
  afterClose: string;
  mswEntry: { code: string; message: string } | 'loaded';
}

/** A fetch-only use of the test kit, type-checked with @types/node and no DOM lib (ESM: `.ts`). */
const TESTING_NO_DOM_TS = `
import { type CallOptions, normalizePhoneNumber, type PhoneBinding, PhoneBindingError } from 'phone-binding';
import { createFakeBackends, type FakeBackends, type FakeServer, type Fault } from 'phone-binding/testing';
import { zitadel, type ZitadelOptions } from 'phone-binding/zitadel';

const fakes: FakeBackends = createFakeBackends();
const fakeFetch: typeof fetch = fakes.fetch;
const options: ZitadelOptions = { baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, fetch: fakeFetch };
const binding: PhoneBinding = zitadel(options);

export async function bindAndVerify(): Promise<string> {
  const { userId } = fakes.zitadel.createUser();
  const call: CallOptions = { signal: AbortSignal.timeout(5_000) };
  const pending = await binding.bind({ userId, phoneNumber: normalizePhoneNumber('+41 79 123 45 67').e164 }, call);
  if (pending.state !== 'pending') return pending.phone.e164;
  const bound = await binding.verify({ ticket: pending.ticket, code: fakes.lastCode() ?? '' }, call);
  return bound.phone.e164;
}

export async function overHttp(): Promise<number[]> {
  const server: FakeServer = await fakes.listen({ port: 0, cors: false });
  try {
    const viaServer: Response = await fetch(\`\${server.urls.zitadel}/v2/users/none\`);
    const viaFetch: Response = await fakes.fetch(new URL('/zitadel/v2/users/none', fakes.origin));
    const viaHandle: Response = await fakes.handle(new Request(\`\${fakes.urls.zitadel}/v2/users/none\`));
    return [viaServer.status, viaFetch.status, viaHandle.status];
  } finally {
    await server.close();
  }
}
export const fault: Fault = { backend: 'zitadel', status: 503 };
export const isError = (error: unknown): boolean => error instanceof PhoneBindingError;
// The types are real, not \`any\`:
// @ts-expect-error port is a number
export const badPort = () => fakes.listen({ port: '0' });
`;
/** The same from CommonJS (\`.cts\`, the .d.cts declarations). */
const TESTING_NO_DOM_CTS = `
import phoneBinding = require('phone-binding');
import testing = require('phone-binding/testing');
import { zitadel } from 'phone-binding/zitadel';

const fakes: testing.FakeBackends = testing.createFakeBackends();
export const binding: phoneBinding.PhoneBinding = zitadel({
  baseUrl: fakes.urls.zitadel,
  token: fakes.zitadel.adminToken,
  fetch: fakes.fetch,
});
export async function serve(): Promise<string> {
  const server: testing.FakeServer = await fakes.listen();
  await server.close();
  return server.url;
}
`;
/** \`lib: ["ES2022"]\`, \`types: ["node"]\`, every lib check, \`nodenext\`. */
const TESTING_NO_DOM_TSCONFIG = {
  compilerOptions: {
    ...COMMON_TSCONFIG,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    lib: ['ES2022'],
    types: ['node'],
  },
  files: ['testing-no-dom.ts', 'testing-no-dom.cts'],
};
const TESTING_NO_DOM_DECLARATIONS = ['index', 'testing', 'zitadel'].flatMap((file) =>
  ['.d.ts', '.d.cts'].map((ext) => `dist/${file}${ext}`),
);

// ---------------------------------------------------------------------------------------------

/**
 * `tsc -p <tsconfig> --listFiles` in `dir`, with this repo's TypeScript: its diagnostics (every
 * line that is not a listed file), exit code, the files of the program and, of those, the package's
 * own (relative to the package).
 */
async function typeCheck(dir: string, tsconfig: string) {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const { code, stdout } = await tryRun(process.execPath, [tsc, '-p', tsconfig, '--listFiles'], dir);
  // --listFiles prints absolute paths; everything else is a diagnostic.
  const lines = stdout.split('\n').filter((line) => line.trim().length > 0);
  const files = lines.filter((line) => isAbsolute(line));
  const declarations = files
    .filter((line) => line.includes('/node_modules/phone-binding/'))
    .map((line) => line.replace(/^.*\/node_modules\/phone-binding\//, ''));
  return { diagnostics: lines.filter((line) => !isAbsolute(line)).join('\n'), code, files, declarations };
}

/** Writes each file of `files` (name → text) into `dir`; an object as JSON, a line per field. */
async function writeFiles(dir: string, files: Record<string, string | object>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
    await writeFile(join(dir, name), text);
  }
}

/**
 * Jest in its default CommonJS mode, in a consumer without msw: every entry is `require`d by
 * Jest's own module loader (which cannot load ES modules) and a flow runs through the built code.
 */
const JEST_CHECK = `
const specifiers = ${JSON.stringify(SPECIFIERS.filter((specifier) => specifier !== 'phone-binding/testing/msw'))};
test.each(specifiers)('%s loads under Jest (CommonJS) from its .cjs build', (specifier) => {
  const mod = require(specifier);
  expect(require.resolve(specifier)).toMatch(/\\.cjs$/);
  expect(Object.keys(mod).length).toBeGreaterThan(0);
});
test('bind → verify → get through the CommonJS build', async () => {
  const { createFakeBackends } = require('phone-binding/testing');
  const { createPhoneBinding } = require('phone-binding/all');
  const fakes = createFakeBackends();
  const { userId } = fakes.zitadel.createUser();
  const phones = createPhoneBinding({
    provider: 'zitadel',
    baseUrl: fakes.urls.zitadel,
    token: fakes.zitadel.adminToken,
    fetch: fakes.fetch,
  });
  const pending = await phones.bind({ userId, phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
  await phones.verify({ ticket: pending.ticket, code: fakes.lastCode() });
  expect(await phones.get({ userId })).toMatchObject({ state: 'verified', phone: { e164: '+41791234567' } });
});
`;

let tmp: string | undefined;
let consumer: string;
/** A CommonJS consumer testing with Jest (no msw). */
let consumerJest: string;
/** A consumer that installed the tarball and no msw. */
let consumerNoMsw: string;
let tarballEntries: string[];
let pkg: PackageJson;

beforeAll(async () => {
  const steps: string[] = [];
  const started = Date.now();
  steps.push(await ensureBuilt());
  pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

  tmp = await mkdtemp(join(tmpdir(), 'phone-binding-package-'));
  const packed = await npm(['pack', '--pack-destination', tmp, '--json'], ROOT);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const tarball = join(tmp, filename);
  tarballEntries = await tarballFiles(tarball);
  steps.push(`npm pack ${filename} (${packed.ms} ms)`);

  consumer = join(tmp, 'consumer');
  consumerNoMsw = join(tmp, 'consumer-no-msw');
  consumerJest = join(tmp, 'consumer-jest');
  const installs = await Promise.all(
    [
      { dir: consumer, msw: true, type: 'module', label: 'with msw' },
      { dir: consumerNoMsw, msw: false, type: 'module', label: 'without msw' },
      { dir: consumerJest, msw: false, jest: true, type: 'commonjs', label: 'Jest, CommonJS' },
    ].map(async ({ dir, msw, jest, type, label }) => {
      await mkdir(dir);
      await writeFiles(dir, {
        'package.json': { name: 'consumer', version: '1.0.0', private: true, type },
      });
      return `${label}: ${await install(dir, tarball, pkg, { msw, jest })}`;
    }),
  );
  steps.push(...installs);

  await writeFiles(consumer, {
    'esm-check.mjs': ESM_CHECK,
    'cjs-check.cjs': CJS_CHECK,
    'cross-check.mjs': CROSS_CHECK,
    'index.ts': CONSUMER_TS,
    'index.cts': CONSUMER_CTS,
    'node-only.ts': NODE_ONLY_TS,
    'node-only.cts': NODE_ONLY_CTS,
    ...Object.fromEntries(
      Object.entries(TSCONFIGS).map(([name, tsconfig]) => [`tsconfig.${name}.json`, tsconfig]),
    ),
    'msw-check.mjs': MSW_CHECK_ESM,
    'msw-check.cjs': MSW_CHECK_CJS,
  });
  await writeFiles(consumerJest, { 'entries.test.js': JEST_CHECK });
  await writeFiles(consumerNoMsw, {
    'no-msw-check.mjs': NO_MSW_CHECK_ESM,
    'no-msw-check.cjs': NO_MSW_CHECK_CJS,
    'testing-no-dom.ts': TESTING_NO_DOM_TS,
    'testing-no-dom.cts': TESTING_NO_DOM_CTS,
    'tsconfig.testing-no-dom.json': TESTING_NO_DOM_TSCONFIG,
  });
  console.info(`package e2e set-up in ${Date.now() - started} ms:\n  ${steps.join('\n  ')}`);
}, 240_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds the ESM and CommonJS builds and their types for every entry, README.md and LICENSE', () => {
    expect(tarballEntries).toEqual(
      expect.arrayContaining([...BUILD_FILES, 'README.md', 'LICENSE', 'package.json']),
    );
  });

  it('holds every file that package.json points at', () => {
    const named = [
      ...exportTargets(pkg.exports),
      pkg.main,
      pkg.module,
      pkg.types,
      ...Object.values(pkg.typesVersions).flatMap((map) => Object.values(map).flat()),
    ].map((file) => file.replace(/^\.\//, ''));
    expect(named.filter((file) => !tarballEntries.includes(file))).toEqual([]);
  });

  it('holds no sources, tests or source maps: only dist/, README.md, LICENSE and package.json', () => {
    const stray = tarballEntries.filter(
      (file) =>
        !(
          file === 'README.md' ||
          file === 'LICENSE' ||
          file === 'package.json' ||
          file.startsWith('dist/')
        ) ||
        /^(src|test|adapters|examples)\//.test(file) ||
        /\.map$/.test(file) ||
        (/\.[cm]?ts$/.test(file) && !/\.d\.c?ts$/.test(file)),
    );
    expect(stray).toEqual([]);
  });
});

describe('installed into a consumer', () => {
  function checkLoaded(report: LoadReport, ext: '.js' | '.cjs') {
    for (const specifier of SPECIFIERS) {
      const { exports, resolved } = report.entries[specifier];
      expect(resolved, specifier).toMatch(
        new RegExp(`node_modules/phone-binding/dist/${ENTRIES[specifier].file}\\${ext}$`),
      );
      expect(Object.keys(exports), specifier).toEqual(
        expect.arrayContaining([...ENTRIES[specifier].exports]),
      );
      for (const name of ENTRIES[specifier].exports) {
        expect(exports[name], `${specifier} ${name}`).toEqual(
          FUNCTIONS.has(name) ? 'function' : expect.any(String),
        );
      }
    }
    expect(report.packageVersion).toBe(pkg.version);
    expect(report.flow).toEqual({ bound: '+41791234567', got: 'verified', provider: 'zitadel' });
  }

  let esmReport: LoadReport;
  let cjsReport: LoadReport;

  it('import() loads every entry (dist/*.js) with its exports, and the built code works', async () => {
    const { stdout } = await node(['esm-check.mjs'], consumer);
    esmReport = JSON.parse(stdout) as LoadReport;
    checkLoaded(esmReport, '.js');
  });

  it('require() from a .cjs file loads every entry (dist/*.cjs) with its exports, and the built code works', async () => {
    const { stdout } = await node(['cjs-check.cjs'], consumer);
    cjsReport = JSON.parse(stdout) as LoadReport;
    checkLoaded(cjsReport, '.cjs');
  });

  it('the ESM and CommonJS builds export the same names', () => {
    for (const specifier of SPECIFIERS) {
      expect(Object.keys(cjsReport.entries[specifier].exports), specifier).toEqual(
        Object.keys(esmReport.entries[specifier].exports),
      );
    }
  });

  it('a PhoneBindingError from either build is instanceof the other build’s class (Symbol.for brand)', async () => {
    const { stdout } = await node(['cross-check.mjs'], consumer);
    const report = JSON.parse(stdout) as {
      twoClasses: boolean;
      plainErrorIsNeither: boolean;
      errors: Record<string, Record<string, unknown>>;
    };
    // Two copies of the class really are loaded, and a foreign error is still not one.
    expect(report.twoClasses).toBe(true);
    expect(report.plainErrorIsNeither).toBe(true);
    const recognised = { instanceofEsm: true, instanceofCjs: true, isErrorEsm: true, isErrorCjs: true };
    expect(report.errors).toEqual({
      esmCore: { code: 'invalid_phone_number', ...recognised },
      cjsCore: { code: 'invalid_phone_number', ...recognised },
      esmAdapter: { code: 'invalid_phone_number', ...recognised },
      cjsAdapter: { code: 'invalid_phone_number', ...recognised },
      esmConfig: { code: 'invalid_input', ...recognised },
      cjsConfig: { code: 'invalid_input', ...recognised },
    });
  });

  it.each(Object.keys(TSCONFIGS) as TsconfigName[])(
    'a consumer using every entry type-checks with zero errors (%s)',
    async (name) => {
      const { diagnostics, code, files, declarations } = await typeCheck(consumer, `tsconfig.${name}.json`);
      expect(diagnostics).toBe('');
      expect(code).toBe(0);
      if (NO_DOM.has(name)) expect(files.filter((file) => /lib\.dom\b/.test(file))).toEqual([]);
      // It read the package's own declarations: .d.cts for require, .d.ts for import.
      expect(declarations).toEqual(expect.arrayContaining(EXPECTED_DECLARATIONS[name]));
      const wanted = new Set(EXPECTED_DECLARATIONS[name].map((file) => file.slice(file.indexOf('.'))));
      expect(declarations.filter((file) => ![...wanted].some((ext) => file.endsWith(ext)))).toEqual([]);
    },
  );

  it.each([
    ['import()', 'msw-check.mjs'],
    ['require()', 'msw-check.cjs'],
  ])(
    'with msw, phone-binding/testing/msw serves a bind → verify through msw/node (%s)',
    async (_, script) => {
      const { stdout } = await node([script], consumer);
      const report = JSON.parse(stdout) as Record<string, unknown>;
      const flow = {
        pending: 'pending',
        bound: 'verified',
        e164: expect.any(String),
        got: 'verified',
        sms: 1,
        served: true,
      };
      expect(report).toEqual({
        withHandlers: { handlers: 1, ...flow, e164: '+41791234567' },
        fakeHandlers: { handlers: 1, ...flow, e164: '+41797654321' },
        plainHasHandlers: false,
      });
    },
  );
});

describe('installed into a consumer that tests with Jest (CommonJS mode)', () => {
  it('Jest loads every entry from the .cjs build (ky is bundled there) and runs a flow', async () => {
    const { stdout } = await node(
      ['node_modules/jest/bin/jest.js', '--ci', '--json', '--outputFile=report.json'],
      consumerJest,
    ).catch((error: unknown) => ({ stdout: String(error) }));
    const report = JSON.parse(await readFile(join(consumerJest, 'report.json'), 'utf8')) as {
      numFailedTests: number;
      numPassedTests: number;
      testResults: Array<{ message: string }>;
    };
    expect(report.testResults.map((result) => result.message).join('\n'), stdout).toBe('');
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBe(SPECIFIERS.length);
  });
});

describe('installed into a consumer without msw', () => {
  it('npm left out msw (an optional peer dependency) and installed the declared dependencies', () => {
    expect(existsSync(join(consumerNoMsw, 'node_modules/msw')), 'node_modules/msw is there').toBe(false);
    for (const name of Object.keys(pkg.dependencies)) {
      expect(existsSync(join(consumerNoMsw, 'node_modules', name, 'package.json')), name).toBe(true);
    }
  });

  it.each([
    ['import()', 'no-msw-check.mjs', '.js', 'ERR_MODULE_NOT_FOUND'],
    ['require()', 'no-msw-check.cjs', '.cjs', 'MODULE_NOT_FOUND'],
  ])(
    'phone-binding/testing works: fakes.fetch, listen() and close(); testing/msw fails naming msw (%s)',
    async (_, script, ext, notFound) => {
      const { stdout } = await node([script], consumerNoMsw);
      const report = JSON.parse(stdout) as NoMswReport;
      expect(report.msw).toBe(notFound);
      expect(report.testing).toMatch(new RegExp(`node_modules/phone-binding/dist/testing\\${ext}$`));
      expect(report.fetch).toEqual({ pending: 'pending', bound: 'verified', e164: '+41791234567', sms: 1 });
      expect(report.listen).toEqual({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        zitadel: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/zitadel$/),
        pending: 'pending',
        bound: 'verified',
        e164: '+41797654321',
      });
      // Closed: the port no longer answers.
      expect(report.afterClose).toBe('TypeError');
      expect(report.mswEntry).toEqual({ code: notFound, message: expect.stringMatching(/'msw'/) });
    },
  );

  it('a fetch-only consumer of phone-binding/testing type-checks without the DOM lib (nodenext, @types/node)', async () => {
    const { diagnostics, code, files, declarations } = await typeCheck(
      consumerNoMsw,
      'tsconfig.testing-no-dom.json',
    );
    expect(diagnostics).toBe('');
    expect(code).toBe(0);
    expect(files.filter((file) => /lib\.dom\b/.test(file))).toEqual([]);
    expect(files.filter((file) => file.includes('/node_modules/msw/'))).toEqual([]);
    expect(declarations).toEqual(expect.arrayContaining(TESTING_NO_DOM_DECLARATIONS));
    expect(declarations.filter((file) => !/\.d\.c?ts$/.test(file))).toEqual([]);
  });
});
