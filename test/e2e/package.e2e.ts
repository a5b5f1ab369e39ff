/**
 * The package as a consumer gets it: `npm pack`, installed into a throwaway project under the
 * OS temp dir, every entry loaded with `import` and with `require` in plain Node, and consumer
 * files type-checked (zero errors) under `moduleResolution: bundler`, `node16` (ESM and CommonJS),
 * `nodenext` (CommonJS) and `node16` without the DOM lib (see TSCONFIGS).
 * `npm run test:e2e`; it runs `npm run build` first when `dist/` is missing or older than the sources.
 *
 * Dependencies: `npm install <tarball> msw @types/node --offline` resolves ky, zod,
 * libphonenumber-js, msw and their dependencies from npm's cache (filled by the repo's own
 * `npm install`/`npm ci`), so no network and a few seconds. When the cache lacks something
 * (ENOTCACHED), or with `PHONE_BINDING_PACKAGE_INSTALL=link`, the tarball is unpacked into the
 * consumer's node_modules and only the dependencies it declares (plus msw and @types/node) are
 * symlinked from this repo's node_modules, so an undeclared dependency still fails.
 */
import { execFile } from 'node:child_process';
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
  'phone-binding/all': { file: 'all', exports: ['createPhoneBinding'] },
  'phone-binding/testing': { file: 'testing', exports: ['createFakeBackends'] },
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
  'createPhoneBinding',
  'createFakeBackends',
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

/** Installs the tarball into `consumer`; returns how. */
async function install(consumer: string, tarball: string, pkg: PackageJson): Promise<string> {
  // msw: `phone-binding/testing`'s (optional) peer dependency; @types/node: what a Node consumer
  // has. Both at the repo's versions, so the cache holds them (and msw's deps) already.
  const extras = [`msw@${await versionIn('msw')}`, `@types/node@${await versionIn('@types/node')}`];
  if (process.env.PHONE_BINDING_PACKAGE_INSTALL !== 'link') {
    try {
      const { ms } = await npm(
        [
          'install',
          tarball,
          ...extras,
          '--offline',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--no-package-lock',
        ],
        consumer,
      );
      return `npm install --offline from the npm cache (${ms} ms)`;
    } catch (error) {
      if (!/ENOTCACHED/.test(String(error))) throw error;
      await rm(join(consumer, 'node_modules'), { recursive: true, force: true });
    }
  }
  const started = Date.now();
  const modules = join(consumer, 'node_modules');
  const target = join(modules, 'phone-binding');
  await mkdir(target, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], consumer);
  for (const name of [...Object.keys(pkg.dependencies), 'msw', '@types/node']) {
    await mkdir(dirname(join(modules, name)), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
  return `unpacked the tarball, symlinked its dependencies from the repo's node_modules (${Date.now() - started} ms)`;
}

// ---------------------------------------------------------------------------------------------
// The consumer's files.

/** The body shared by the ESM and the CommonJS load checks; `load(specifier)` and `resolve(specifier)` differ. */
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

const ESM_CHECK = `import { createRequire } from 'node:module';
const load = (specifier) => import(specifier);
const where = (specifier) => import.meta.resolve(specifier);
const packageVersion = () => createRequire(import.meta.url)('phone-binding/package.json').version;
${LOAD_CHECK_BODY}`;

const CJS_CHECK = `
const load = async (specifier) => require(specifier);
const where = (specifier) => require.resolve(specifier);
const packageVersion = () => require('phone-binding/package.json').version;
(async () => {
${LOAD_CHECK_BODY}
})().catch((error) => {
  console.error(error);
  process.exit(1);
});`;

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

// The types are real, not \`any\`:
// @ts-expect-error a provider no adapter has
export const unknownProvider: PhoneBindingConfig = { provider: 'auth0', baseUrl: 'https://example.com' };
// @ts-expect-error phoneNumber is a string
export const badBind = () => bindings[0]?.bind({ phoneNumber: 41791234567 });
// @ts-expect-error not an error code
export const badCode: PhoneBindingErrorCode = 'oops';
`;

/** The same from CommonJS (\`index.cts\`): \`import = require()\` and require-mode \`import\`s. */
const CONSUMER_CTS = `
import phoneBinding = require('phone-binding');
import all = require('phone-binding/all');
import testing = require('phone-binding/testing');
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
`;

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
`;
const NODE_ONLY_CTS = `
import phoneBinding = require('phone-binding');
import all = require('phone-binding/all');
import { etna } from 'phone-binding/etna';
import { zitadel } from 'phone-binding/zitadel';

const config: all.PhoneBindingConfig = { provider: 'zitadel', baseUrl: 'https://example.com', token: 'token' };
export const bindings: phoneBinding.PhoneBinding[] = [
  all.createPhoneBinding(config),
  etna({ baseUrl: 'https://example.com', token: 'token', appKey: 'key', fetch }),
  zitadel({ baseUrl: 'https://example.com', token: 'token', timeout: 5_000 }),
];
export const e164: string = phoneBinding.normalizePhoneNumber('+41 79 123 45 67').e164;
`;

const COMMON_TSCONFIG = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false };
const NODE16 = { ...COMMON_TSCONFIG, module: 'node16', moduleResolution: 'node16' };
// msw's own declarations (msw, @mswjs/interceptors, rettime) need the DOM lib even on Node
// (mswjs/msw#408): with `testing` in the program and no DOM lib, skipLibCheck: false reports ~60
// errors, all inside those. So the runs that import `testing` have the DOM lib, and the
// Node-only run leaves `testing` out instead of skipping lib checks.
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
  'node16-no-dom': SPECIFIERS.filter((specifier) => specifier !== 'phone-binding/testing').flatMap(
    (specifier) => ['.d.ts', '.d.cts'].map((ext) => `dist/${ENTRIES[specifier].file}${ext}`),
  ),
};
type TsconfigName = keyof typeof TSCONFIGS;

// ---------------------------------------------------------------------------------------------

let tmp: string | undefined;
let consumer: string;
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
  await mkdir(consumer);
  await writeFile(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  steps.push(await install(consumer, tarball, pkg));

  await writeFile(join(consumer, 'esm-check.mjs'), ESM_CHECK);
  await writeFile(join(consumer, 'cjs-check.cjs'), CJS_CHECK);
  await writeFile(join(consumer, 'cross-check.mjs'), CROSS_CHECK);
  await writeFile(join(consumer, 'index.ts'), CONSUMER_TS);
  await writeFile(join(consumer, 'index.cts'), CONSUMER_CTS);
  await writeFile(join(consumer, 'node-only.ts'), NODE_ONLY_TS);
  await writeFile(join(consumer, 'node-only.cts'), NODE_ONLY_CTS);
  for (const [name, tsconfig] of Object.entries(TSCONFIGS)) {
    await writeFile(join(consumer, `tsconfig.${name}.json`), `${JSON.stringify(tsconfig, null, 2)}\n`);
  }
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
      const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
      const { code, stdout } = await tryRun(
        process.execPath,
        [tsc, '-p', `tsconfig.${name}.json`, '--listFiles'],
        consumer,
      );
      // --listFiles prints absolute paths; everything else is a diagnostic.
      const lines = stdout.split('\n').filter((line) => line.trim().length > 0);
      const files = lines.filter((line) => isAbsolute(line));
      expect(lines.filter((line) => !isAbsolute(line)).join('\n')).toBe('');
      expect(code).toBe(0);
      // It read the package's own declarations: .d.cts for require, .d.ts for import.
      const declarations = files
        .filter((line) => line.includes('/node_modules/phone-binding/'))
        .map((line) => line.replace(/^.*\/node_modules\/phone-binding\//, ''));
      expect(declarations).toEqual(expect.arrayContaining(EXPECTED_DECLARATIONS[name]));
      const wanted = new Set(EXPECTED_DECLARATIONS[name].map((file) => file.slice(file.indexOf('.'))));
      expect(declarations.filter((file) => ![...wanted].some((ext) => file.endsWith(ext)))).toEqual([]);
    },
  );
});
