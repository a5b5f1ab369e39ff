import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { PhoneBindingError } from '../../src/index.js';

/** Base URL of the mocked Authing application domain (Authentication API). */
export const BASE = 'https://example.authing.test';
/** The end user's access token. */
export const TOKEN = 'tok_s3cr3t_user_value';
/** Application id (`x-authing-app-id`). */
export const APP_ID = 'app-60c9f1a2b3';
/** User pool id (`x-authing-userpool-id`). */
export const USER_POOL_ID = 'pool-5f1e2d3c4b';

/** A Swiss number, E.164. */
export const PHONE = '+41791234567';
/** Its national significant number (what Authing's `phoneNumber` takes). */
export const NATIONAL = '791234567';
/** A mainland China number, E.164 (the wire reference's example number). */
export const CN_PHONE = '+8618800008888';
/** Its national significant number. */
export const CN_NATIONAL = '18800008888';
/** A verification code. */
export const CODE = '739105';

/** The normalized form of {@link PHONE}. */
export const PHONE_NUMBER = {
  e164: PHONE,
  countryCallingCode: '41',
  nationalNumber: NATIONAL,
  country: 'CH',
};

/** The normalized form of {@link CN_PHONE}. */
export const CN_PHONE_NUMBER = {
  e164: CN_PHONE,
  countryCallingCode: '86',
  nationalNumber: CN_NATIONAL,
  country: 'CN',
};

/** The v3 paths. */
export const PATHS = {
  sendSms: '/api/v3/send-sms',
  bindPhone: '/api/v3/bind-phone',
  unbindPhone: '/api/v3/unbind-phone',
  getProfile: '/api/v3/get-profile',
} as const;

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

/** Authing's success envelope (send-sms, bind-phone, unbind-phone: no `data`). */
export const OK = { statusCode: 200, message: 'success', requestId: 'req-ok-0001' };

/** A get-profile answer whose `data` (a `UserDto`) holds the given fields. */
export function profile(data: Record<string, unknown>): Reply {
  return {
    json: {
      statusCode: 200,
      message: 'success',
      requestId: 'req-profile-0001',
      data: { userId: 'user-0001', email: 'user@example.test', status: 'Activated', ...data },
    },
  };
}

/** get-profile of a user without a phone number. */
export const NO_PHONE = profile({ phone: null, phoneVerified: false });

/** An Authing failure envelope (as it arrives inside an HTTP 200, or a real 4xx/5xx). */
export function failure(
  statusCode: number,
  apiCode?: number,
  message = 'localized failure text',
  requestId = 'req-fail-7e3a',
): Record<string, unknown> {
  return {
    statusCode,
    message,
    ...(apiCode === undefined ? {} : { apiCode }),
    requestId,
  };
}

/**
 * Starts an msw server for the whole file whose one handler records every request to
 * {@link BASE} and answers with the queued replies, in order. An unqueued request gets a 599 so the
 * test fails loudly; any other host is an unhandled request (error).
 */
export function useMockAuthing(): {
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
      return HttpResponse.json(next.json ?? OK, { status, headers: next.headers ?? {} });
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

/** Every spelling of a secret the tests use that must never show. */
export const SECRETS = [PHONE, NATIONAL, CN_PHONE, CN_NATIONAL, CODE, TOKEN] as const;

/** Asserts that neither the serialized error nor its message shows a secret. */
export function expectNoLeak(error: PhoneBindingError, extra: readonly string[] = []): void {
  const serialized = JSON.stringify(error);
  for (const secret of [...SECRETS, ...extra]) {
    expect(serialized).not.toContain(secret);
    expect(error.message).not.toContain(secret);
  }
}

/**
 * Asserts the request line, no query, the raw credential, `accept`, the app id header and the
 * exact JSON body (`undefined`: no body and no content-type).
 */
export function expectRequest(
  captured: Captured | undefined,
  method: string,
  path: string,
  body: unknown,
  authorization = TOKEN,
): void {
  expect(captured).toBeDefined();
  const req = captured!;
  expect(req.method).toBe(method);
  expect(req.path).toBe(path);
  expect(req.search).toBe('');
  expect(req.headers.get('authorization')).toBe(authorization);
  expect(req.headers.get('accept')).toBe('application/json');
  expect(req.headers.get('x-authing-app-id')).toBe(APP_ID);
  if (body === undefined) {
    expect(req.text).toBe('');
    expect(req.headers.get('content-type')).toBeNull();
  } else {
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.json).toEqual(body);
  }
}
