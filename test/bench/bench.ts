/**
 * Benchmarks, run by `npm run bench`. A report, never a pass/fail test: it exits 0 unless
 * something crashes.
 *
 * 1. Per-call latency of `bind` and `verify` of every adapter against ONE loopback fake server
 *    (`fakes.listen()`), next to a raw `fetch` that sends the identical request (same method, URL
 *    with query, headers and body; checked below against what the adapter really sends), in the
 *    same run, interleaved (SDK call, raw call, SDK call, …) after a warm-up. Every iteration uses
 *    its own user and number, so each does the same work; verify consumes the pending bindings
 *    the bind phase left (codes are looked up before the timed section).
 * 2. `normalizePhoneNumber` throughput on a mixed list of notations.
 * 3. Cold `import()` time of each built entry, each in a fresh `node` process, next to reference
 *    imports (a one-line module: the loader's floor; each dependency; all three) that show how
 *    much of it is the package's own code.
 *
 * 4. The migration benchmark of `./migrate.ts` (`npm run bench:migrate` runs it alone).
 *
 * Prints a table and writes the same numbers as JSON to `.tmp/bench.json` (the migration's to
 * `.tmp/bench-migrate.json`).
 * `BENCH_ITERATIONS` (default 300) and `BENCH_WARMUP` (default 50) change the iteration counts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { authing } from '../../adapters/authing/index.js';
import { CLERK_API_VERSION, clerk } from '../../adapters/clerk/index.js';
import { etna } from '../../adapters/etna/index.js';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import {
  type BindInput,
  normalizePhoneNumber,
  type PhoneBinding,
  type PhoneNumber,
  type ProviderId,
  type VerificationTicket,
} from '../../src/index.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';
import { runMigrateBench } from './migrate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ITERATIONS = positiveInt(process.env.BENCH_ITERATIONS, 300);
const WARMUP = positiveInt(process.env.BENCH_WARMUP, 50);
const TARGET_RATIO = 1.05;
const TARGET_IMPORT_MS = 25;
const IMPORT_RUNS = 5;
const NORMALIZE_MIN_MS = 1_000;
const ENTRIES = ['index', 'etna', 'authing', 'zitadel', 'clerk', 'all'] as const;

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

// --- statistics ------------------------------------------------------------------------------

interface Stats {
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: median(sorted),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    min: sorted[0]!,
    max: sorted.at(-1)!,
  };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

// --- numbers ---------------------------------------------------------------------------------

let numberCounter = 0;
/** A fresh Swiss mobile number, +41 79 1xx xx xx, as a person would type it, checked valid. */
function freshNumber(): { input: string; phone: PhoneNumber } {
  const d = String(numberCounter++).padStart(6, '0');
  if (d.length > 6) throw new Error('ran out of +41 79 1xx xx xx numbers');
  const input = `+41 79 1${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)}`;
  return { input, phone: normalizePhoneNumber(input) };
}

// --- raw fetch -------------------------------------------------------------------------------

type Fetch = typeof fetch;

/** One raw request: send it, read the body, parse JSON (what any hand-written client does). */
async function raw(
  f: Fetch,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Record<string, unknown>> {
  const response = await f(url, body === undefined ? { method, headers } : { method, headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`raw ${method} ${url} answered ${response.status}: ${text}`);
  return (text.length === 0 ? {} : JSON.parse(text)) as Record<string, unknown>;
}

// --- scenarios -------------------------------------------------------------------------------

/** One iteration's state on one side (SDK or raw). */
interface Slot {
  /** SDK side: the adapter (one per user for user-scope adapters, shared otherwise). */
  binding: PhoneBinding;
  userId: string;
  /** The user's own token (user-scope adapters). */
  token: string;
  input: string;
  phone: PhoneNumber;
  /** SDK side: the bind's ticket. */
  ticket?: VerificationTicket;
  /** Raw side: ids the backend answered with (token id, phone-number id, verification id). */
  ids: Record<string, string>;
  code?: string;
}

interface Scenario {
  id: ProviderId;
  /** Creates a user and a number (and, for user-scope adapters, the adapter): untimed. */
  slot(fetchImpl?: Fetch): Slot;
  bindInput(slot: Slot): BindInput;
  rawBind(slot: Slot, f: Fetch): Promise<void>;
  rawVerify(slot: Slot, f: Fetch): Promise<void>;
  /** Ids the ticket of an SDK bind holds, named as `rawBind` names them. */
  ticketIds(ticket: VerificationTicket): Record<string, string>;
}

const json = { accept: 'application/json', 'content-type': 'application/json' };

/** One raw JSON request: `headers` plus the JSON content headers, with `body` serialized. */
function rawJson(
  f: Fetch,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Record<string, unknown>> {
  return raw(f, method, url, { ...json, ...headers }, JSON.stringify(body));
}

function scenarios(fakes: FakeBackends, server: FakeServer): Scenario[] {
  const { urls } = server;
  const shared = new Map<string, PhoneBinding>();
  /** A slot of `binding` for the user (and their token), with a fresh number. */
  const slotOf = (userId: string, token: string, binding: PhoneBinding): Slot => ({
    binding,
    userId,
    token,
    ids: {},
    ...freshNumber(),
  });
  /**
   * What an admin-scope adapter's scenario shares: each slot is a new user of that fake; one
   * adapter serves every slot, unless the slot brings its own fetch (the identity check), which
   * then gets one of its own; bind names the user.
   */
  const adminScenario = (
    id: 'etna' | 'zitadel' | 'clerk',
    make: (extra: { fetch?: Fetch }) => PhoneBinding,
  ): Pick<Scenario, 'id' | 'slot' | 'bindInput'> => ({
    id,
    slot(fetchImpl) {
      const { userId } = fakes[id].createUser();
      if (fetchImpl) return slotOf(userId, '', make({ fetch: fetchImpl }));
      const binding = shared.get(id) ?? make({});
      shared.set(id, binding);
      return slotOf(userId, '', binding);
    },
    bindInput: (s) => ({ userId: s.userId, phoneNumber: s.input }),
  });
  /** The fetch option of a user-scope adapter, when the slot brings its own fetch. */
  const withFetch = (fetchImpl?: Fetch) => (fetchImpl ? { fetch: fetchImpl } : {});

  const etnaHeaders = {
    accept: 'application/json',
    authorization: `Bearer ${fakes.etna.adminToken}`,
    'et-app-key': fakes.etna.appKey,
  };
  const etnaPhone = (s: Slot) => `${urls.etna}/v1.0/users/${s.userId}/subscriptions/settings/phonenumber`;
  const etnaScenario: Scenario = {
    ...adminScenario('etna', (extra) =>
      etna({ baseUrl: urls.etna, token: fakes.etna.adminToken, appKey: fakes.etna.appKey, ...extra }),
    ),
    async rawBind(s, f) {
      const query = new URLSearchParams({ phoneNumber: s.phone.e164 });
      const body = await raw(f, 'PUT', `${etnaPhone(s)}?${query}`, etnaHeaders);
      s.ids.tokenId = String(body.m_Item2);
    },
    async rawVerify(s, f) {
      const query = new URLSearchParams({ tokenValue: s.code! });
      const body = await raw(f, 'PUT', `${etnaPhone(s)}/token/${s.ids.tokenId}?${query}`, etnaHeaders);
      if (body.PhoneNumberState !== 'Active') throw new Error('raw etna verify did not activate');
    },
    ticketIds: (t) => ({ tokenId: String(t.data?.tokenId) }),
  };

  const authingHeaders = (s: Slot) => ({
    accept: 'application/json',
    authorization: s.token,
    'x-authing-app-id': fakes.authing.appId,
  });
  const authingScenario: Scenario = {
    id: 'authing',
    slot(fetchImpl) {
      const { userId, token } = fakes.authing.createUser();
      const binding = authing({
        baseUrl: urls.authing,
        appId: fakes.authing.appId,
        accessToken: token,
        ...withFetch(fetchImpl),
      });
      return slotOf(userId, token, binding);
    },
    bindInput: (s) => ({ phoneNumber: s.input }),
    async rawBind(s, f) {
      const profile = await raw(f, 'GET', `${urls.authing}/api/v3/get-profile`, authingHeaders(s));
      const data = profile.data as { phone?: string | null } | undefined;
      if (profile.statusCode !== 200 || data?.phone) throw new Error('raw authing profile failed');
      const sent = await rawJson(f, 'POST', `${urls.authing}/api/v3/send-sms`, authingHeaders(s), {
        phoneNumber: s.phone.nationalNumber,
        phoneCountryCode: `+${s.phone.countryCallingCode}`,
        channel: 'CHANNEL_BIND_PHONE',
      });
      if (sent.statusCode !== 200) throw new Error('raw authing send-sms failed');
    },
    async rawVerify(s, f) {
      const body = await rawJson(f, 'POST', `${urls.authing}/api/v3/bind-phone`, authingHeaders(s), {
        phoneNumber: s.phone.nationalNumber,
        passCode: s.code,
        phoneCountryCode: `+${s.phone.countryCallingCode}`,
      });
      if (body.statusCode !== 200) throw new Error('raw authing bind-phone failed');
    },
    ticketIds: () => ({}),
  };

  const zitadelAdmin = { authorization: `Bearer ${fakes.zitadel.adminToken}` };
  const zitadelScenario: Scenario = {
    ...adminScenario('zitadel', (extra) =>
      zitadel({ baseUrl: urls.zitadel, token: fakes.zitadel.adminToken, ...extra }),
    ),
    async rawBind(s, f) {
      const body = { phone: s.phone.e164, sendCode: {} };
      await rawJson(f, 'POST', `${urls.zitadel}/v2/users/${s.userId}/phone`, zitadelAdmin, body);
    },
    async rawVerify(s, f) {
      const body = { verificationCode: s.code };
      await rawJson(f, 'POST', `${urls.zitadel}/v2/users/${s.userId}/phone/verify`, zitadelAdmin, body);
    },
    ticketIds: () => ({}),
  };

  const zitadelSelfScenario: Scenario = {
    id: 'zitadel-self',
    slot(fetchImpl) {
      const { userId, token } = fakes.zitadel.createUser();
      return slotOf(userId, token, zitadelSelf({ baseUrl: urls.zitadel, token, ...withFetch(fetchImpl) }));
    },
    bindInput: (s) => ({ phoneNumber: s.input }),
    async rawBind(s, f) {
      const headers = { authorization: `Bearer ${s.token}` };
      await rawJson(f, 'PUT', `${urls.zitadel}/auth/v1/users/me/phone`, headers, { phone: s.phone.e164 });
    },
    async rawVerify(s, f) {
      const headers = { authorization: `Bearer ${s.token}` };
      await rawJson(f, 'POST', `${urls.zitadel}/auth/v1/users/me/phone/_verify`, headers, { code: s.code });
    },
    ticketIds: () => ({}),
  };

  const clerkHeaders = {
    accept: 'application/json',
    authorization: `Bearer ${fakes.clerk.secretKey}`,
    'clerk-api-version': CLERK_API_VERSION,
  };
  const clerkScenario: Scenario = {
    ...adminScenario('clerk', (extra) =>
      clerk({ baseUrl: urls.clerk, secretKey: fakes.clerk.secretKey, ...extra }),
    ),
    async rawBind(s, f) {
      const created = await rawJson(f, 'POST', `${urls.clerk}/v1/phone_numbers`, clerkHeaders, {
        user_id: s.userId,
        phone_number: s.phone.e164,
        verified: false,
      });
      const phoneNumberId = String(created.id);
      const verification = await raw(
        f,
        'POST',
        `${urls.clerk}/v1/phone_numbers/${phoneNumberId}/prepare_verification`,
        clerkHeaders,
      );
      s.ids.phoneNumberId = phoneNumberId;
      s.ids.verificationId = String(verification.id);
    },
    async rawVerify(s, f) {
      const body = await rawJson(
        f,
        'POST',
        `${urls.clerk}/v1/phone_numbers/${s.ids.phoneNumberId}/attempt_verification`,
        clerkHeaders,
        { verification_id: s.ids.verificationId, code: s.code },
      );
      if (body.status !== 'verified') throw new Error('raw clerk verify did not verify');
    },
    ticketIds: (t) => ({
      phoneNumberId: String(t.data?.phoneNumberId),
      verificationId: String(t.data?.verificationId),
    }),
  };

  return [etnaScenario, authingScenario, zitadelScenario, zitadelSelfScenario, clerkScenario];
}

async function sdkBind(scenario: Scenario, slot: Slot): Promise<void> {
  const result = await slot.binding.bind(scenario.bindInput(slot));
  if (result.state !== 'pending') throw new Error(`${scenario.id} bind did not answer pending`);
  slot.ticket = result.ticket;
}

async function sdkVerify(slot: Slot): Promise<void> {
  const result = await slot.binding.verify({ ticket: slot.ticket!, code: slot.code! });
  if (result.state !== 'verified') throw new Error('verify did not answer verified');
}

// --- identity check: the raw request is the adapter's request ---------------------------------

interface Captured {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string;
}

function capturing(log: Captured[]): Fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? await request.clone().text() : '';
    log.push({ method: request.method, url: request.url, headers: [...request.headers], body });
    return fetch(request);
  };
}

/** Replaces one slot's own values (user, token, number, ids, code) with placeholders. */
function placeholders(slot: Slot, captured: Captured[]): Captured[] {
  const values: Array<[string, string]> = [
    [slot.userId, '<userId>'],
    [slot.token, '<token>'],
    [slot.phone.e164, '<e164>'],
    [encodeURIComponent(slot.phone.e164), '<e164>'],
    [slot.phone.nationalNumber, '<national>'],
    [slot.code ?? '', '<code>'],
    ...Object.entries(slot.ids).map(([name, value]): [string, string] => [value, `<${name}>`]),
  ];
  const known = values.filter(([value]) => value.length > 0).sort((a, b) => b[0].length - a[0].length);
  const clean = (text: string) => known.reduce((out, [value, name]) => out.split(value).join(name), text);
  return captured.map((c) => ({
    method: c.method,
    url: clean(c.url),
    headers: c.headers.map(([name, value]): [string, string] => [name, clean(value)]),
    body: clean(c.body),
  }));
}

interface IdentityResult {
  adapter: ProviderId;
  requests: number;
  identical: boolean;
  difference?: string;
}

async function checkIdentity(scenario: Scenario, fakes: FakeBackends): Promise<IdentityResult> {
  const sdkLog: Captured[] = [];
  const rawLog: Captured[] = [];
  const sdkSlot = scenario.slot(capturing(sdkLog));
  const rawSlot = scenario.slot();
  await sdkBind(scenario, sdkSlot);
  Object.assign(sdkSlot.ids, scenario.ticketIds(sdkSlot.ticket!));
  await scenario.rawBind(rawSlot, capturing(rawLog));
  sdkSlot.code = fakes.lastCode(sdkSlot.phone.e164);
  rawSlot.code = fakes.lastCode(rawSlot.phone.e164);
  await sdkVerify(sdkSlot);
  await scenario.rawVerify(rawSlot, capturing(rawLog));
  const a = JSON.stringify(placeholders(sdkSlot, sdkLog), null, 1);
  const b = JSON.stringify(placeholders(rawSlot, rawLog), null, 1);
  if (a === b) return { adapter: scenario.id, requests: sdkLog.length, identical: true };
  const lines = [a.split('\n'), b.split('\n')] as const;
  const at = lines[0].findIndex((line, i) => line !== lines[1][i]);
  return {
    adapter: scenario.id,
    requests: sdkLog.length,
    identical: false,
    difference: `sdk: ${lines[0][at]?.trim()} / raw: ${lines[1][at]?.trim()}`,
  };
}

// --- latency ---------------------------------------------------------------------------------

interface CallResult {
  adapter: ProviderId;
  operation: 'bind' | 'verify';
  iterations: number;
  warmup: number;
  sdk: Stats;
  raw: Stats;
  /** SDK median / raw median. */
  ratio: number;
  /** SDK median - raw median, in microseconds. */
  overheadUs: number;
}

function result(
  adapter: ProviderId,
  operation: 'bind' | 'verify',
  sdkSamples: number[],
  rawSamples: number[],
): CallResult {
  const sdk = stats(sdkSamples);
  const rawStats = stats(rawSamples);
  const fix = (s: Stats): Stats => ({
    median: round(s.median),
    p99: round(s.p99),
    mean: round(s.mean),
    min: round(s.min),
    max: round(s.max),
  });
  return {
    adapter,
    operation,
    iterations: sdkSamples.length,
    warmup: WARMUP,
    sdk: fix(sdk),
    raw: fix(rawStats),
    ratio: round(sdk.median / rawStats.median),
    overheadUs: round((sdk.median - rawStats.median) * 1000, 1),
  };
}

/**
 * `total` rounds of one SDK call then one raw call, each timed on its own; the samples of the
 * rounds after the warm-up.
 */
async function interleaved(
  total: number,
  sdkCall: (i: number) => Promise<void>,
  rawCall: (i: number) => Promise<void>,
): Promise<{ sdk: number[]; raw: number[] }> {
  const samples = { sdk: [] as number[], raw: [] as number[] };
  for (let i = 0; i < total; i += 1) {
    let t = performance.now();
    await sdkCall(i);
    const sdkMs = performance.now() - t;
    t = performance.now();
    await rawCall(i);
    const rawMs = performance.now() - t;
    if (i >= WARMUP) {
      samples.sdk.push(sdkMs);
      samples.raw.push(rawMs);
    }
  }
  return samples;
}

async function benchScenario(scenario: Scenario, fakes: FakeBackends): Promise<CallResult[]> {
  const total = WARMUP + ITERATIONS;
  // Everything an iteration needs exists before the timed loop: users, numbers, adapters.
  const sdkSlots = Array.from({ length: total }, () => scenario.slot());
  const rawSlots = Array.from({ length: total }, () => scenario.slot());
  const f: Fetch = globalThis.fetch;

  const bind = await interleaved(
    total,
    (i) => sdkBind(scenario, sdkSlots[i]!),
    (i) => scenario.rawBind(rawSlots[i]!, f),
  );

  // Every pending binding gets its code now, outside the timed loop.
  for (const slot of [...sdkSlots, ...rawSlots]) {
    slot.code = fakes.lastCode(slot.phone.e164);
    if (!slot.code) throw new Error(`${scenario.id}: no code was sent to a bound number`);
  }

  const verify = await interleaved(
    total,
    (i) => sdkVerify(sdkSlots[i]!),
    (i) => scenario.rawVerify(rawSlots[i]!, f),
  );
  return [
    result(scenario.id, 'bind', bind.sdk, bind.raw),
    result(scenario.id, 'verify', verify.sdk, verify.raw),
  ];
}

// --- normalization throughput ----------------------------------------------------------------

const NOTATIONS: Array<[string, string | undefined]> = [
  ['+41 79 123 45 67', undefined],
  ['0041791234567', undefined],
  ['tel:+41-79-123-45-67', undefined],
  ['(079) 123 45 67', 'CH'],
  ['+1 (213) 373-4253', undefined],
  ['(213) 373-4253', 'US'],
  ['+86 188 0000 8888', undefined],
  ['+49 1512 3456789', undefined],
  ['07911 123456', 'GB'],
  ['+33 6 12 34 56 78', undefined],
  ['+81 90-1234-5678', undefined],
  ['+41.79.123.45.67', undefined],
];

function normalizationThroughput() {
  const list = NOTATIONS.map(([input, defaultCountry]) => ({
    input,
    options: defaultCountry ? { defaultCountry } : {},
  }));
  for (const { input, options } of list) normalizePhoneNumber(input, options); // all valid, and warm
  let count = 0;
  let sink = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < NORMALIZE_MIN_MS) {
    for (let r = 0; r < 50; r += 1) {
      for (const { input, options } of list) sink += normalizePhoneNumber(input, options).e164.length;
    }
    count += 50 * list.length;
    elapsed = performance.now() - started;
  }
  if (sink === 0) throw new Error('unreachable');
  return {
    notations: NOTATIONS.map(([input, country]) => (country ? `${input} (${country})` : input)),
    numbers: count,
    durationMs: round(elapsed, 1),
    numbersPerSecond: Math.round((count / elapsed) * 1000),
    usPerNumber: round((elapsed * 1000) / count, 2),
  };
}

// --- cold import -----------------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (/\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuild(): { built: boolean; stale: boolean } {
  const dist = join(ROOT, 'dist');
  const missing = ENTRIES.some((entry) => !existsSync(join(dist, `${entry}.js`)));
  if (missing) {
    console.log('dist/ is missing: npm run build …');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    return { built: true, stale: false };
  }
  const source = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'adapters')));
  const oldest = Math.min(...ENTRIES.map((entry) => statSync(join(dist, `${entry}.js`)).mtimeMs));
  return { built: false, stale: source > oldest };
}

/** What each fresh process imports: the built entries, then references that show the floor. */
const IMPORT_TARGETS: Array<{ name: string; specifiers: string[]; reference: boolean }> = [
  ...ENTRIES.map((entry) => ({
    name: `dist/${entry}.js`,
    specifiers: [pathToFileURL(join(ROOT, 'dist', `${entry}.js`)).href],
    reference: false,
  })),
  // Any first import() pays for the ESM loader: the floor on this machine.
  {
    name: '(ref) one-line module',
    specifiers: ['data:text/javascript,export%20default%201'],
    reference: true,
  },
  { name: '(ref) ky', specifiers: ['ky'], reference: true },
  { name: '(ref) zod/mini', specifiers: ['zod/mini'], reference: true },
  { name: '(ref) libphonenumber-js/min', specifiers: ['libphonenumber-js/min'], reference: true },
  {
    name: '(ref) all three dependencies',
    specifiers: ['ky', 'zod/mini', 'libphonenumber-js/min'],
    reference: true,
  },
];

function coldImports() {
  const env = { ...process.env };
  // tsx runs this script through a loader; the child must be a plain node.
  delete env.NODE_OPTIONS;
  const runs = new Map<string, number[]>(IMPORT_TARGETS.map((target) => [target.name, []]));
  // Round-robin, so drift (page cache, CPU frequency) spreads over every target alike.
  for (let r = 0; r < IMPORT_RUNS; r += 1) {
    for (const target of IMPORT_TARGETS) {
      const imports = target.specifiers.map((specifier) => `import(${JSON.stringify(specifier)})`).join(', ');
      const code = `const t = performance.now(); await Promise.all([${imports}]); process.stdout.write(String(performance.now() - t));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { env, cwd: ROOT });
      runs.get(target.name)!.push(Number(out.toString()));
    }
  }
  return IMPORT_TARGETS.map((target) => {
    const ms = runs.get(target.name)!;
    return {
      entry: target.name,
      reference: target.reference,
      medianMs: round(median(ms), 2),
      runsMs: ms.map((v) => round(v, 2)),
    };
  });
}

// --- report ----------------------------------------------------------------------------------

function table(headers: string[], rows: string[][], right: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `phone-binding bench — node ${process.version}, ${os.cpus().length} CPU(s), ` +
      `${ITERATIONS} iterations per adapter per operation after ${WARMUP} warm-up\n`,
  );

  const fakes = createFakeBackends();
  const server = await fakes.listen();
  const calls: CallResult[] = [];
  const identity: IdentityResult[] = [];
  try {
    const all = scenarios(fakes, server);
    for (const scenario of all) identity.push(await checkIdentity(scenario, fakes));
    for (const scenario of all) {
      process.stdout.write(`  ${scenario.id} …`);
      const t = performance.now();
      calls.push(...(await benchScenario(scenario, fakes)));
      process.stdout.write(` ${round((performance.now() - t) / 1000, 1)} s\n`);
    }
  } finally {
    await server.close();
  }

  const normalization = normalizationThroughput();
  const build = ensureBuild();
  const imports = coldImports();

  const ms = (v: number) => v.toFixed(3);
  console.log('\nPer-call latency, ms (SDK vs raw fetch of the identical request, interleaved)\n');
  console.log(
    table(
      ['adapter', 'op', 'n', 'SDK median', 'SDK p99', 'raw median', 'raw p99', 'ratio', 'Δ median µs', ''],
      calls.map((c) => [
        c.adapter,
        c.operation,
        String(c.iterations),
        ms(c.sdk.median),
        ms(c.sdk.p99),
        ms(c.raw.median),
        ms(c.raw.p99),
        c.ratio.toFixed(3),
        c.overheadUs.toFixed(0),
        c.ratio <= TARGET_RATIO ? 'ok' : `> ${TARGET_RATIO}`,
      ]),
      [false, false, true, true, true, true, true, true, true, false],
    ),
  );
  console.log(
    `\nRaw request identical to the adapter's: ${identity
      .map((i) => `${i.adapter} ${i.identical ? `yes (${i.requests} requests)` : `NO — ${i.difference}`}`)
      .join(', ')}`,
  );
  console.log(
    `\nnormalizePhoneNumber: ${normalization.numbersPerSecond.toLocaleString('en-US')} numbers/s ` +
      `(${normalization.usPerNumber} µs each; ${normalization.numbers.toLocaleString('en-US')} numbers ` +
      `in ${normalization.durationMs} ms, ${NOTATIONS.length} notations)`,
  );
  console.log(
    `\nCold import() in a fresh node process, ms (median of ${IMPORT_RUNS}; target ≤ ${TARGET_IMPORT_MS})` +
      `${build.built ? ' — dist built now' : ''}${build.stale ? ' — WARNING: dist is older than the sources, run npm run build' : ''}\n`,
  );
  console.log(
    table(
      ['entry', 'median', 'runs', ''],
      imports.map((i) => [
        i.entry,
        i.medianMs.toFixed(2),
        i.runsMs.map((v) => v.toFixed(1)).join(' '),
        i.reference ? '' : i.medianMs <= TARGET_IMPORT_MS ? 'ok' : `> ${TARGET_IMPORT_MS}`,
      ]),
      [false, true, false, false],
    ),
  );

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    iterations: ITERATIONS,
    warmup: WARMUP,
    targets: { ratio: TARGET_RATIO, importMs: TARGET_IMPORT_MS },
    calls,
    identity,
    normalization,
    imports: { ...build, runs: IMPORT_RUNS, entries: imports },
    durationS: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  writeFileSync(join(ROOT, '.tmp', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nJSON: .tmp/bench.json (whole run ${report.durationS} s)`);
  await runMigrateBench();
}

await main();
