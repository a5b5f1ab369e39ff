/**
 * Fault injection over real HTTP on 127.0.0.1: every adapter, every fault, on the request that
 * sends the SMS (bind), on a read (get) and on the request that checks the code (verify). Each
 * case checks the documented error (code and `retryable`), that nothing rejects unhandled, and the
 * exact number of requests the retry policy allows, counted at the fake server: one SMS-sending
 * request per bind and one code check per verify whatever the fault, and 1 + `retry` for a read.
 *
 * Every case gets its own fakes and loopback server, so the cases run concurrently and the file
 * stays fast although some of them wait out a real `Retry-After: 1`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { authing } from '../../adapters/authing/index.js';
import { clerk } from '../../adapters/clerk/index.js';
import { cognito } from '../../adapters/cognito/index.js';
import { etna } from '../../adapters/etna/index.js';
import { supabase } from '../../adapters/supabase/index.js';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import {
  type CallOptions,
  isPhoneBindingError,
  type PhoneBinding,
  type PhoneBindingErrorCode,
} from '../../src/index.js';
import {
  createFakeBackends,
  type FakeBackendId,
  type FakeBackends,
  type FakeServer,
  type Fault,
  type RecordedRequest,
} from '../../src/testing/index.js';

// ---------------------------------------------------------------------------------------------
// Unhandled rejections: vitest fails the run on them; this listener also proves there were none.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
};
process.on('unhandledRejection', onUnhandled);

const totals = { faults: 0, requests: 0 };

afterAll(async () => {
  // Let anything still settling (aborted sockets, timers) surface before the verdict.
  await new Promise((resolve) => setTimeout(resolve, 100));
  process.off('unhandledRejection', onUnhandled);
  console.log(
    `faults: ${totals.faults} injected across ${ADAPTERS.length} adapters, ${totals.requests} requests counted, ` +
      `${unhandled.length} unhandled rejections`,
  );
  expect(unhandled).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// The adapters, wired to the loopback fakes.

/** A request the test counts: backend, method and path (below the backend's mount point). */
interface Target {
  backend: FakeBackendId;
  method: string;
  path: string | RegExp;
  /** What method and path cannot tell (Cognito's operation, in `x-amz-target`). */
  when?: (request: RecordedRequest) => boolean;
}

/** Cognito's requests are all `POST /`, told apart by the operation they name. */
function cognitoCall(operation: string): Target {
  const header = `AWSCognitoIdentityProviderService.${operation}`;
  return { backend: 'cognito', method: 'POST', path: '/', when: (r) => r.headers['x-amz-target'] === header };
}

type Kind = 'sms' | 'read' | 'verify';

interface AdapterOptions {
  timeout?: number;
  retry: number;
  deadline?: number;
}

interface Env {
  /** The adapter under test, with the case's options. */
  binding: PhoneBinding;
  /** The same user's adapter with default options, to set up a verify case without the fault's limits. */
  plain: PhoneBinding;
  userId?: string;
  /** Phone records the backend holds for the user. */
  records(): number;
  /** Whether the backend holds the user's number as verified. */
  verified(): boolean;
}

interface AdapterCase {
  name: string;
  /** A fresh user on `fakes` and an adapter for them at `server`. */
  setup(fakes: FakeBackends, server: FakeServer, options: AdapterOptions): Env;
  /** The request of `bind()` that makes the backend send the SMS. */
  sms: Target;
  /** The request of `get()`. */
  read: Target;
  /** The request of `verify()` that checks the code. */
  verify: Target;
}

type Make = (more: Partial<AdapterOptions>) => PhoneBinding;

/** The Env of the adapter `make` builds: with the case's options, and `plain` with defaults. */
function envOf(make: Make, options: AdapterOptions, user: Omit<Env, 'binding' | 'plain'>): Env {
  return { binding: make(options), plain: make({}), ...user };
}

/** What the Zitadel fake holds for a user (both Zitadel adapters). */
function zitadelHolds(fakes: FakeBackends, userId: string): Pick<Env, 'records' | 'verified'> {
  return {
    records: () => (fakes.zitadel.user(userId)?.phone ? 1 : 0),
    verified: () => fakes.zitadel.user(userId)?.isVerified === true,
  };
}

const ADAPTERS: AdapterCase[] = [
  {
    name: 'etna',
    setup(fakes, server, options) {
      const { userId } = fakes.etna.createUser();
      const make: Make = (more) =>
        etna({ baseUrl: server.urls.etna, token: fakes.etna.adminToken, appKey: fakes.etna.appKey, ...more });
      return envOf(make, options, {
        userId,
        records: () => (fakes.etna.user(userId)?.phone ? 1 : 0),
        verified: () => fakes.etna.user(userId)?.state === 'Active',
      });
    },
    // A PUT, but it sends the SMS: never retried.
    sms: {
      backend: 'etna',
      method: 'PUT',
      path: /^\/v1\.0\/users\/\d+\/subscriptions\/settings\/phonenumber$/,
    },
    read: {
      backend: 'etna',
      method: 'GET',
      path: /^\/v1\.0\/users\/\d+\/subscriptions\/settings\/phonenumber$/,
    },
    verify: {
      backend: 'etna',
      method: 'PUT',
      path: /^\/v1\.0\/users\/\d+\/subscriptions\/settings\/phonenumber\/token\/\d+$/,
    },
  },
  {
    name: 'authing',
    setup(fakes, server, options) {
      const { userId, token } = fakes.authing.createUser();
      const make: Make = (more) =>
        authing({ baseUrl: server.urls.authing, accessToken: token, appId: fakes.authing.appId, ...more });
      return envOf(make, options, {
        records: () => (fakes.authing.user(userId)?.phone ? 1 : 0),
        verified: () => fakes.authing.user(userId)?.phoneVerified === true,
      });
    },
    // bind() reads the profile first, then sends the SMS.
    sms: { backend: 'authing', method: 'POST', path: '/api/v3/send-sms' },
    read: { backend: 'authing', method: 'GET', path: '/api/v3/get-profile' },
    verify: { backend: 'authing', method: 'POST', path: '/api/v3/bind-phone' },
  },
  {
    name: 'zitadel',
    setup(fakes, server, options) {
      const { userId } = fakes.zitadel.createUser();
      const make: Make = (more) =>
        zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken, ...more });
      return envOf(make, options, { userId, ...zitadelHolds(fakes, userId) });
    },
    sms: { backend: 'zitadel', method: 'POST', path: /^\/v2\/users\/[^/]+\/phone$/ },
    read: { backend: 'zitadel', method: 'GET', path: /^\/v2\/users\/[^/]+$/ },
    verify: { backend: 'zitadel', method: 'POST', path: /^\/v2\/users\/[^/]+\/phone\/verify$/ },
  },
  {
    name: 'zitadelSelf',
    setup(fakes, server, options) {
      const { userId, token } = fakes.zitadel.createUser();
      const make: Make = (more) => zitadelSelf({ baseUrl: server.urls.zitadel, token, ...more });
      return envOf(make, options, zitadelHolds(fakes, userId));
    },
    sms: { backend: 'zitadel', method: 'PUT', path: '/auth/v1/users/me/phone' },
    read: { backend: 'zitadel', method: 'GET', path: '/auth/v1/users/me/phone' },
    verify: { backend: 'zitadel', method: 'POST', path: '/auth/v1/users/me/phone/_verify' },
  },
  {
    name: 'clerk',
    setup(fakes, server, options) {
      const { userId } = fakes.clerk.createUser();
      const make: Make = (more) =>
        clerk({ baseUrl: server.urls.clerk, secretKey: fakes.clerk.secretKey, ...more });
      // bind() creates the number, then prepare_verification sends the SMS; when that fails, the
      // fresh unverified number must be deleted again.
      return envOf(make, options, {
        userId,
        records: () => fakes.clerk.user(userId)?.phone_numbers.length ?? 0,
        verified: () =>
          fakes.clerk
            .user(userId)
            ?.phone_numbers.some((phone) => phone.verification?.status === 'verified') === true,
      });
    },
    sms: { backend: 'clerk', method: 'POST', path: /^\/v1\/phone_numbers\/[^/]+\/prepare_verification$/ },
    read: { backend: 'clerk', method: 'GET', path: /^\/v1\/users\/[^/]+$/ },
    verify: { backend: 'clerk', method: 'POST', path: /^\/v1\/phone_numbers\/[^/]+\/attempt_verification$/ },
  },
  {
    name: 'supabase',
    setup(fakes, server, options) {
      const { userId, accessToken } = fakes.supabase.createUser();
      const make: Make = (more) =>
        supabase({
          baseUrl: server.urls.supabase,
          apiKey: fakes.supabase.publishableKey,
          accessToken,
          ...more,
        });
      return envOf(make, options, {
        records: () => {
          const user = fakes.supabase.user(userId);
          return user?.phone || user?.newPhone ? 1 : 0;
        },
        verified: () => fakes.supabase.user(userId)?.phoneConfirmed === true,
      });
    },
    // bind() reads the user first, then PUT /user sends the phone_change SMS.
    sms: { backend: 'supabase', method: 'PUT', path: '/auth/v1/user' },
    read: { backend: 'supabase', method: 'GET', path: '/auth/v1/user' },
    verify: { backend: 'supabase', method: 'POST', path: '/auth/v1/verify' },
  },
  {
    name: 'cognito',
    setup(fakes, server, options) {
      const { userId, accessToken } = fakes.cognito.createUser();
      const make: Make = (more) => cognito({ baseUrl: server.urls.cognito, accessToken, ...more });
      return envOf(make, options, {
        records: () => (fakes.cognito.user(userId)?.phone ? 1 : 0),
        verified: () => fakes.cognito.user(userId)?.verified === true,
      });
    },
    sms: cognitoCall('UpdateUserAttributes'),
    read: cognitoCall('GetUser'),
    verify: cognitoCall('VerifyUserAttribute'),
  },
];

// ---------------------------------------------------------------------------------------------
// The faults, and what the policy says about each.

/** A typed error with these fields, or (`accepted`) an answer the adapter's schema allows. */
type Outcome =
  | {
      code: PhoneBindingErrorCode;
      retryable: boolean;
      status?: number;
      retryAfterMs?: number;
      /** Requests of the faulted kind the fake server receives. */
      requests: number;
      /** Least time the call must take (a `Retry-After` waited out). */
      minMs?: number;
      /** Most time the call may take (a deadline or an abort cut it short). */
      maxMs?: number;
      /** The caller's abort reason must be the error's cause. */
      causeIsAbortReason?: boolean;
    }
  | { accepted: true; requests: 1 };

interface FaultCase {
  name: string;
  fault: Omit<Fault, 'backend' | 'method' | 'path' | 'times'>;
  options: AdapterOptions;
  /** Abort the call's own signal once the faulted request has reached the server. */
  abortOnArrival?: boolean;
  /**
   * The call's signal (deadline or abort) is spent when the SMS request fails; Clerk's cleanup
   * DELETE must still go out (it runs outside that signal).
   */
  cutsCleanup?: boolean;
  outcome: Record<Kind, Outcome | ((adapter: string) => Outcome)>;
}

const RETRY = 2;
/** How long a slow answer takes: well past every timeout, deadline and abort below. */
const SLOW_MS = 1500;
const invalidResponse: Outcome = { code: 'invalid_response', retryable: false, status: 200, requests: 1 };
/** invalid_response from the adapter's own check of an answer its schema took: no HTTP status. */
const refusedByAdapter: Outcome = { code: 'invalid_response', retryable: false, requests: 1 };
// A 200 with a foreign object, as each backend's document allows it:
// - Zitadel requires no field of its answers (`details` is optional), so its mutations and its
//   v1 phone read take `{ unexpected: true }` as an answer with nothing in it.
// - Supabase's document marks no field of a User or a session required: a read is a user with
//   no phone, a 2xx from /verify is the code accepted; PUT /user's answer must show the pending
//   number, which the adapter checks itself.
// - Cognito: UpdateUserAttributes' and VerifyUserAttribute's outputs have no required member;
//   GetUser's requires Username and UserAttributes.
// Every other answer the adapters read has a required field.
const ACCEPTED: Outcome = { accepted: true, requests: 1 };
const LENIENT: Record<string, Partial<Record<Kind, Outcome>>> = {
  zitadel: { sms: ACCEPTED, verify: ACCEPTED },
  zitadelSelf: { sms: ACCEPTED, read: ACCEPTED, verify: ACCEPTED },
  supabase: { sms: refusedByAdapter, read: ACCEPTED, verify: ACCEPTED },
  cognito: { sms: ACCEPTED, verify: ACCEPTED },
};
const lenient =
  (kind: Kind) =>
  (adapter: string): Outcome =>
    LENIENT[adapter]?.[kind] ?? invalidResponse;
// Supabase's /verify answer holds a session: it is parsed by hand after its tokens are masked,
// so its refusal is the adapter's (no status).
const notAnObject =
  (kind: Kind) =>
  (adapter: string): Outcome =>
    adapter === 'supabase' && kind === 'verify' ? refusedByAdapter : invalidResponse;

const FAULTS: FaultCase[] = [
  // A 5xx, a timeout or a broken connection on a request that sends an SMS or checks a code may
  // have taken effect: never retried, never "retryable" (reads and deletes keep the usual rule).
  {
    name: '503 with Retry-After: 1',
    fault: { status: 503, headers: { 'retry-after': '1' } },
    options: { retry: RETRY },
    outcome: {
      sms: { code: 'provider_error', retryable: false, status: 503, retryAfterMs: 1000, requests: 1 },
      // Retried `retry` times, each after the 1 s the backend asked for.
      read: {
        code: 'provider_error',
        retryable: true,
        status: 503,
        retryAfterMs: 1000,
        requests: 1 + RETRY,
        minMs: RETRY * 1000 - 50,
      },
      verify: { code: 'provider_error', retryable: false, status: 503, retryAfterMs: 1000, requests: 1 },
    },
  },
  {
    name: 'connection reset',
    fault: { networkError: true },
    options: { retry: RETRY },
    outcome: {
      // The request reached the backend: it may have sent the SMS or checked the code, so asking
      // again is not safe.
      sms: { code: 'network', retryable: false, requests: 1 },
      read: { code: 'network', retryable: true, requests: 1 + RETRY },
      verify: { code: 'network', retryable: false, requests: 1 },
    },
  },
  {
    name: 'delay past the timeout',
    fault: { delayMs: SLOW_MS },
    options: { timeout: 300, retry: RETRY },
    outcome: {
      sms: { code: 'timeout', retryable: false, requests: 1, maxMs: SLOW_MS - 100 },
      // The policy retries network errors, 408, 429 and 5xx; a per-attempt timeout is not among them.
      read: { code: 'timeout', retryable: true, requests: 1, maxMs: SLOW_MS - 100 },
      verify: { code: 'timeout', retryable: false, requests: 1, maxMs: SLOW_MS - 100 },
    },
  },
  {
    name: 'malformed JSON',
    fault: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"broken' },
    options: { retry: RETRY },
    outcome: { sms: invalidResponse, read: invalidResponse, verify: invalidResponse },
  },
  {
    name: 'a non-JSON body',
    fault: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>oops</html>' },
    options: { retry: RETRY },
    outcome: { sms: invalidResponse, read: invalidResponse, verify: invalidResponse },
  },
  {
    name: 'a 200 with [] (breaks every schema)',
    fault: { status: 200, body: [] },
    options: { retry: RETRY },
    outcome: { sms: notAnObject('sms'), read: notAnObject('read'), verify: notAnObject('verify') },
  },
  {
    name: 'a 200 with { unexpected: true }',
    fault: { status: 200, body: { unexpected: true } },
    options: { retry: RETRY },
    outcome: { sms: lenient('sms'), read: lenient('read'), verify: lenient('verify') },
  },
  {
    name: 'a proxy’s HTML 502',
    fault: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' },
    options: { retry: 1 },
    outcome: {
      sms: { code: 'provider_error', retryable: false, status: 502, requests: 1 },
      read: { code: 'provider_error', retryable: true, status: 502, requests: 2 },
      verify: { code: 'provider_error', retryable: false, status: 502, requests: 1 },
    },
  },
  {
    name: '429 with a Retry-After past maxRetryAfter',
    fault: { status: 429, headers: { 'retry-after': '120' } },
    options: { retry: RETRY },
    // Not waited out, not retried: the caller gets the wait to decide on.
    outcome: {
      sms: { code: 'rate_limited', retryable: true, status: 429, retryAfterMs: 120_000, requests: 1 },
      read: { code: 'rate_limited', retryable: true, status: 429, retryAfterMs: 120_000, requests: 1 },
      verify: { code: 'rate_limited', retryable: true, status: 429, retryAfterMs: 120_000, requests: 1 },
    },
  },
  {
    name: 'the operation deadline passing during a slow answer',
    fault: { delayMs: SLOW_MS },
    options: { deadline: 500, retry: RETRY },
    cutsCleanup: true,
    outcome: {
      sms: { code: 'timeout', retryable: false, requests: 1, maxMs: SLOW_MS - 100 },
      read: { code: 'timeout', retryable: true, requests: 1, maxMs: SLOW_MS - 100 },
      verify: { code: 'timeout', retryable: false, requests: 1, maxMs: SLOW_MS - 100 },
    },
  },
  {
    name: 'the operation deadline passing during a Retry-After wait',
    fault: { status: 503, headers: { 'retry-after': '1' } },
    options: { deadline: 500, retry: RETRY },
    outcome: {
      sms: { code: 'provider_error', retryable: false, status: 503, retryAfterMs: 1000, requests: 1 },
      // The wait is cut by the deadline: no second request.
      read: { code: 'timeout', retryable: true, requests: 1, maxMs: SLOW_MS - 100 },
      verify: { code: 'provider_error', retryable: false, status: 503, retryAfterMs: 1000, requests: 1 },
    },
  },
  {
    name: 'the caller’s abort during a slow answer',
    fault: { delayMs: SLOW_MS },
    options: { retry: RETRY },
    abortOnArrival: true,
    cutsCleanup: true,
    outcome: {
      sms: { code: 'network', retryable: false, requests: 1, maxMs: SLOW_MS - 100, causeIsAbortReason: true },
      read: {
        code: 'network',
        retryable: false,
        requests: 1,
        maxMs: SLOW_MS - 100,
        causeIsAbortReason: true,
      },
      verify: {
        code: 'network',
        retryable: false,
        requests: 1,
        maxMs: SLOW_MS - 100,
        causeIsAbortReason: true,
      },
    },
  },
];

// ---------------------------------------------------------------------------------------------

const PHONE = '+41791234567';
const OPERATION: Record<Kind, string> = { sms: 'bind', read: 'get', verify: 'verify' };
const TITLE: Record<Kind, string> = {
  sms: 'the SMS request (bind)',
  read: 'a read (get)',
  verify: 'the code check (verify)',
};

function matches(request: RecordedRequest, target: Target): boolean {
  return (
    request.backend === target.backend &&
    request.method === target.method &&
    (typeof target.path === 'string' ? request.path === target.path : target.path.test(request.path)) &&
    (target.when === undefined || target.when(request))
  );
}

/** The Clerk phone number id a failed bind says it left behind, if any. */
function leftBehind(error: unknown): unknown {
  const details = isPhoneBindingError(error) ? error.details : undefined;
  return typeof details === 'object' && details !== null
    ? (details as { leftUnverifiedPhoneNumberId?: unknown }).leftUnverifiedPhoneNumberId
    : undefined;
}

/** Aborts `controller` with `reason` as soon as `arrived()` holds; the result stops watching. */
function abortWhen(arrived: () => boolean, controller: AbortController, reason: unknown): () => void {
  const watcher = setInterval(() => {
    if (arrived()) {
      clearInterval(watcher);
      controller.abort(reason);
    }
  }, 5);
  return () => clearInterval(watcher);
}

/** Settles `promise` without ever leaving a rejection unhandled. */
async function settle<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

describe.concurrent('fault injection over loopback HTTP', () => {
  for (const adapter of ADAPTERS) {
    for (const faultCase of FAULTS) {
      for (const kind of ['sms', 'read', 'verify'] as const) {
        it(`${adapter.name}: ${faultCase.name} on ${TITLE[kind]}`, async ({ expect }) => {
          const fakes = createFakeBackends();
          const server = await fakes.listen();
          try {
            const env = adapter.setup(fakes, server, faultCase.options);
            const target = adapter[kind];
            const rule = faultCase.outcome[kind];
            const outcome = typeof rule === 'function' ? rule(adapter.name) : rule;
            const userArg = env.userId === undefined ? {} : { userId: env.userId };
            const count = () => fakes.requests.filter((request) => matches(request, target)).length;

            // verify needs a pending bind first (no fault yet) and the code that was sent.
            let call: (options: CallOptions) => Promise<unknown>;
            if (kind === 'verify') {
              const pending = await env.plain.bind({ ...userArg, phoneNumber: PHONE });
              if (pending.state !== 'pending') throw new Error('expected a pending bind');
              const code = fakes.lastCode(PHONE)!;
              call = (options) => env.binding.verify({ ticket: pending.ticket, code }, options);
            } else if (kind === 'sms') {
              call = (options) => env.binding.bind({ ...userArg, phoneNumber: PHONE }, options);
            } else {
              call = (options) => env.binding.get(userArg, options);
            }

            // Far more than the policy may use: the count below proves the SDK stopped by itself.
            fakes.injectFault({ ...faultCase.fault, ...target, times: 100 });
            totals.faults += 1;
            const sentBefore = fakes.outbox.length;
            const countBefore = count();

            const controller = new AbortController();
            const reason = new Error('the user left the page');
            const stop = faultCase.abortOnArrival
              ? abortWhen(() => count() > countBefore, controller, reason)
              : () => undefined;
            const started = performance.now();
            const result = await settle(call(faultCase.abortOnArrival ? { signal: controller.signal } : {}));
            const elapsed = performance.now() - started;
            stop();

            const counted = count() - countBefore;
            totals.requests += counted;

            if ('accepted' in outcome) {
              expect(result.ok, 'the answer fits the adapter’s schema').toBe(true);
            } else {
              expect(result.ok, 'the call must fail').toBe(false);
              const error = result.ok ? undefined : result.error;
              expect(isPhoneBindingError(error), `expected a PhoneBindingError, got ${String(error)}`).toBe(
                true,
              );
              const expected: Record<string, unknown> = {
                code: outcome.code,
                retryable: outcome.retryable,
                provider: env.binding.provider,
                operation: OPERATION[kind],
              };
              if (outcome.status !== undefined) expected.status = outcome.status;
              if (outcome.retryAfterMs !== undefined) expected.retryAfterMs = outcome.retryAfterMs;
              expect(error).toMatchObject(expected);
              if (outcome.causeIsAbortReason) expect((error as Error).cause).toBe(reason);
              if (outcome.minMs !== undefined) expect(elapsed).toBeGreaterThanOrEqual(outcome.minMs);
              if (outcome.maxMs !== undefined) expect(elapsed).toBeLessThan(outcome.maxMs);
            }
            // The exact number of requests the policy allows.
            expect(counted).toBe(outcome.requests);
            // Never a second SMS: at most one per call (none here, since the fault answered instead).
            expect(fakes.outbox.length - sentBefore).toBeLessThanOrEqual(1);
            expect(fakes.outbox.length - sentBefore).toBe(0);
            if (kind === 'sms' && !result.ok) {
              // Nothing left behind: Clerk deletes its fresh unverified number again, also when the
              // call's own deadline or abort ended the bind (the cleanup has a signal of its own).
              expect(leftBehind(result.error)).toBeUndefined();
              expect(env.records()).toBe(0);
            }
            // A code check that failed verified nothing.
            if (kind === 'verify' && !result.ok) expect(env.verified()).toBe(false);
          } finally {
            await server.close();
          }
        });
      }
    }
  }
});

// Regression (clerk): the cleanup DELETE runs outside the call's spent deadline or abort signal.
describe.concurrent('clerk cleanup after the call’s signal fired', () => {
  const clerkCase = ADAPTERS.find((adapter) => adapter.name === 'clerk')!;
  for (const how of ['deadline', 'abort'] as const) {
    it(`deletes the fresh unverified number when the ${how} ends bind()`, async ({ expect }) => {
      const fakes = createFakeBackends();
      const server = await fakes.listen();
      try {
        const env = clerkCase.setup(
          fakes,
          server,
          how === 'deadline' ? { retry: 0, deadline: 500 } : { retry: 0 },
        );
        fakes.injectFault({ ...clerkCase.sms, delayMs: SLOW_MS });
        totals.faults += 1;
        const count = () => fakes.requests.filter((request) => matches(request, clerkCase.sms)).length;
        const controller = new AbortController();
        const stop = how === 'abort' ? abortWhen(() => count() > 0, controller, undefined) : () => undefined;
        const result = await settle(
          env.binding.bind({ userId: env.userId!, phoneNumber: PHONE }, { signal: controller.signal }),
        );
        stop();
        totals.requests += count();
        expect(result.ok).toBe(false);
        expect(
          fakes.requests.filter((request) => request.method === 'DELETE').length,
          'a cleanup DELETE',
        ).toBe(1);
        expect(env.records()).toBe(0);
      } finally {
        await server.close();
      }
    });
  }
});
