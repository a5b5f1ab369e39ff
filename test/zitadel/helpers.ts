import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { PhoneBindingError } from '../../src/index.js';

/** Base URL of the mocked Zitadel instance. */
export const BASE = 'https://zitadel.example.test';
/** Service token / access token used by the adapters under test. */
export const TOKEN = 'tok_s3cr3t_value';
/** The number every test binds, in E.164. */
export const PHONE = '+41791234567';
/** Its national significant number. */
export const NATIONAL = '791234567';
/** A verification code. */
export const CODE = 'ABC123';
/** A user id that needs percent-encoding in a path segment. */
export const USER_ID = 'a/b c';
/** Its encoded form. */
export const USER_ID_ENCODED = 'a%2Fb%20c';

/** The normalized form of {@link PHONE}. */
export const PHONE_NUMBER = {
  e164: PHONE,
  countryCallingCode: '41',
  nationalNumber: NATIONAL,
  country: 'CH',
};

/** One request as the mocked backend saw it. */
export interface Captured {
  method: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  search: string;
  headers: Headers;
  /** Raw body text ('' when none). */
  text: string;
  /** Parsed JSON body, `undefined` when the body is empty. */
  json: unknown;
}

/** What the mocked backend answers to the next request. */
export interface Reply {
  status?: number;
  json?: unknown;
  /** Raw body; wins over `json`. */
  text?: string;
  headers?: Record<string, string>;
}

/** Zitadel's mutation answer. */
export const DETAILS = {
  details: { sequence: '12', changeDate: '2026-07-10T09:52:56.123Z', resourceOwner: '69629023906488334' },
};

/** A REST-gateway error body (google.rpc.Status JSON) with a zitadel.v1.ErrorDetail. */
export function zitadelError(code: number, id: string, text: string): Record<string, unknown> {
  return {
    code,
    message: `${text} (${id})`,
    details: [{ '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail', id, message: text }],
  };
}

/** A v2 GetUserByID answer holding `phone` (the `human.phone` object) as given. */
export function userWithPhone(phone: Record<string, unknown>): Record<string, unknown> {
  return {
    ...DETAILS,
    user: { userId: USER_ID, state: 'USER_STATE_ACTIVE', human: { phone } },
  };
}

/**
 * Starts an msw server for the whole file whose one handler records every request to
 * {@link BASE} and answers with the queued replies, in order. An unqueued request gets a 599 so the
 * test fails loudly; any other host is an unhandled request (error).
 */
export function useMockZitadel(): {
  requests: Captured[];
  reply: (...replies: Reply[]) => void;
} {
  const requests: Captured[] = [];
  const queue: Reply[] = [];
  const server = setupServer(
    http.all(`${BASE}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const text = await request.text();
      let json: unknown;
      try {
        json = text.length === 0 ? undefined : JSON.parse(text);
      } catch {
        json = `<<not JSON: ${text}>>`;
      }
      requests.push({
        method: request.method,
        path: url.pathname,
        search: url.search,
        headers: request.headers,
        text,
        json,
      });
      const next = queue.shift();
      if (!next) return HttpResponse.text('no reply queued', { status: 599 });
      const status = next.status ?? 200;
      if (next.text !== undefined) {
        return new HttpResponse(next.text.length === 0 ? null : next.text, {
          status,
          headers: next.headers ?? {},
        });
      }
      return HttpResponse.json(next.json ?? DETAILS, { status, headers: next.headers ?? {} });
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

/** Asserts that neither the serialized error nor its message shows a secret. */
export function expectNoLeak(error: PhoneBindingError, extra: readonly string[] = []): void {
  const serialized = JSON.stringify(error);
  for (const secret of [PHONE, NATIONAL, CODE, TOKEN, ...extra]) {
    expect(serialized).not.toContain(secret);
    expect(error.message).not.toContain(secret);
  }
}

/** Asserts the request line, the credential, `accept`, the query (none) and the exact body. */
export function expectRequest(
  captured: Captured | undefined,
  method: string,
  path: string,
  body: unknown,
  token = TOKEN,
): void {
  expect(captured).toBeDefined();
  const req = captured!;
  expect(req.method).toBe(method);
  expect(req.path).toBe(path);
  expect(req.search).toBe('');
  expect(req.headers.get('authorization')).toBe(`Bearer ${token}`);
  expect(req.headers.get('accept')).toBe('application/json');
  if (body === undefined) {
    expect(req.text).toBe('');
  } else {
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.json).toEqual(body);
  }
}
