/**
 * Stateful fake backends for tests and demos: users, phones, codes (with expiry and attempt
 * counts) and an outbox of sent SMS, served as a `fetch` function or as a real HTTP server on
 * 127.0.0.1. Nothing here needs msw; its handlers are in `phone-binding/testing/msw`.
 * @packageDocumentation
 * @module phone-binding/testing
 */
import { FAKES } from '../../adapters/fakes.js';
import { ADAPTERS } from '../../adapters/registry.js';
import type { ProviderId } from '../types.js';
import {
  type FakeBackendsOptions,
  FakeContext,
  type FakeRequest,
  type Fault,
  json,
  type RecordedRequest,
  type SentSms,
} from './context.js';
import type { FakeBackend, FakeSetup, FakeTargetSpec, FakeUsers } from './fake-backend.js';

export type { AuthingFake, AuthingFakeUser } from '../../adapters/authing/fake.js';
export type { ClerkFake, ClerkFakePhone, ClerkFakeUser } from '../../adapters/clerk/fake.js';
export type { EtnaFake, EtnaFakeUser, EtnaPhoneState } from '../../adapters/etna/fake.js';
export type { ZitadelFake, ZitadelFakeGrant, ZitadelFakeUser } from '../../adapters/zitadel/fake.js';
export type { FakeBackendsOptions, Fault, IssuedCode, RecordedRequest, SentSms } from './context.js';
export type { FakeErrorFields, FakeSetup } from './fake-backend.js';

type ApiOf<B> = B extends FakeBackend<infer Api> ? Api : never;

/**
 * The control surface of each fake backend, by id: `zitadel` is a {@link ZitadelFake}, `etna` an
 * {@link EtnaFake}, `authing` an {@link AuthingFake} and `clerk` a {@link ClerkFake}.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type FakeBackendApis } from 'phone-binding/testing';
 *
 * // A seeding helper needs only the control surfaces, not the servers.
 * function seedUsers(apis: FakeBackendApis) {
 *   return {
 *     zitadel: apis.zitadel.createUser({ phone: '+41791234567', isVerified: true }).userId,
 *     clerk: apis.clerk.createUser({ phoneNumbers: ['+12133734253'] }).userId,
 *   };
 * }
 * const users = seedUsers(createFakeBackends());
 * ```
 */
export type FakeBackendApis = { [K in FakeBackendId]: ApiOf<(typeof FAKES)[K]> };

/**
 * Ids of the fake backends: one per backend of the registry (both Zitadel adapters share one).
 *
 * @example
 * ```ts
 * import { createFakeBackends, type FakeBackendId } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const ids: FakeBackendId[] = ['zitadel', 'etna', 'authing', 'clerk'];
 * for (const id of ids) console.log(id, fakes.urls[id]); // e.g. 'zitadel https://fake.phone-binding.test/zitadel'
 * ```
 *
 * @useDeclaredType
 */
export type FakeBackendId = keyof typeof FAKES;

/**
 * A running loopback server of the fakes.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type FakeServer } from 'phone-binding/testing';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * const fakes = createFakeBackends();
 * const server: FakeServer = await fakes.listen(); // e.g. server.url === 'http://127.0.0.1:53117'
 * try {
 *   const phones = zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken });
 *   const { userId } = fakes.zitadel.createUser();
 *   await phones.bind({ userId, phoneNumber: '+41 79 123 45 67', verified: true });
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export interface FakeServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Each backend's base URL on this server, e.g. `urls.zitadel`. */
  urls: Record<FakeBackendId, string>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Stateful fake backends. Create one per test: they keep their users, codes, outbox and requests.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type FakeBackends } from 'phone-binding/testing';
 * import { zitadel } from 'phone-binding/zitadel';
 * import { beforeEach, expect, it } from 'vitest';
 *
 * let fakes: FakeBackends;
 * beforeEach(() => {
 *   fakes = createFakeBackends();
 * });
 *
 * it('sends one SMS per bind', async () => {
 *   const phones = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, fetch: fakes.fetch });
 *   const { userId } = fakes.zitadel.createUser();
 *   await phones.bind({ userId, phoneNumber: '+41 79 123 45 67' });
 *   expect(fakes.outbox).toHaveLength(1);
 *   expect(fakes.lastCode('+41791234567')).toBeDefined();
 * });
 * ```
 */
export type FakeBackends = FakeBackendApis & {
  /** Origin of `fetch` (and of the msw handlers of `phone-binding/testing/msw`). */
  readonly origin: string;
  /** Each backend's base URL at `origin`, e.g. `urls.zitadel` → `https://fake.phone-binding.test/zitadel`. */
  readonly urls: Record<FakeBackendId, string>;
  /** A `fetch` that serves every backend in-process, without msw or a socket. */
  readonly fetch: typeof fetch;
  /** Every SMS sent, oldest first. */
  readonly outbox: readonly SentSms[];
  /** Every request received, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** The code of the newest SMS (to `to`, if given). */
  lastCode(to?: string): string | undefined;
  /** Serves `fault` instead of the backend's answer for matching requests. */
  injectFault(fault: Fault): void;
  /**
   * Drops every queued fault, used up or not. A fault whose `times` a test did not exhaust stays
   * queued and would hit a later call; call this between steps (or in `afterEach`) to start clean.
   */
  clearFaults(): void;
  /** Answers one request (any origin: only the path counts). */
  handle(request: Request): Promise<Response>;
  /** Starts a real HTTP server on 127.0.0.1 (port 0: any free port). Node only. */
  listen(options?: { port?: number; cors?: boolean }): Promise<FakeServer>;
};

const DEFAULT_ORIGIN = 'https://fake.phone-binding.test';
const ids = Object.keys(FAKES) as FakeBackendId[];

function urlsAt(origin: string): Record<FakeBackendId, string> {
  return Object.fromEntries(ids.map((id) => [id, `${origin}/${id}`])) as Record<FakeBackendId, string>;
}

/**
 * One adapter configuration on a fake backend, on a fresh user: a row of {@link fakeTargets}.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type FakeTarget, fakeTargets } from 'phone-binding/testing';
 * import { createPhoneBinding, type PhoneBindingConfig } from 'phone-binding/all';
 *
 * // The same adapter with the credential its backend refuses.
 * function refused(target: FakeTarget) {
 *   const fakes = createFakeBackends();
 *   const { config, userId } = target.setup(fakes);
 *   const bad = { ...config, [target.credential]: target.revoked, fetch: fakes.fetch };
 *   return { phones: createPhoneBinding(bad as PhoneBindingConfig), user: userId ? { userId } : {} };
 * }
 * const { phones, user } = refused(fakeTargets().find((target) => target.provider === 'clerk')!);
 * await phones.get(user).catch((e: unknown) => e); // PhoneBindingError { code: 'unauthenticated' }
 * ```
 */
export interface FakeTarget {
  /** Shown in test titles and reports, e.g. `zitadel (user service v2, sms)`. */
  name: string;
  /** The provider of the adapter this target configures. */
  provider: ProviderId;
  /** The fake backend that serves it (`fakes[fake]`, `fakes.urls[fake]`). */
  fake: FakeBackendId;
  /** The option holding the credential the backend checks (`token`, `secretKey`, …). */
  credential: string;
  /**
   * A value of that option the backend refuses: a string for a token or key, an object for AWS
   * credentials.
   */
  revoked: unknown;
  /** The secret of `revoked`, distinctive enough to search for in output (it must never show). */
  revokedSecret: string;
  /**
   * Creates a user with no phone on `fakes` and answers the adapter config acting for them, at
   * `baseUrl`: default `fakes.urls[fake]` (the fakes' origin, for `fakes.fetch` or msw); with a
   * loopback server pass `server.urls[fake]`.
   */
  setup(fakes: FakeBackends, baseUrl?: string): FakeSetup;
}

/** The one option and value of a target's `revoked`, and the secret in it. */
function credentialOf(spec: Pick<FakeTargetSpec<FakeUsers>, 'revoked' | 'revokedSecret'>): {
  credential: string;
  revoked: unknown;
  revokedSecret: string;
} {
  const [entry] = Object.entries(spec.revoked);
  if (!entry) throw new Error('a fake target names the credential its backend refuses');
  const [credential, revoked] = entry;
  const revokedSecret = spec.revokedSecret ?? (typeof revoked === 'string' ? revoked : undefined);
  if (revokedSecret === undefined) throw new Error(`fake target: name the secret of ${credential}`);
  return { credential, revoked, revokedSecret };
}

/**
 * Every adapter configuration of every fake backend, in the registry's order: the one table the
 * conformance suite, the reliability proofs, the demo and the examples run.
 *
 * @example
 * ```ts
 * import { createFakeBackends, fakeTargets } from 'phone-binding/testing';
 * import { createPhoneBinding, type PhoneBindingConfig } from 'phone-binding/all';
 *
 * for (const target of fakeTargets()) {
 *   const fakes = createFakeBackends();
 *   const { config, userId } = target.setup(fakes);
 *   const phones = createPhoneBinding({ ...config, fetch: fakes.fetch } as PhoneBindingConfig);
 *   const result = await phones.bind({ ...(userId ? { userId } : {}), phoneNumber: '+41 79 123 45 67' });
 *   console.log(target.name, result.state); // e.g. 'etna pending'
 * }
 * ```
 */
export function fakeTargets(): FakeTarget[] {
  return ids.flatMap((id) =>
    (FAKES[id].targets as ReadonlyArray<FakeTargetSpec<FakeBackendApis[typeof id]>>).map(
      (spec): FakeTarget => ({
        name: spec.name,
        provider: spec.provider,
        fake: id,
        ...credentialOf(spec),
        setup: (fakes, baseUrl = fakes.urls[id]) => {
          const api = fakes[id];
          const user = api.createUser() as ReturnType<typeof api.createUser>;
          const admin = ADAPTERS[spec.provider].spec.capabilities.scope === 'admin';
          return {
            config: { provider: spec.provider, baseUrl, ...spec.options(api, user) },
            ...(admin ? { userId: user.userId } : {}),
            secrets: spec.secrets(api, user),
          };
        },
      }),
    ),
  );
}

/**
 * Creates stateful fakes of every backend, answering exactly as the wire references describe,
 * error bodies included.
 *
 * @example
 * ```ts
 * import { createFakeBackends } from 'phone-binding/testing';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.zitadel.createUser();
 * const binding = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, fetch: fakes.fetch });
 * const result = await binding.bind({ userId, phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') await binding.verify({ ticket: result.ticket, code: fakes.lastCode() ?? '' });
 * ```
 */
export function createFakeBackends(options: FakeBackendsOptions = {}): FakeBackends {
  const origin = (options.origin ?? DEFAULT_ORIGIN).replace(/\/+$/, '');
  const ctx = new FakeContext(options);
  const requests: RecordedRequest[] = [];
  const faults: Array<Fault & { left: number }> = [];
  const backends = Object.fromEntries(ids.map((id) => [id, FAKES[id].create(ctx)])) as {
    [K in FakeBackendId]: ReturnType<(typeof FAKES)[K]['create']>;
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const [, mount = '', ...rest] = url.pathname.split('/');
    const id = ids.find((candidate) => candidate === mount);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    let body: unknown;
    let badJson = false;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        badJson = true;
      }
    }
    const path = `/${rest.join('/')}`;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const recorded: RecordedRequest = {
      backend: id ?? mount,
      method: request.method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    };
    requests.push(recorded);
    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        (f.when === undefined || f.when(recorded)) &&
        (f.backend === undefined || f.backend === id) &&
        (f.method === undefined || f.method.toUpperCase() === request.method) &&
        (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (fault) {
      fault.left -= 1;
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.networkError) throw new TypeError('fake network error');
      const faultBody = fault.body;
      if (typeof faultBody === 'string' || faultBody === undefined) {
        return new Response(faultBody ?? null, { status: fault.status ?? 500, headers: fault.headers ?? {} });
      }
      return json(fault.status ?? 500, faultBody, fault.headers);
    }
    if (!id) return json(404, { error: `no fake backend at /${mount}` });
    let segments: string[];
    try {
      segments = rest.filter((segment) => segment.length > 0).map((segment) => decodeURIComponent(segment));
    } catch {
      return json(400, { error: 'malformed percent-encoding in the path' });
    }
    const fakeRequest: FakeRequest = {
      method: request.method,
      segments,
      query: url.searchParams,
      headers: request.headers,
      body,
      badJson,
    };
    return backends[id].handle(fakeRequest);
  }

  const apis = Object.fromEntries(ids.map((id) => [id, backends[id].api])) as FakeBackendApis;

  const fakeFetch: typeof fetch = async (input, init) => handle(new Request(input, init));

  return {
    ...apis,
    origin,
    urls: urlsAt(origin),
    fetch: fakeFetch,
    outbox: ctx.outbox,
    requests,
    lastCode(to?: string) {
      for (let i = ctx.outbox.length - 1; i >= 0; i -= 1) {
        const sms = ctx.outbox[i];
        if (sms && (to === undefined || sms.to === to)) return sms.code;
      }
      return undefined;
    },
    injectFault(fault: Fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    handle,
    async listen(listenOptions = {}) {
      const { startServer } = await import('./server.js');
      const server = await startServer(handle, listenOptions);
      return { ...server, urls: urlsAt(server.url) };
    },
  };
}
