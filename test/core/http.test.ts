import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { isPhoneBindingError, type PhoneBindingError } from '../../src/errors.js';
import {
  type CallContext,
  type CredentialHeader,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT,
  HttpClient,
  type HttpClientOptions,
  type HttpFailure,
  type MappedError,
  mapStatus,
  parseRetryAfter,
  type RequestSpec,
} from '../../src/internal/http.js';
import { apiRoot as checkBaseUrl } from '../../src/internal/option-schemas.js';
import { Redactor } from '../../src/internal/redact.js';
import { MIN_METADATA, normalizePhoneNumber } from '../../src/phone.js';
import { phoneCodec } from '../../src/phone-core.js';
import type { CallOptions, RequestEvent, ResponseEvent } from '../../src/types.js';
import { rejection } from '../support/rejection.js';

/** Masks found numbers with their calling code, as a binding on `min` does. */
const minMask = phoneCodec(MIN_METADATA).mask;

const ORIGIN = 'https://api.example.test';
const BASE = `${ORIGIN}/root`;
const TOKEN = 'tok_secret_123456';
const PHONE = normalizePhoneNumber('+41791234567');

const okSchema = z.object({ id: z.string() });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A small error mapping: `{ code, message }` bodies become provider_error with the backend's code. */
const mapError = vi.fn((failure: HttpFailure): MappedError => {
  const { body } = failure;
  if (isRecord(body) && typeof body.code === 'string') {
    return {
      code: 'provider_error',
      message: `Backend said: ${typeof body.message === 'string' ? body.message : body.code}`,
      providerCode: body.code,
      requestId: failure.headers.get('x-request-id') ?? undefined,
    };
  }
  return mapStatus(failure.status);
});

const bearer: CredentialHeader = {
  header: 'authorization',
  credential: TOKEN,
  field: 'token',
  format: (value) => `Bearer ${value}`,
};

function makeClient(overrides: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    provider: 'zitadel',
    baseUrl: checkBaseUrl(BASE),
    credentials: [bearer],
    mapError,
    ...overrides,
  });
}

function makeCall(options: CallOptions = {}, redactor = new Redactor(minMask)): CallContext {
  return { operation: 'get', options, redactor };
}

function get<T>(path: readonly string[], extra: Partial<RequestSpec<T>> = {}): RequestSpec<T> {
  return { method: 'GET', path, idempotent: true, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<PhoneBindingError> {
  const error = await rejection(promise);
  expect(error).not.toBeInstanceOf(TypeError);
  return error;
}

/**
 * Under fake timers: asserts that `promise` is still pending `ms - 1` ms in and has failed
 * 1 ms later, and gives the error.
 */
async function failureAfter(promise: Promise<unknown>, ms: number): Promise<PhoneBindingError> {
  let settled = false;
  const pending = failure(promise).finally(() => {
    settled = true;
  });
  await vi.advanceTimersByTimeAsync(ms - 1);
  expect(settled).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  return pending;
}

/**
 * Drives fake timers until `promise` settles (retry back-off is at most a few seconds here),
 * so no test sleeps for real.
 */
async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  let done = false;
  const result = promise.then(
    (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
  );
  void result.then(() => {
    done = true;
  });
  for (let i = 0; i < 2000 && !done; i += 1) await vi.advanceTimersByTimeAsync(25);
  return result;
}

async function settledFailure(promise: Promise<unknown>): Promise<PhoneBindingError> {
  const result = await settle(promise);
  if (result.status === 'fulfilled') throw new Error('expected the call to fail');
  if (!isPhoneBindingError(result.reason))
    throw new Error(`not a PhoneBindingError: ${String(result.reason)}`);
  return result.reason;
}

const server = setupServer();
const seen: Request[] = [];
server.events.on('request:start', ({ request }) => {
  seen.push(request);
});

// Built before msw patches the global fetch (in beforeAll below): it must still be intercepted,
// because the client looks the global fetch up at request time.
const fetchBeforeListen = globalThis.fetch;
const earlyClient = makeClient();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  seen.length = 0;
  mapError.mockClear();
});
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

/** Answers every request under the origin with `{ id: 'ok' }`. */
function answerOk(): void {
  server.use(http.all(`${ORIGIN}/*`, () => HttpResponse.json({ id: 'ok' })));
}

/** Holds every request under the origin open and never answers; `onArrival` runs as each arrives. */
function answerNever(onArrival: () => void = () => {}): void {
  server.use(
    http.all(`${ORIGIN}/*`, async () => {
      onArrival();
      await delay('infinite');
      return HttpResponse.json({ id: 'never' });
    }),
  );
}

/** Answers the listed responses in turn, the last one for every request after. */
function answerSequence(...responses: Array<() => Response>): void {
  let index = 0;
  server.use(
    http.all(`${ORIGIN}/*`, () => {
      const next = responses[Math.min(index, responses.length - 1)]!;
      index += 1;
      return next();
    }),
  );
}

describe('URL building', () => {
  it('joins encoded segments onto a base URL with a path and a trailing slash', async () => {
    answerOk();
    const client = makeClient({ baseUrl: checkBaseUrl(`${ORIGIN}/root/`) });
    await expect(client.send(get(['v2', 'users', 'a/b'], { schema: okSchema }), makeCall())).resolves.toEqual(
      {
        id: 'ok',
      },
    );
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0]!.url);
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toBe('/root/v2/users/a%2Fb');
  });

  it('percent-encodes every character that would change the path or start a query', async () => {
    answerOk();
    await makeClient().send(get(['users', 'a b', 'x?y#z', 'ü', '%41']), makeCall());
    expect(new URL(seen[0]!.url).pathname).toBe('/root/users/a%20b/x%3Fy%23z/%C3%BC/%2541');
    expect(new URL(seen[0]!.url).search).toBe('');
  });

  it('encodes query parameters, "+" included', async () => {
    answerOk();
    await makeClient().send(
      get(['v2', 'users'], { query: { phone: '+41791234567', q: 'a b&c=d' } }),
      makeCall(),
    );
    const url = new URL(seen[0]!.url);
    expect(url.search).toContain('phone=%2B41791234567');
    expect(url.search).not.toContain('+41');
    expect(url.searchParams.get('phone')).toBe('+41791234567');
    expect(url.searchParams.get('q')).toBe('a b&c=d');
  });

  it('sends the method and the JSON body', async () => {
    let received: unknown;
    let contentType: string | null = null;
    server.use(
      http.post(`${ORIGIN}/root/v2/users`, async ({ request }) => {
        received = await request.json();
        contentType = request.headers.get('content-type');
        return HttpResponse.json({ id: 'u1' }, { status: 201 });
      }),
    );
    const result = await makeClient().send(
      {
        method: 'POST',
        path: ['v2', 'users'],
        json: { phone: '+41791234567' },
        idempotent: false,
        schema: okSchema,
      },
      makeCall(),
    );
    expect(result).toEqual({ id: 'u1' });
    expect(received).toEqual({ phone: '+41791234567' });
    expect(contentType).toBe('application/json');
  });

  it('ignores the body when the request has no schema', async () => {
    server.use(http.all(`${ORIGIN}/*`, () => new HttpResponse('not json at all', { status: 200 })));
    await expect(makeClient().send(get(['x']), makeCall())).resolves.toBeUndefined();
  });
});

describe('credentials', () => {
  it('sends a string credential in its header, formatted', async () => {
    answerOk();
    await makeClient().send(get(['me']), makeCall());
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('sends several credential headers', async () => {
    answerOk();
    const client = makeClient({
      credentials: [bearer, { header: 'et-app-key', credential: () => 'app-key-1', field: 'appKey' }],
    });
    await client.send(get(['me']), makeCall());
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.headers.get('et-app-key')).toBe('app-key-1');
  });

  it.each([
    ['a sync function', (n: number) => `tok-${n}`],
    ['an async function', async (n: number) => `tok-${n}`],
  ])('calls %s once per attempt', async (_label, produce) => {
    vi.useFakeTimers();
    answerSequence(
      () => new HttpResponse(null, { status: 503 }),
      () => new HttpResponse(null, { status: 503 }),
      () => HttpResponse.json({ id: 'ok' }),
    );
    let calls = 0;
    const credential = () => {
      calls += 1;
      return produce(calls);
    };
    const client = makeClient({ credentials: [{ ...bearer, credential }], retry: 2 });
    const result = await settle(client.send(get(['me'], { schema: okSchema }), makeCall()));
    expect(result).toEqual({ status: 'fulfilled', value: { id: 'ok' } });
    expect(calls).toBe(3);
    const sent = seen.map((request) => request.headers.get('authorization'));
    expect(sent).toEqual(['Bearer tok-1', 'Bearer tok-2', 'Bearer tok-3']);
  });

  it('a credential function that throws gives unauthenticated and sends nothing', async () => {
    answerOk();
    const boom = new Error('refresh failed');
    let calls = 0;
    const client = makeClient({
      credentials: [
        {
          ...bearer,
          credential: () => {
            calls += 1;
            throw boom;
          },
        },
      ],
      retry: 2,
    });
    const error = await failure(client.send(get(['me']), makeCall()));
    expect(error.code).toBe('unauthenticated');
    expect(error.cause).toBe(boom);
    expect(error.retryable).toBe(false);
    expect(calls).toBe(1);
    expect(seen).toHaveLength(0);
  });

  it('an async credential function that rejects gives unauthenticated and sends nothing', async () => {
    answerOk();
    const client = makeClient({
      credentials: [{ ...bearer, credential: () => Promise.reject(new Error('no session')) }],
    });
    const error = await failure(client.send(get(['me']), makeCall()));
    expect(error.code).toBe('unauthenticated');
    expect(seen).toHaveLength(0);
  });

  it.each<[string, () => unknown]>([
    ['an empty string', () => ''],
    ['a promise of an empty string', async () => ''],
    ['a value with CR/LF', () => 'tok\r\nx-injected: 1'],
    ['a non-string', () => 42],
    ['undefined', () => undefined],
  ])('a credential that resolves to %s gives invalid_input and sends nothing', async (_label, credential) => {
    answerOk();
    const client = makeClient({
      credentials: [{ ...bearer, credential: credential as () => string }],
      retry: 2,
    });
    const error = await failure(client.send(get(['me']), makeCall()));
    expect(error.code).toBe('invalid_input');
    expect(seen).toHaveLength(0);
  });
});

describe('headers and fetch', () => {
  it('sends default headers, per-call headers and accept: application/json', async () => {
    answerOk();
    const client = makeClient({ headers: { 'x-default': 'd1', 'x-both': 'default' } });
    await client.send(get(['me']), makeCall({ headers: { 'x-call': 'c1', 'x-both': 'call' } }));
    const headers = seen[0]!.headers;
    expect(headers.get('x-default')).toBe('d1');
    expect(headers.get('x-call')).toBe('c1');
    expect(headers.get('x-both')).toBe('call');
    expect(headers.get('accept')).toBe('application/json');
  });

  it('per-call headers cannot replace the credential header', async () => {
    answerOk();
    await makeClient().send(get(['me']), makeCall({ headers: { Authorization: 'Bearer forged' } }));
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('uses the fetch option instead of the global fetch', async () => {
    answerOk();
    const requests: Request[] = [];
    const customFetch = vi.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
      requests.push(input as Request);
      return Response.json({ id: 'from-custom-fetch' });
    });
    const client = makeClient({ fetch: customFetch as typeof fetch });
    const result = await client.send(get(['v2', 'me'], { schema: okSchema }), makeCall());
    expect(result).toEqual({ id: 'from-custom-fetch' });
    expect(customFetch).toHaveBeenCalledTimes(1);
    expect(requests[0]!.url).toBe(`${BASE}/v2/me`);
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(seen).toHaveLength(0);
  });

  it('without a fetch option it looks the global fetch up at request time', async () => {
    // msw replaced the global fetch after earlyClient was built.
    expect(globalThis.fetch).not.toBe(fetchBeforeListen);
    answerOk();
    await expect(earlyClient.send(get(['late'], { schema: okSchema }), makeCall())).resolves.toEqual({
      id: 'ok',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${BASE}/late`);
  });
});

describe('timeouts and cancellation', () => {
  it('gives timeout when no answer comes within the per-call timeout', async () => {
    vi.useFakeTimers();
    answerNever();
    const error = await failureAfter(makeClient().send(get(['slow']), makeCall({ timeout: 500 })), 500);
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('500 ms');
  });

  it('a request sent once that times out is aborted, in init for the platform fetch, in the Request for a fetch option', async () => {
    vi.useFakeTimers();
    const post = { method: 'POST' as const, path: ['sms'], json: {}, idempotent: false };
    const signals: AbortSignal[] = [];
    // The platform's fetch (here a stand-in for it): the signal comes in init.
    const platform = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.signal) signals.push(init.signal);
      return new Promise<Response>(() => {});
    });
    vi.stubGlobal('fetch', platform);
    try {
      const error = await failureAfter(makeClient().send(post, makeCall({ timeout: 500 })), 500);
      expect(error.code).toBe('timeout');
    } finally {
      vi.unstubAllGlobals();
    }
    // A fetch option may pass the Request on alone: the signal is inside it.
    const custom = vi.fn(async (input: RequestInfo | URL) => {
      signals.push((input as Request).signal);
      return new Promise<Response>(() => {});
    });
    const client = makeClient({ fetch: custom as typeof fetch });
    expect((await failureAfter(client.send(post, makeCall({ timeout: 500 })), 500)).code).toBe('timeout');
    expect(platform).toHaveBeenCalledTimes(1);
    expect(custom).toHaveBeenCalledTimes(1);
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
  });

  it('uses the client timeout when the call gives none', async () => {
    vi.useFakeTimers();
    answerNever();
    const error = await failureAfter(makeClient({ timeout: 2000 }).send(get(['slow']), makeCall()), 2000);
    expect(error.code).toBe('timeout');
  });

  it('defaults to 10 s per attempt and 2 retries', async () => {
    expect(DEFAULT_TIMEOUT).toBe(10_000);
    expect(DEFAULT_RETRY).toBe(2);
    vi.useFakeTimers();
    answerNever();
    const error = await failureAfter(
      makeClient().send({ method: 'POST', path: ['slow'], idempotent: false }, makeCall()),
      10_000,
    );
    expect(error.code).toBe('timeout');
  });

  it('an aborted caller signal gives network, not retryable, with the abort reason as cause', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    answerNever(() => arrived());
    const controller = new AbortController();
    const pending = failure(
      makeClient({ retry: 2 }).send(get(['slow']), makeCall({ signal: controller.signal })),
    );
    await arrival;
    const reason = new Error('the user left the page');
    controller.abort(reason);
    const error = await pending;
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(reason);
    expect(seen).toHaveLength(1);
  });

  it('a signal aborted before the call gives network with its reason', async () => {
    answerOk();
    const reason = new Error('cancelled early');
    const error = await failure(
      makeClient().send(get(['x']), makeCall({ signal: AbortSignal.abort(reason) })),
    );
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(reason);
  });

  it('a network failure gives network; not retryable for a request that may have taken effect', async () => {
    server.use(http.all(`${ORIGIN}/*`, () => HttpResponse.error()));
    const error = await failure(
      makeClient().send({ method: 'POST', path: ['x'], idempotent: false }, makeCall()),
    );
    expect(error.code).toBe('network');
    // A broken connection after a code check or a create left the server: it may have acted.
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('may have taken effect');
    expect(error.status).toBeUndefined();
    expect(error.cause).toBeDefined();
    expect(seen).toHaveLength(1);
  });
});

describe('what a 5xx promises', () => {
  it.each([
    ['an SMS request', { idempotent: false, sendsSms: true }, false, 'sent an SMS'],
    ['a create or a code check', { idempotent: false }, false, 'may have taken effect'],
    ['a read or a delete', { idempotent: true }, true, undefined],
  ] as const)('%s answered 503: retryable %s', async (_name, kind, retryable, note) => {
    server.use(http.all(`${ORIGIN}/*`, () => HttpResponse.json({ error: 'down' }, { status: 503 })));
    const error = await failure(
      makeClient({ retry: 0 }).send({ method: 'POST', path: ['x'], ...kind }, makeCall()),
    );
    expect(error).toMatchObject({ code: 'provider_error', status: 503, retryable });
    if (note) expect(error.message).toContain(note);
    else expect(error.message).not.toContain('may have');
    expect(seen).toHaveLength(1);
  });
});

describe('retries', () => {
  it.each([408, 429, 500, 502, 503, 504])(
    'retries an idempotent GET on %i exactly `retry` times',
    async (status) => {
      vi.useFakeTimers();
      server.use(http.all(`${ORIGIN}/*`, () => new HttpResponse(null, { status })));
      const error = await settledFailure(makeClient({ retry: 2 }).send(get(['x']), makeCall()));
      expect(seen).toHaveLength(3);
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(true);
    },
  );

  it('retries an idempotent request on a network error exactly `retry` times', async () => {
    vi.useFakeTimers();
    server.use(http.all(`${ORIGIN}/*`, () => HttpResponse.error()));
    const error = await settledFailure(makeClient({ retry: 3 }).send(get(['x']), makeCall()));
    expect(seen).toHaveLength(4);
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(true);
  });

  it('retries an idempotent DELETE too', async () => {
    vi.useFakeTimers();
    server.use(http.all(`${ORIGIN}/*`, () => new HttpResponse(null, { status: 503 })));
    await settledFailure(
      makeClient({ retry: 1 }).send({ method: 'DELETE', path: ['x'], idempotent: true }, makeCall()),
    );
    expect(seen).toHaveLength(2);
    expect(seen.every((request) => request.method === 'DELETE')).toBe(true);
  });

  it('uses the default of 2 retries', async () => {
    vi.useFakeTimers();
    server.use(http.all(`${ORIGIN}/*`, () => new HttpResponse(null, { status: 503 })));
    await settledFailure(makeClient().send(get(['x']), makeCall()));
    expect(seen).toHaveLength(3);
  });

  it('succeeds on a later attempt', async () => {
    vi.useFakeTimers();
    answerSequence(
      () => HttpResponse.error(),
      () => HttpResponse.json({ id: 'ok' }),
    );
    const result = await settle(makeClient({ retry: 2 }).send(get(['x'], { schema: okSchema }), makeCall()));
    expect(result).toEqual({ status: 'fulfilled', value: { id: 'ok' } });
    expect(seen).toHaveLength(2);
  });

  it.each<[string, () => Response]>([
    ['503', () => new HttpResponse(null, { status: 503 })],
    ['429', () => new HttpResponse(null, { status: 429 })],
    ['a network error', () => HttpResponse.error()],
  ])('never retries a non-idempotent request on %s', async (_label, respond) => {
    vi.useFakeTimers();
    server.use(http.all(`${ORIGIN}/*`, respond));
    await settledFailure(
      makeClient({ retry: 5 }).send({ method: 'POST', path: ['sms'], idempotent: false }, makeCall()),
    );
    expect(seen).toHaveLength(1);
  });

  it('never retries with retry: 0', async () => {
    vi.useFakeTimers();
    server.use(http.all(`${ORIGIN}/*`, () => new HttpResponse(null, { status: 503 })));
    await settledFailure(makeClient({ retry: 0 }).send(get(['x']), makeCall()));
    expect(seen).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry an idempotent request on %i', async (status) => {
    vi.useFakeTimers();
    server.use(http.all(`${ORIGIN}/*`, () => new HttpResponse(null, { status })));
    await settledFailure(makeClient({ retry: 2 }).send(get(['x']), makeCall()));
    expect(seen).toHaveLength(1);
  });

  it('waits what Retry-After says between attempts', async () => {
    vi.useFakeTimers();
    server.use(
      http.all(`${ORIGIN}/*`, () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '2' } })),
    );
    const pending = makeClient({ retry: 1 }).send(get(['x']), makeCall());
    const caught = failure(pending);
    await vi.advanceTimersByTimeAsync(1_900);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    const error = await caught;
    expect(seen).toHaveLength(2);
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(2000);
  });
});

describe('Retry-After', () => {
  it('Retry-After in seconds on a 429 becomes retryAfterMs', async () => {
    server.use(
      http.all(`${ORIGIN}/*`, () => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '3' } })),
    );
    const error = await failure(makeClient({ retry: 0 }).send(get(['x']), makeCall()));
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(3000);
  });

  it('Retry-After as an HTTP date becomes retryAfterMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00.000Z'));
    server.use(
      http.all(
        `${ORIGIN}/*`,
        () =>
          new HttpResponse(null, {
            status: 429,
            headers: { 'Retry-After': 'Tue, 01 Jan 2030 00:00:42 GMT' },
          }),
      ),
    );
    const error = await failure(makeClient({ retry: 0 }).send(get(['x']), makeCall()));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(42_000);
  });

  it('no Retry-After leaves retryAfterMs out', async () => {
    server.use(http.all(`${ORIGIN}/*`, () => new HttpResponse(null, { status: 429 })));
    const error = await failure(makeClient({ retry: 0 }).send(get(['x']), makeCall()));
    expect(error.retryAfterMs).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T00:00:00.000Z');

  it.each<[string | null, number | undefined]>([
    [null, undefined],
    ['0', 0],
    ['3', 3000],
    [' 3 ', 3000],
    ['120', 120_000],
    ['1.5', 1500],
    ['Tue, 01 Jan 2030 00:00:42 GMT', 42_000],
    ['Mon, 31 Dec 2029 23:59:00 GMT', 0],
    ['', undefined],
    ['soon', undefined],
    ['3 seconds', undefined],
    ['1e3', undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('uses the current time by default', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:05 GMT')).toBe(5000);
  });

  // "-1" is not a valid Retry-After (RFC 9110: delay-seconds = 1*DIGIT).
  it('ignores a negative number of seconds', () => {
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('hooks', () => {
  it('sends a request and a response event per attempt, with attempt numbers', async () => {
    vi.useFakeTimers();
    answerSequence(
      () => new HttpResponse(null, { status: 503 }),
      () => HttpResponse.error(),
      () => HttpResponse.json({ id: 'ok' }),
    );
    const events: Array<RequestEvent | ResponseEvent> = [];
    const client = makeClient({
      retry: 2,
      hooks: { request: (event) => events.push(event), response: (event) => events.push(event) },
    });
    const result = await settle(client.send(get(['v2', 'me'], { schema: okSchema }), makeCall()));
    expect(result.status).toBe('fulfilled');
    const url = `${BASE}/v2/me`;
    const base = { provider: 'zitadel', operation: 'get', method: 'GET', url };
    expect(events.map(({ type, attempt }) => [type, attempt])).toEqual([
      ['request', 1],
      ['response', 1],
      ['request', 2],
      ['request', 3],
      ['response', 3],
    ]);
    expect(events[0]).toEqual({ type: 'request', ...base, attempt: 1 });
    expect(events[1]).toEqual({
      type: 'response',
      ...base,
      attempt: 1,
      status: 503,
      durationMs: expect.any(Number),
    });
    expect(events[4]).toMatchObject({ type: 'response', attempt: 3, status: 200 });
    for (const event of events) {
      if (event.type === 'response') expect(event.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('masks the phone number in the URLs it reports', async () => {
    answerOk();
    const urls: string[] = [];
    const client = makeClient({
      hooks: { request: (event) => urls.push(event.url), response: (event) => urls.push(event.url) },
    });
    const redactor = new Redactor(minMask).phone(PHONE);
    await client.send(
      get(['v2', 'phones', PHONE.e164.slice(1)], {
        query: { phone: PHONE.e164, national: PHONE.nationalNumber },
      }),
      makeCall({}, redactor),
    );
    // The wire carries the number; the events do not.
    expect(seen[0]!.url).toContain('%2B41791234567');
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      expect(url).not.toContain('+41791234567');
      expect(url).not.toContain('%2B41791234567');
      expect(url).not.toContain('41791234567');
      expect(url).not.toContain('791234567');
      expect(url.startsWith(`${BASE}/v2/phones/`)).toBe(true);
    }
  });

  it('masks the credential if it ends up in the URL', async () => {
    answerOk();
    const urls: string[] = [];
    const client = makeClient({ hooks: { request: (event) => urls.push(event.url) } });
    await client.send(get(['x'], { query: { key: TOKEN } }), makeCall());
    expect(urls[0]).not.toContain(TOKEN);
  });

  it('a hook that throws does not break the call', async () => {
    answerOk();
    const client = makeClient({
      hooks: {
        request: () => {
          throw new Error('logger down');
        },
        response: () => {
          throw new Error('metrics down');
        },
      },
    });
    await expect(client.send(get(['x'], { schema: okSchema }), makeCall())).resolves.toEqual({ id: 'ok' });
  });
});

describe('responses', () => {
  it.each<[string, () => Response]>([
    ['a field of the wrong type', () => HttpResponse.json({ id: 5 })],
    ['null', () => HttpResponse.json(null)],
    ['an array', () => HttpResponse.json([{ id: 'ok' }])],
    ['a string', () => HttpResponse.json('ok')],
    ['an empty body', () => new HttpResponse(null, { status: 200 })],
    ['a 204', () => new HttpResponse(null, { status: 204 })],
  ])('a 2xx body breaking the schema (%s) gives invalid_response', async (_label, respond) => {
    server.use(http.all(`${ORIGIN}/*`, respond));
    const error = await failure(makeClient().send(get(['x'], { schema: okSchema }), makeCall()));
    expect(error.code).toBe('invalid_response');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it('a non-JSON 2xx body gives invalid_response', async () => {
    server.use(
      http.all(
        `${ORIGIN}/*`,
        () => new HttpResponse('<html>Gateway says hi +41791234567</html>', { status: 200 }),
      ),
    );
    const error = await failure(
      makeClient().send(get(['x'], { schema: okSchema }), makeCall({}, new Redactor(minMask).phone(PHONE))),
    );
    expect(error.code).toBe('invalid_response');
    expect(error.status).toBe(200);
    expect(typeof error.details).toBe('string');
    expect(String(error.details)).not.toContain('791234567');
  });

  it('masks the number in the details of a schema failure', async () => {
    server.use(http.all(`${ORIGIN}/*`, () => HttpResponse.json({ id: 5, phone: '+41791234567' })));
    const error = await failure(
      makeClient().send(get(['x'], { schema: okSchema }), makeCall({}, new Redactor(minMask).phone(PHONE))),
    );
    expect(error.code).toBe('invalid_response');
    expect(JSON.stringify(error.details)).not.toContain('791234567');
    expect(error.message).toContain('id');
  });
});

describe('error mapping', () => {
  it('hands the failure to mapError and keeps what it decides', async () => {
    server.use(
      http.all(`${ORIGIN}/*`, () =>
        HttpResponse.json(
          { code: 'PHONE-42', message: 'phone is bad' },
          { status: 400, headers: { 'x-request-id': 'req-9' } },
        ),
      ),
    );
    const error = await failure(makeClient().send(get(['x']), makeCall()));
    expect(mapError).toHaveBeenCalledTimes(1);
    const failureArg = mapError.mock.calls[0]![0];
    expect(failureArg.status).toBe(400);
    expect(failureArg.body).toEqual({ code: 'PHONE-42', message: 'phone is bad' });
    expect(failureArg.operation).toBe('get');
    expect(failureArg.headers.get('x-request-id')).toBe('req-9');
    expect(error.code).toBe('provider_error');
    expect(error.providerCode).toBe('PHONE-42');
    expect(error.requestId).toBe('req-9');
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ code: 'PHONE-42', message: 'phone is bad' });
  });

  it('hands a non-JSON error body over as text and an empty one as undefined', async () => {
    answerSequence(
      () => new HttpResponse('Bad Gateway', { status: 502 }),
      () => new HttpResponse(null, { status: 404 }),
    );
    const first = await failure(makeClient({ retry: 0 }).send(get(['x']), makeCall()));
    expect(mapError.mock.calls[0]![0].body).toBe('Bad Gateway');
    expect(first.details).toBe('Bad Gateway');
    const second = await failure(makeClient({ retry: 0 }).send(get(['x']), makeCall()));
    expect(mapError.mock.calls[1]![0].body).toBeUndefined();
    expect(second.code).toBe('not_found');
    expect(Object.hasOwn(second, 'details') ? second.details : undefined).toBeUndefined();
  });

  it.each<[number, string]>([
    [401, 'unauthenticated'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [429, 'rate_limited'],
    [500, 'provider_error'],
    [418, 'provider_error'],
  ])('falls back to the status mapping when mapError throws (%i → %s)', async (status, code) => {
    const throwing = vi.fn((): MappedError => {
      throw new TypeError('cannot read properties of undefined');
    });
    server.use(http.all(`${ORIGIN}/*`, () => HttpResponse.json({ weird: true }, { status })));
    const error = await failure(makeClient({ retry: 0, mapError: throwing }).send(get(['x']), makeCall()));
    expect(throwing).toHaveBeenCalledTimes(1);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(status >= 500 || status === 429);
  });

  it('passes the details and the message of an error body through the Redactor', async () => {
    server.use(
      http.all(`${ORIGIN}/*`, () =>
        HttpResponse.json(
          {
            code: 'ALREADY_TAKEN',
            message: `+41791234567 is taken (token ${TOKEN})`,
            echo: {
              phone: '+41791234567',
              national: '791234567',
              digits: '41791234567',
              auth: `Bearer ${TOKEN}`,
            },
            list: ['%2B41791234567'],
            '+41791234567': 'key holds the number',
          },
          { status: 409 },
        ),
      ),
    );
    const redactor = new Redactor(minMask).phone(PHONE);
    const error = await failure(makeClient().send(get(['x']), makeCall({}, redactor)));
    const text = JSON.stringify(error.details);
    expect(text).not.toContain('791234567');
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('+41 ••• •• 67');
    expect(error.message).not.toContain('791234567');
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(isRecord(error.details) && error.details.code).toBe('ALREADY_TAKEN');
  });
});
