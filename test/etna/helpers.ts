import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import type { PhoneBindingError, VerificationTicket } from '../../src/index.js';

/** Origin of the mocked ETNA Trader host; every path on it is recorded. */
export const ORIGIN = 'https://etna.example.test';
/** The Trading API root as ETNA documents it (path included). */
export const BASE = `${ORIGIN}/api`;
/** Bearer token used by the adapter under test. */
export const TOKEN = 'etna_tok_s3cr3t_value';
/** App key used by the adapter under test (sent as Et-App-Key). */
export const APP_KEY = 'etna_appkey_s3cr3t';
/** The number every test binds, in E.164. */
export const PHONE = '+41791234567';
/** Its digits without the plus. */
export const DIGITS = '41791234567';
/** Its national significant number. */
export const NATIONAL = '791234567';
/** A verification code. */
export const CODE = '583102';
/** ETNA's numeric user id. */
export const USER_ID = '4521';
/** The token id (m_Item2) of the first bind. */
export const TOKEN_ID = 1925;
/** Path of the phone resource of {@link USER_ID} under {@link BASE}. */
export const PHONE_PATH = `/api/v1.0/users/${USER_ID}/subscriptions/settings/phonenumber`;
/** Raw search string of the bind request for {@link PHONE}. */
export const BIND_SEARCH = '?phoneNumber=%2B41791234567';

/** The normalized form of {@link PHONE}. */
export const PHONE_NUMBER = {
  e164: PHONE,
  countryCallingCode: '41',
  nationalNumber: NATIONAL,
  country: 'CH',
};

/** ETNA's bind answer: a serialized .NET Tuple<PhoneNumberModel, Int32>. */
export function bindAnswer(
  state = 'NotVerified',
  tokenId: unknown = TOKEN_ID,
  phone: string | null = PHONE,
): Record<string, unknown> {
  return { m_Item1: { PhoneNumber: phone, PhoneNumberState: state }, m_Item2: tokenId };
}

/** ETNA's PhoneNumberModel, as verify and get answer it. */
export function phoneModel(state: string, phone: string | null = PHONE): Record<string, unknown> {
  return { PhoneNumber: phone, PhoneNumberState: state };
}

/** A bind ticket as the ETNA adapter issues it. */
export function etnaTicket(overrides: Partial<VerificationTicket> = {}): VerificationTicket {
  return {
    provider: 'etna',
    purpose: 'bind',
    userId: USER_ID,
    phone: PHONE,
    issuedAt: new Date().toISOString(),
    data: { tokenId: TOKEN_ID },
    ...overrides,
  };
}

/** One request as the mocked backend saw it. */
export interface Captured {
  method: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  /** Raw search string, '?…' or ''. */
  search: string;
  headers: Headers;
  /** Raw body text ('' when none). */
  text: string;
}

/** What the mocked backend answers to the next request. */
export interface Reply {
  status?: number;
  /** JSON body. */
  json?: unknown;
  /** Raw body; wins over `json`. Neither: an empty body. */
  text?: string;
  headers?: Record<string, string>;
}

/**
 * Starts an msw server for the whole file whose one handler records every request to
 * {@link ORIGIN} and answers with the queued replies, in order. An unqueued request gets a 599 so
 * the test fails loudly; any other host is an unhandled request (error).
 */
export function useMockEtna(): {
  requests: Captured[];
  reply: (...replies: Reply[]) => void;
} {
  const requests: Captured[] = [];
  const queue: Reply[] = [];
  const server = setupServer(
    http.all(`${ORIGIN}/*`, async ({ request }) => {
      const url = new URL(request.url);
      requests.push({
        method: request.method,
        path: url.pathname,
        search: url.search,
        headers: request.headers,
        text: await request.text(),
      });
      const next = queue.shift();
      if (!next) return HttpResponse.text('no reply queued', { status: 599 });
      const status = next.status ?? 200;
      const headers = next.headers ?? {};
      if (next.text !== undefined) {
        return new HttpResponse(next.text.length === 0 ? null : next.text, { status, headers });
      }
      if (next.json === undefined) return new HttpResponse(null, { status, headers });
      return HttpResponse.json(next.json, { status, headers });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    requests.length = 0;
    queue.length = 0;
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { requests, reply: (...replies) => queue.push(...replies) };
}

export { rejection } from '../support/rejection.js';

/** Every value that must never show up in an error or a hook event. */
export const SECRETS: readonly string[] = [PHONE, DIGITS, NATIONAL, CODE, TOKEN, APP_KEY];

/** Asserts that neither the serialized value nor (for errors) its message shows a secret. */
export function expectNoLeak(value: unknown, extra: readonly string[] = []): void {
  const serialized = JSON.stringify(value);
  const message = value instanceof Error ? value.message : '';
  for (const secret of [...SECRETS, ...extra]) {
    expect(serialized).not.toContain(secret);
    expect(message).not.toContain(secret);
  }
}

/** What {@link expectRequest} checks besides the request line. */
export interface Expected {
  /** Raw search string; default ''. */
  search?: string;
  token?: string;
  appKey?: string;
  /** Further headers that must be present with these values. */
  headers?: Record<string, string>;
}

/** Asserts the request line, the raw query, both credentials, `accept` and the empty body. */
export function expectRequest(
  captured: Captured | undefined,
  method: string,
  path: string,
  expected: Expected = {},
): void {
  expect(captured).toBeDefined();
  const req = captured!;
  expect(req.method).toBe(method);
  expect(req.path).toBe(path);
  expect(req.search).toBe(expected.search ?? '');
  expect(req.headers.get('authorization')).toBe(`Bearer ${expected.token ?? TOKEN}`);
  expect(req.headers.get('et-app-key')).toBe(expected.appKey ?? APP_KEY);
  expect(req.headers.get('accept')).toBe('application/json');
  // None of ETNA's phone operations takes a body.
  expect(req.text).toBe('');
  expect(req.headers.get('content-type')).toBeNull();
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    expect(req.headers.get(name)).toBe(value);
  }
}

/** Runs a promise to completion under fake timers (ky's retry backoff), without real sleeping. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let done = false;
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void outcome.then(() => {
    done = true;
  });
  for (let i = 0; i < 200 && !done; i += 1) {
    await vi.advanceTimersByTimeAsync(25);
    // Real I/O (msw's response streams) runs on setImmediate, which stays real.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  expect(done).toBe(true);
  return outcome;
}
