import { describe, expect, it, vi } from 'vitest';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import type { PhoneBinding, VerificationTicket } from '../../src/index.js';
import { failingCredential } from '../support/credentials.js';
import { expectRefusedOf, expectRequestsOf } from '../support/requests.js';
import { expectGaveUp, useFakeRetryTimers, withFakeRetryTimers } from '../support/retries.js';
import { newTicket } from '../support/tickets.js';
import {
  BASE,
  CODE,
  DETAILS,
  expectNoLeak,
  expectRequest,
  NATIONAL,
  OTHER_PHONE,
  PHONE,
  PHONE_NUMBER,
  type Reply,
  rejection,
  settle,
  TOKEN,
  USER_ID,
  USER_ID_ENCODED,
  useMockZitadel,
  userWithPhone,
  zitadelError,
} from './helpers.js';

const V2_PHONE = `/v2/users/${USER_ID_ENCODED}/phone`;
const V2_USER = `/v2/users/${USER_ID_ENCODED}`;
const V1_PHONE = '/auth/v1/users/me/phone';

function v2(options: Partial<Parameters<typeof zitadel>[0]> = {}): PhoneBinding {
  return zitadel({ baseUrl: BASE, token: TOKEN, ...options });
}

function v1(options: Partial<Parameters<typeof zitadelSelf>[0]> = {}): PhoneBinding {
  return zitadelSelf({ baseUrl: BASE, token: TOKEN, ...options });
}

function v2Ticket(): VerificationTicket {
  return newTicket('zitadel', PHONE, { userId: USER_ID });
}

function v1Ticket(): VerificationTicket {
  return newTicket('zitadel-self', PHONE);
}

/** What bind and resend of the v2 adapter return while a code is pending. */
const V2_PENDING = {
  state: 'pending',
  purpose: 'bind',
  provider: 'zitadel',
  phone: PHONE_NUMBER,
  ticket: {
    provider: 'zitadel',
    purpose: 'bind',
    userId: USER_ID,
    phone: PHONE,
    issuedAt: expect.any(String),
  },
};
/** The same for zitadelSelf: its ticket names no user. */
const V1_PENDING = {
  state: 'pending',
  purpose: 'bind',
  provider: 'zitadel-self',
  phone: PHONE_NUMBER,
  ticket: { provider: 'zitadel-self', purpose: 'bind', phone: PHONE, issuedAt: expect.any(String) },
};
/** The verified number, as bind, verify and get return it. */
const V2_VERIFIED = { state: 'verified', provider: 'zitadel', phone: PHONE_NUMBER };
const V1_VERIFIED = { state: 'verified', provider: 'zitadel-self', phone: PHONE_NUMBER };

/**
 * Asserts the error of a bind whose "number not changed" answer the follow-up GET could not resolve
 * (another number, or the same one unverified): `sent` requests, a provider_error keeping the id.
 */
function expectUnchangedNumberError(error: unknown, provider: string, providerCode: string, sent = 2): void {
  expect(requests).toHaveLength(sent);
  expect(error).toMatchObject({ code: 'provider_error', providerCode, provider, operation: 'bind' });
}

const { requests, reply } = useMockZitadel();
const expectRequests = expectRequestsOf(requests, expectRequest);
const expectRefused = expectRefusedOf(requests);

/** One request as {@link expectRequests} takes it: method, path, body, token. */
type ExpectedRequest = Parameters<typeof expectRequests>[0];

/** A code-flow bind reads the user's number first (for `replaces`): the read and "no number". */
const V2_READ: ExpectedRequest = ['GET', V2_USER, undefined];
const V1_READ: ExpectedRequest = ['GET', V1_PHONE, undefined];
const V2_NO_PHONE: Reply = { json: userWithPhone({}) };
const V1_NO_PHONE: Reply = { json: DETAILS };

describe('zitadel (user service v2): bind', () => {
  it('reads the user, POSTs { phone, sendCode: {} } to /v2/users/{userId}/phone and returns pending', async () => {
    reply(V2_NO_PHONE, { json: DETAILS });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: '+41 79 123 45 67' });
    expectRequests(V2_READ, ['POST', V2_PHONE, { phone: PHONE, sendCode: {} }]);
    expect(result).toEqual(V2_PENDING);
    expect(result).not.toHaveProperty('code');
  });

  it('sends a national number in E.164 when defaultCountry is given', async () => {
    reply(V2_NO_PHONE, { json: DETAILS });
    await v2().bind({ userId: USER_ID, phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
    expectRequest(requests[1], 'POST', V2_PHONE, { phone: PHONE, sendCode: {} });
  });

  it("delivery 'return-code' sends { phone, returnCode: {} } and hands back verificationCode as code", async () => {
    reply(V2_NO_PHONE, { json: { ...DETAILS, verificationCode: '7QK2ZD' } });
    const result = await v2({ delivery: 'return-code' }).bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(V2_READ, ['POST', V2_PHONE, { phone: PHONE, returnCode: {} }]);
    expect(result).toEqual({ ...V2_PENDING, code: '7QK2ZD' });
  });

  it.each([
    ['verified: true sends { phone, isVerified: true } and returns a verified BoundPhone', {}],
    [
      "verified: true wins over delivery 'return-code' (no returnCode in the body)",
      { delivery: 'return-code' },
    ],
  ] as const)('%s', async (_name, options) => {
    reply({ json: DETAILS });
    const result = await v2(options).bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    expectRequests(['POST', V2_PHONE, { phone: PHONE, isVerified: true }]);
    expect(result).toEqual(V2_VERIFIED);
  });
});

describe('zitadel (user service v2): bind when Zitadel says "number not changed" (COMMAND-Uch5e)', () => {
  const notChanged = {
    status: 400,
    json: {
      code: 9,
      message: 'Phone not changed (COMMAND-Uch5e)',
      details: [
        {
          '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail',
          id: 'COMMAND-Uch5e',
          message: 'Phone not changed',
        },
      ],
    },
  };

  it('the same verified number, read first, is answered bound: one GET, no SetPhone, no SMS', async () => {
    reply({ json: userWithPhone({ phone: PHONE, isVerified: true }) });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(V2_READ);
    expect(result).toEqual(V2_VERIFIED);
  });

  it('"not changed" after a read that showed no number (a race) reads again and returns it verified', async () => {
    reply(V2_NO_PHONE, notChanged, { json: userWithPhone({ phone: PHONE, isVerified: true }) });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(V2_READ, ['POST', V2_PHONE, { phone: PHONE, sendCode: {} }], V2_READ);
    expect(result).toEqual(V2_VERIFIED);
  });

  it('verified: true on the same verified number returns it verified (2 requests)', async () => {
    reply(notChanged, { json: userWithPhone({ phone: PHONE, isVerified: true }) });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    expectRequests(['POST', V2_PHONE, { phone: PHONE, isVerified: true }], ['GET', V2_USER, undefined]);
    expect(result).toEqual(V2_VERIFIED);
  });

  it('re-sends the code when the same number is unverified (read, resend) and returns pending', async () => {
    reply({ json: userWithPhone({ phone: PHONE }) }, { json: DETAILS });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(V2_READ, ['POST', `${V2_PHONE}/resend`, { sendCode: {} }]);
    expect(result).toEqual(V2_PENDING);
    expect(result).not.toHaveProperty('replaces');
  });

  it('re-sends after "not changed" when the number became this one unverified (a race)', async () => {
    reply(V2_NO_PHONE, notChanged, { json: userWithPhone({ phone: PHONE }) }, { json: DETAILS });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(V2_READ, ['POST', V2_PHONE, { phone: PHONE, sendCode: {} }], V2_READ, [
      'POST',
      `${V2_PHONE}/resend`,
      { sendCode: {} },
    ]);
    expect(result).toEqual(V2_PENDING);
  });

  it("re-sends with { returnCode: {} } under delivery 'return-code' and hands the code back", async () => {
    reply({ json: userWithPhone({ phone: PHONE }) }, { json: { ...DETAILS, verificationCode: 'Q1W2E3' } });
    const result = await v2({ delivery: 'return-code' }).bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(V2_READ, ['POST', `${V2_PHONE}/resend`, { returnCode: {} }]);
    expect(result).toMatchObject({ state: 'pending', code: 'Q1W2E3' });
  });

  it('verified: true with the same number unverified throws provider_error (no resend)', async () => {
    reply(notChanged, { json: userWithPhone({ phone: PHONE }) });
    const error = await rejection(v2().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }));
    expectUnchangedNumberError(error, 'zitadel', 'COMMAND-Uch5e');
    expect(error.retryable).toBe(false);
    expectNoLeak(error);
  });

  it('throws provider_error when "not changed" is followed by a read of another number (3 requests)', async () => {
    reply(V2_NO_PHONE, notChanged, { json: userWithPhone({ phone: OTHER_PHONE, isVerified: true }) });
    const error = await rejection(v2().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expectUnchangedNumberError(error, 'zitadel', 'COMMAND-Uch5e', 3);
    expectNoLeak(error, [OTHER_PHONE]);
  });
});

describe('zitadel (user service v2): verify, resend, get, remove', () => {
  it('verify POSTs { verificationCode } (trimmed) to …/phone/verify and returns verified', async () => {
    reply({ json: DETAILS });
    const result = await v2().verify({ ticket: v2Ticket(), code: '  ABC123 ' });
    expectRequests(['POST', `${V2_PHONE}/verify`, { verificationCode: CODE }]);
    expect(result).toEqual(V2_VERIFIED);
  });

  it('verify accepts the ticket bind() returned, after a JSON round trip', async () => {
    reply(V2_NO_PHONE, { json: DETAILS }, { json: DETAILS });
    const binding = v2();
    const pending = await binding.bind({ userId: USER_ID, phoneNumber: PHONE });
    if (pending.state !== 'pending') throw new Error('expected pending');
    const ticket = JSON.parse(JSON.stringify(pending.ticket)) as VerificationTicket;
    await binding.verify({ ticket, code: CODE });
    expectRequest(requests[2], 'POST', `${V2_PHONE}/verify`, { verificationCode: CODE });
  });

  it('resend POSTs { sendCode: {} } to …/phone/resend and returns a new pending verification', async () => {
    reply({ json: DETAILS });
    const result = await v2().resend({ ticket: v2Ticket() });
    expectRequests(['POST', `${V2_PHONE}/resend`, { sendCode: {} }]);
    expect(result).toEqual(V2_PENDING);
    expect(result).not.toHaveProperty('code');
  });

  it("resend under delivery 'return-code' POSTs { returnCode: {} } and returns the code", async () => {
    reply({ json: { ...DETAILS, verificationCode: 'ZX9876' } });
    const result = await v2({ delivery: 'return-code' }).resend({ ticket: v2Ticket() });
    expectRequest(requests[0], 'POST', `${V2_PHONE}/resend`, { returnCode: {} });
    expect(result.code).toBe('ZX9876');
    expect(result.state).toBe('pending');
  });

  it('get GETs /v2/users/{userId} and reads user.human.phone (verified)', async () => {
    reply({ json: userWithPhone({ phone: PHONE, isVerified: true }) });
    const result = await v2().get({ userId: USER_ID });
    expectRequests(['GET', V2_USER, undefined]);
    expect(requests[0]!.headers.get('content-type')).toBeNull();
    expect(result).toEqual(V2_VERIFIED);
  });

  it('get reads an absent isVerified as unverified', async () => {
    reply({ json: userWithPhone({ phone: PHONE }) });
    expect(await v2().get({ userId: USER_ID })).toEqual({ ...V2_VERIFIED, state: 'unverified' });
  });

  it.each([
    ['phone: {} (no phone, defaults omitted)', userWithPhone({})],
    [
      'a user without human (machine user)',
      { ...DETAILS, user: { userId: USER_ID, state: 'USER_STATE_ACTIVE', machine: {} } },
    ],
    [
      'a human without phone',
      { ...DETAILS, user: { userId: USER_ID, human: { email: { email: 'x@example.test' } } } },
    ],
  ])('get returns null for %s', async (_name, body) => {
    reply({ json: body });
    expect(await v2().get({ userId: USER_ID })).toBeNull();
  });

  it('remove DELETEs /v2/users/{userId}/phone with no body', async () => {
    reply({ json: DETAILS });
    const result = await v2().remove({ userId: USER_ID });
    expectRequests(['DELETE', V2_PHONE, undefined]);
    expect(requests[0]!.headers.get('content-type')).toBeNull();
    expect(result).toEqual({ state: 'removed', provider: 'zitadel' });
  });

  it('remove with phoneNumber checks the stored number first (GET, then DELETE)', async () => {
    reply({ json: userWithPhone({ phone: PHONE, isVerified: true }) }, { json: DETAILS });
    const result = await v2().remove({ userId: USER_ID, phoneNumber: '+41 79 123 45 67' });
    expectRequests(['GET', V2_USER, undefined], ['DELETE', V2_PHONE, undefined]);
    expect(result).toEqual({ state: 'removed', provider: 'zitadel' });
  });

  it('remove with another phoneNumber than the stored one throws not_found and deletes nothing', async () => {
    reply({ json: userWithPhone({ phone: OTHER_PHONE, isVerified: true }) });
    const error = await rejection(v2().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('GET');
    expect(error).toMatchObject({ code: 'not_found', operation: 'remove', provider: 'zitadel' });
    expectNoLeak(error, [OTHER_PHONE]);
  });
});

/** Runs bind, verify, resend, get and remove once each on `binding`, for the user `user` names. */
async function runEveryOperation(
  binding: PhoneBinding,
  user: { userId?: string },
  ticket: () => VerificationTicket,
) {
  await binding.bind({ ...user, phoneNumber: PHONE });
  await binding.verify({ ticket: ticket(), code: CODE });
  await binding.resend({ ticket: ticket() });
  await binding.get(user);
  await binding.remove(user);
}

describe('zitadel (user service v2): credentials and headers', () => {
  it('passes the adapter headers option and per-call options.headers through', async () => {
    reply(V2_NO_PHONE, { json: DETAILS });
    await v2({ headers: { 'x-tenant': 'tenant-1' } }).bind(
      { userId: USER_ID, phoneNumber: PHONE },
      { headers: { 'x-request-id': 'req-42' } },
    );
    expectRequest(requests[1], 'POST', V2_PHONE, { phone: PHONE, sendCode: {} });
    for (const req of requests) {
      expect(req.headers.get('x-tenant')).toBe('tenant-1');
      expect(req.headers.get('x-request-id')).toBe('req-42');
    }
  });

  it('sends accept: application/json (when per-call headers are given)', async () => {
    reply(V2_NO_PHONE, { json: DETAILS });
    await v2().bind({ userId: USER_ID, phoneNumber: PHONE }, { headers: { 'x-request-id': 'req-1' } });
    expect(requests[1]!.headers.get('accept')).toBe('application/json');
    expect(requests[1]!.headers.get('content-type')).toBe('application/json');
  });

  // Regression: ky dropped the instance headers when `headers: undefined` was passed per call.
  it('every operation sends accept and the adapter headers option without per-call headers', async () => {
    reply(
      V2_NO_PHONE,
      { json: DETAILS },
      { json: DETAILS },
      { json: DETAILS },
      { json: userWithPhone({}) },
      { json: DETAILS },
    );
    await runEveryOperation(v2({ headers: { 'x-tenant': 'tenant-1' } }), { userId: USER_ID }, v2Ticket);
    expect(requests).toHaveLength(6);
    for (const req of requests) {
      expect(req.headers.get('accept')).toBe('application/json');
      expect(req.headers.get('x-tenant')).toBe('tenant-1');
    }
  });

  it('per-call headers cannot replace the authorization header', async () => {
    reply({ json: userWithPhone({}) });
    await v2({ headers: { authorization: 'Bearer nope-1' } }).get(
      { userId: USER_ID },
      { headers: { authorization: 'Bearer nope-2' } },
    );
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('calls a sync token function once per request', async () => {
    let n = 0;
    const token = vi.fn(() => `sync-token-${++n}`);
    reply(
      V2_NO_PHONE,
      { status: 400, json: zitadelError(9, 'COMMAND-Uch5e', 'Phone not changed') },
      { json: userWithPhone({ phone: PHONE }) },
      { json: DETAILS },
    );
    await v2({ token }).bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(token).toHaveBeenCalledTimes(4);
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual([
      'Bearer sync-token-1',
      'Bearer sync-token-2',
      'Bearer sync-token-3',
      'Bearer sync-token-4',
    ]);
  });

  it('calls an async token function once per request', async () => {
    let n = 0;
    const token = vi.fn(async () => `async-token-${++n}`);
    reply({ json: userWithPhone({ phone: PHONE }) }, { json: DETAILS });
    const binding = v2({ token });
    await binding.get({ userId: USER_ID });
    await binding.remove({ userId: USER_ID });
    expect(token).toHaveBeenCalledTimes(2);
    expectRequests(
      ['GET', V2_USER, undefined, 'async-token-1'],
      ['DELETE', V2_PHONE, undefined, 'async-token-2'],
    );
  });

  it('a token function that throws gives unauthenticated and sends nothing', async () => {
    const token = failingCredential();
    await expectRefused(v2({ token }).get({ userId: USER_ID }), {
      code: 'unauthenticated',
      operation: 'get',
    });
  });

  it('keeps a base URL path prefix', async () => {
    reply({ json: userWithPhone({}) });
    await zitadel({ baseUrl: `${BASE}/zitadel/`, token: TOKEN }).get({ userId: USER_ID });
    expectRequest(requests[0], 'GET', `/zitadel${V2_USER}`, undefined);
  });
});

describe('zitadelSelf (auth API v1): every operation', () => {
  it('bind reads, PUTs { phone } to /auth/v1/users/me/phone and returns pending (ticket without userId)', async () => {
    reply(V1_NO_PHONE, { json: DETAILS });
    const result = await v1().bind({ phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
    expectRequests(V1_READ, ['PUT', V1_PHONE, { phone: PHONE }]);
    expect(result).toEqual(V1_PENDING);
    expect(result).not.toHaveProperty('code');
  });

  it.each<[string, Reply, () => Promise<unknown>, ExpectedRequest, unknown]>([
    [
      'verify POSTs { code } (trimmed) to …/phone/_verify and returns verified',
      { json: DETAILS },
      () => v1().verify({ ticket: v1Ticket(), code: '  ABC123 ' }),
      ['POST', `${V1_PHONE}/_verify`, { code: CODE }],
      V1_VERIFIED,
    ],
    [
      'resend POSTs {} to …/phone/_resend_verification and returns pending',
      { json: DETAILS },
      () => v1().resend({ ticket: v1Ticket() }),
      ['POST', `${V1_PHONE}/_resend_verification`, {}],
      V1_PENDING,
    ],
    [
      'get GETs /auth/v1/users/me/phone and reads phone.isPhoneVerified',
      { json: { ...DETAILS, phone: { phone: PHONE, isPhoneVerified: true } } },
      () => v1().get({}),
      ['GET', V1_PHONE, undefined],
      V1_VERIFIED,
    ],
  ])('%s', async (_name, answer, run, request, expected) => {
    reply(answer);
    const result = await run();
    expectRequests(request);
    expect(result).toEqual(expected);
  });

  it('get reads an absent isPhoneVerified as unverified', async () => {
    reply({ json: { ...DETAILS, phone: { phone: PHONE } } });
    expect(await v1().get({})).toEqual({ ...V1_VERIFIED, state: 'unverified' });
  });

  it('get returns null when there is no phone (omitted, or {})', async () => {
    reply({ json: DETAILS }, { json: { ...DETAILS, phone: {} } });
    const binding = v1();
    expect(await binding.get({})).toBeNull();
    expect(await binding.get({})).toBeNull();
    expect(requests).toHaveLength(2);
  });

  it('remove DELETEs /auth/v1/users/me/phone with no body', async () => {
    reply({ json: DETAILS });
    const result = await v1().remove({});
    expectRequests(['DELETE', V1_PHONE, undefined]);
    expect(result).toEqual({ state: 'removed', provider: 'zitadel-self' });
  });

  it('remove with phoneNumber GETs first, then DELETEs', async () => {
    reply({ json: { ...DETAILS, phone: { phone: PHONE } } }, { json: DETAILS });
    await v1().remove({ phoneNumber: PHONE });
    expectRequests(['GET', V1_PHONE, undefined], ['DELETE', V1_PHONE, undefined]);
  });

  it('remove with another phoneNumber throws not_found and deletes nothing', async () => {
    reply({ json: { ...DETAILS, phone: { phone: OTHER_PHONE } } });
    const error = await rejection(v1().remove({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'not_found', provider: 'zitadel-self' });
    expectNoLeak(error, [OTHER_PHONE]);
  });

  it('passes headers and calls an async token per request', async () => {
    let n = 0;
    const token = vi.fn(async () => `user-token-${++n}`);
    reply(V1_NO_PHONE, { json: DETAILS }, { json: DETAILS });
    const binding = v1({ token, headers: { 'x-zitadel-orgid': 'org-1' } });
    await binding.bind({ phoneNumber: PHONE }, { headers: { 'accept-language': 'de' } });
    await binding.verify({ ticket: v1Ticket(), code: CODE });
    expectRequests(
      ['GET', V1_PHONE, undefined, 'user-token-1'],
      ['PUT', V1_PHONE, { phone: PHONE }, 'user-token-2'],
      ['POST', `${V1_PHONE}/_verify`, { code: CODE }, 'user-token-3'],
    );
    expect(requests[1]!.headers.get('x-zitadel-orgid')).toBe('org-1');
    expect(requests[1]!.headers.get('accept-language')).toBe('de');
    expect(requests[2]!.headers.get('accept-language')).toBeNull();
    expect(token).toHaveBeenCalledTimes(3);
  });

  it('every operation sends accept and the adapter headers option without per-call headers', async () => {
    reply(
      V1_NO_PHONE,
      { json: DETAILS },
      { json: DETAILS },
      { json: DETAILS },
      { json: DETAILS },
      { json: DETAILS },
    );
    await runEveryOperation(v1({ headers: { 'x-zitadel-orgid': 'org-1' } }), {}, v1Ticket);
    expect(requests).toHaveLength(6);
    for (const req of requests) {
      expect(req.headers.get('accept')).toBe('application/json');
      expect(req.headers.get('x-zitadel-orgid')).toBe('org-1');
    }
  });

  it('a sync token function is called per request', async () => {
    const token = vi.fn(() => 'sync-user-token');
    reply({ json: DETAILS }, { json: DETAILS });
    const binding = v1({ token });
    await binding.get({});
    await binding.get({});
    expect(token).toHaveBeenCalledTimes(2);
    expect(requests[1]!.headers.get('authorization')).toBe('Bearer sync-user-token');
  });
});

describe('zitadelSelf (auth API v1): bind when Zitadel says "number not changed" (COMMAND-wF94r)', () => {
  const notChanged = { status: 400, json: zitadelError(9, 'COMMAND-wF94r', 'Phone not changed') };

  it('the same verified number, read first, is answered bound: one GET, no SetMyPhone, no SMS', async () => {
    reply({ json: { ...DETAILS, phone: { phone: PHONE, isPhoneVerified: true } } });
    const result = await v1().bind({ phoneNumber: PHONE });
    expectRequests(V1_READ);
    expect(result).toEqual(V1_VERIFIED);
  });

  it('"not changed" after a read that showed no number (a race) reads again and returns it', async () => {
    reply(V1_NO_PHONE, notChanged, { json: { ...DETAILS, phone: { phone: PHONE, isPhoneVerified: true } } });
    const result = await v1().bind({ phoneNumber: PHONE });
    expectRequests(V1_READ, ['PUT', V1_PHONE, { phone: PHONE }], V1_READ);
    expect(result).toEqual(V1_VERIFIED);
  });

  it('re-sends when the same number is unverified (read, resend) and returns pending', async () => {
    reply({ json: { ...DETAILS, phone: { phone: PHONE } } }, { json: DETAILS });
    const result = await v1().bind({ phoneNumber: PHONE });
    expectRequests(V1_READ, ['POST', `${V1_PHONE}/_resend_verification`, {}]);
    expect(result).toEqual(V1_PENDING);
  });

  it('throws provider_error when "not changed" is followed by a read of another number', async () => {
    reply(V1_NO_PHONE, notChanged, {
      json: { ...DETAILS, phone: { phone: OTHER_PHONE, isPhoneVerified: true } },
    });
    const error = await rejection(v1().bind({ phoneNumber: PHONE }));
    expectUnchangedNumberError(error, 'zitadel-self', 'COMMAND-wF94r', 3);
    expectNoLeak(error, [OTHER_PHONE]);
  });
});

describe('input both adapters refuse locally', () => {
  it.each([
    ['zitadel bind refuses a missing userId', () => v2().bind({ phoneNumber: PHONE }), 'invalid_input'],
    [
      'zitadel bind refuses primary (unsupported)',
      () => v2().bind({ userId: USER_ID, phoneNumber: PHONE, primary: true }),
      'unsupported',
    ],
    [
      'zitadel verify refuses a zitadel-self ticket',
      () => v2().verify({ ticket: v1Ticket(), code: CODE }),
      'invalid_input',
    ],
    [
      'zitadel verify refuses an empty code',
      () => v2().verify({ ticket: v2Ticket(), code: '   ' }),
      'invalid_input',
    ],
    [
      'zitadel remove refuses ticket/code (no code needed)',
      () => v2().remove({ userId: USER_ID, ticket: v2Ticket(), code: CODE }),
      'invalid_input',
    ],
    [
      'zitadelSelf bind refuses userId (scope user)',
      () => v1().bind({ userId: USER_ID, phoneNumber: PHONE }),
      'invalid_input',
    ],
    [
      'zitadelSelf bind refuses verified: true as unsupported',
      () => v1().bind({ phoneNumber: PHONE, verified: true }),
      'unsupported',
    ],
    [
      'zitadelSelf verify refuses a zitadel (v2) ticket',
      () => v1().verify({ ticket: v2Ticket(), code: CODE }),
      'invalid_input',
    ],
    ['zitadelSelf get refuses userId', () => v1().get({ userId: USER_ID }), 'invalid_input'],
  ] as const)('%s before any request', async (_name, run, code) => {
    await expectRefused(run(), code);
  });
});

describe('bad 2xx answers are invalid_response, never a TypeError', () => {
  it.each([
    ['{} (no user)', {}],
    ['{ user: { human: { phone: { phone: 42 } } } }', { user: { human: { phone: { phone: 42 } } } }],
  ])('v2 get answered %s', async (_name, body) => {
    reply({ json: body });
    const error = await rejection(v2().get({ userId: USER_ID }));
    expect(error).toMatchObject({
      code: 'invalid_response',
      status: 200,
      operation: 'get',
      provider: 'zitadel',
      retryable: false,
    });
    expect(error.details).toEqual(body);
    expectNoLeak(error);
  });

  it.each([
    [
      'v2 get answered with a stored phone that is not a number',
      { json: userWithPhone({ phone: 'not-a-number', isVerified: true }) },
      () => v2().get({ userId: USER_ID }),
      { operation: 'get' },
    ],
    // Regression: a stored number in a bad 2xx body must be masked in `details` too.
    [
      'v2 get answered with a valid number but isVerified: "yes" does not leak the number',
      { json: userWithPhone({ phone: PHONE, isVerified: 'yes' }) },
      () => v2().get({ userId: USER_ID }),
      {},
    ],
    [
      'v2 get answered 200 with non-JSON text',
      { text: '<html>hello</html>', headers: { 'content-type': 'text/html' } },
      () => v2().get({ userId: USER_ID }),
      { status: 200, details: '<html>hello</html>' },
    ],
    [
      'v2 bind answered 200 with an empty body',
      [V2_NO_PHONE, { text: '' }],
      () => v2().bind({ userId: USER_ID, phoneNumber: PHONE }),
      { operation: 'bind', status: 200 },
    ],
    [
      'v2 bind answered with a non-string verificationCode',
      [V2_NO_PHONE, { json: { ...DETAILS, verificationCode: 123456 } }],
      () => v2({ delivery: 'return-code' }).bind({ userId: USER_ID, phoneNumber: PHONE }),
      {},
    ],
    [
      "v2 bind with delivery 'return-code' answered without verificationCode",
      [V2_NO_PHONE, { json: DETAILS }],
      () => v2({ delivery: 'return-code' }).bind({ userId: USER_ID, phoneNumber: PHONE }),
      { operation: 'bind', provider: 'zitadel' },
    ],
    [
      "v2 resend with delivery 'return-code' answered without verificationCode",
      { json: DETAILS },
      () => v2({ delivery: 'return-code' }).resend({ ticket: v2Ticket() }),
      { operation: 'resend' },
    ],
    [
      'v2 verify answered 200 with an array',
      { json: [] },
      () => v2().verify({ ticket: v2Ticket(), code: CODE }),
      { operation: 'verify' },
    ],
    [
      'v1 get answered { phone: { phone: 42 } }',
      { json: { ...DETAILS, phone: { phone: 42 } } },
      () => v1().get({}),
      { provider: 'zitadel-self' },
    ],
    ['v1 get answered 200 with non-JSON text', { text: 'OK' }, () => v1().get({}), {}],
    [
      'v1 bind answered 200 with an empty body',
      [V1_NO_PHONE, { text: '' }],
      () => v1().bind({ phoneNumber: PHONE }),
      { operation: 'bind' },
    ],
  ])('%s', async (_name, answer, run, expected) => {
    // A code-flow bind reads the user's number first: its answers are [read, set].
    const answers: Reply[] = Array.isArray(answer) ? answer : [answer];
    reply(...answers);
    const error = await rejection(run());
    expect(requests).toHaveLength(answers.length);
    expect(error).toMatchObject({ code: 'invalid_response', ...expected });
    expectNoLeak(error);
  });
});

describe('retries', () => {
  useFakeRetryTimers();

  const unavailable = { status: 503, json: { code: 14, message: 'unavailable' } };

  const limited = { status: 429, json: { code: 8, message: 'slow down' }, headers: { 'Retry-After': '1' } };

  it.each<[string, Reply[], () => Promise<unknown>, number, Record<string, unknown>]>([
    [
      'v2 bind answered 503 is sent exactly once (after the read)',
      [V2_NO_PHONE, unavailable, unavailable, unavailable],
      () => v2().bind({ userId: USER_ID, phoneNumber: PHONE }),
      2,
      {
        code: 'provider_error',
        status: 503,
        retryable: false,
        message: expect.stringContaining('sent an SMS'),
      },
    ],
    [
      'v2 bind with verified: true answered 503 is sent exactly once',
      [unavailable, unavailable, unavailable],
      () => v2().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }),
      1,
      { code: 'provider_error', status: 503 },
    ],
    [
      'v2 verify answered 503 is sent exactly once',
      [unavailable, unavailable, unavailable],
      () => v2().verify({ ticket: v2Ticket(), code: CODE }),
      1,
      { code: 'provider_error', operation: 'verify' },
    ],
    [
      'v2 resend answered 503 is sent exactly once',
      [unavailable, unavailable, unavailable],
      () => v2().resend({ ticket: v2Ticket() }),
      1,
      { code: 'provider_error', operation: 'resend' },
    ],
    [
      'v2 get gives up after the default 2 retries (3 requests) with a retryable provider_error',
      [unavailable, unavailable, unavailable, unavailable],
      () => v2().get({ userId: USER_ID }),
      3,
      {
        code: 'provider_error',
        status: 503,
        retryable: true,
        operation: 'get',
        provider: 'zitadel',
        providerCode: 'grpc:14',
      },
    ],
    [
      'v2 bind answered 429 is sent exactly once (default retry, after the read)',
      [V2_NO_PHONE, limited, limited, limited],
      () => v2().bind({ userId: USER_ID, phoneNumber: PHONE }),
      2,
      { code: 'rate_limited', retryAfterMs: 1000, retryable: true },
    ],
    [
      'retry: 1 allows exactly one retry of get',
      [unavailable, unavailable, unavailable],
      () => v2({ retry: 1 }).get({ userId: USER_ID }),
      2,
      { code: 'provider_error' },
    ],
    [
      'retry: 0 sends get exactly once',
      [unavailable, unavailable],
      () => v2({ retry: 0 }).get({ userId: USER_ID }),
      1,
      { code: 'provider_error' },
    ],
    [
      'a 400 on get is not retried',
      [{ status: 400, json: { code: 3, message: 'invalid' } }, { json: DETAILS }],
      () => v2().get({ userId: USER_ID }),
      1,
      { code: 'invalid_input' },
    ],
  ])('%s', async (_name, answers, call, sent, expected) => {
    reply(...answers);
    await expectGaveUp(requests, call(), sent, expected);
  });

  it('v1 bind, verify and resend answered 503 are each sent exactly once', async () => {
    const binding = v1();
    reply(V1_NO_PHONE, unavailable, unavailable, unavailable, unavailable, unavailable, unavailable);
    const bind = await settle(binding.bind({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(2);
    const verify = await settle(binding.verify({ ticket: v1Ticket(), code: CODE }));
    expect(requests).toHaveLength(3);
    const resend = await settle(binding.resend({ ticket: v1Ticket() }));
    expect(requests).toHaveLength(4);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${V1_PHONE}`,
      `PUT ${V1_PHONE}`,
      `POST ${V1_PHONE}/_verify`,
      `POST ${V1_PHONE}/_resend_verification`,
    ]);
    for (const { error } of [bind, verify, resend]) {
      expect(error).toMatchObject({ code: 'provider_error', status: 503 });
    }
  });

  it('v2 get answered 503 twice then 200 is retried (3 requests, token resolved each time)', async () => {
    let n = 0;
    const token = vi.fn(() => `t-${++n}`);
    reply(unavailable, unavailable, { json: userWithPhone({ phone: PHONE, isVerified: true }) });
    const { value, error } = await settle(v2({ token }).get({ userId: USER_ID }));
    expect(error).toBeUndefined();
    expectRequests(
      ['GET', V2_USER, undefined, 't-1'],
      ['GET', V2_USER, undefined, 't-2'],
      ['GET', V2_USER, undefined, 't-3'],
    );
    expect(value).toEqual(V2_VERIFIED);
  });

  it('a per-call retry overrides the adapter’s for reads (0: one request; 1: two); writes stay single', async () => {
    reply(unavailable);
    const once = await settle(v2().get({ userId: USER_ID }, { retry: 0 }));
    expect(once.error).toMatchObject({ code: 'provider_error', status: 503 });
    expect(requests).toHaveLength(1);
    reply(unavailable, unavailable);
    const twice = await settle(v2({ retry: 0 }).get({ userId: USER_ID }, { retry: 1 }));
    expect(twice.error).toMatchObject({ code: 'provider_error', status: 503 });
    expect(requests).toHaveLength(3);
    reply(unavailable);
    const write = await settle(
      v2().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }, { retry: 5 }),
    );
    expect(write.error).toMatchObject({ code: 'provider_error', status: 503, retryable: false });
    expect(requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
  });

  it('v2 remove answered 503 twice then 200 is retried (3 requests)', async () => {
    reply(unavailable, unavailable, { json: DETAILS });
    const { value, error } = await settle(v2().remove({ userId: USER_ID }));
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(3);
    for (const req of requests) expectRequest(req, 'DELETE', V2_PHONE, undefined);
    expect(value).toEqual({ state: 'removed', provider: 'zitadel' });
  });

  it('v1 get and remove answered 503 twice then 200 are retried', async () => {
    reply(unavailable, unavailable, { json: { ...DETAILS, phone: { phone: PHONE } } });
    reply(unavailable, unavailable, { json: DETAILS });
    const binding = v1();
    const get = await settle(binding.get({}));
    expect(requests).toHaveLength(3);
    expect(get.value).toEqual({ ...V1_VERIFIED, state: 'unverified' });
    const remove = await settle(binding.remove({}));
    expect(requests).toHaveLength(6);
    expect(remove.value).toEqual({ state: 'removed', provider: 'zitadel-self' });
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'DELETE', 'DELETE', 'DELETE']);
  });

  it('v2 get answered 429 with Retry-After: 1 is retried after the announced delay, not before', async () => {
    reply(limited, { json: userWithPhone({ phone: PHONE }) });
    const outcome = v2().get({ userId: USER_ID });
    for (let i = 0; i < 9; i += 1) {
      await vi.advanceTimersByTimeAsync(100);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(requests).toHaveLength(1);
    const { value } = await settle(outcome);
    expect(requests).toHaveLength(2);
    expect(value).toEqual({ ...V2_VERIFIED, state: 'unverified' });
  });

  it('the remove pre-check GET is retried, the DELETE after it too', async () => {
    reply(unavailable, { json: userWithPhone({ phone: PHONE }) }, unavailable, { json: DETAILS });
    const { value } = await settle(v2().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'DELETE', 'DELETE']);
    expect(value).toEqual({ state: 'removed', provider: 'zitadel' });
  });
});

/** A fetch that answers bind's read (no number) and fails every other request with `error`. */
function readThenFail(error: Error): typeof fetch {
  return async (input, init) => {
    const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
    if (method === 'GET') return Response.json(userWithPhone({}));
    throw error;
  };
}

describe('transport failures', () => {
  it('a per-call timeout gives timeout', () =>
    withFakeRetryTimers(async () => {
      // No reply queued would answer 599; instead hold the answer until well past the timeout.
      const never = new Promise<never>(() => {});
      const { error } = await settle(
        v2({
          retry: 0,
          fetch: async (input) => {
            const request = input as Request;
            requests.push({
              method: request.method,
              path: new URL(request.url).pathname,
              search: '',
              headers: request.headers,
              text: '',
              json: undefined,
            });
            return never;
          },
        }).get({ userId: USER_ID }, { timeout: 1000 }),
      );
      expect(requests).toHaveLength(1);
      expect(error).toMatchObject({
        code: 'timeout',
        retryable: true,
        operation: 'get',
        provider: 'zitadel',
      });
    }));

  it('an aborted signal gives network (not retryable) and the phone is not leaked', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user left'));
    const error = await rejection(
      v2().bind({ userId: USER_ID, phoneNumber: PHONE }, { signal: controller.signal }),
    );
    expect(error).toMatchObject({ code: 'network', retryable: false });
    expectNoLeak(error);
  });

  it('a broken connection gives network', async () => {
    const error = await rejection(
      v2({ fetch: readThenFail(new TypeError('fetch failed')) }).bind({
        userId: USER_ID,
        phoneNumber: PHONE,
      }),
    );
    // The SMS request may have reached Zitadel before the connection broke: not safe to repeat.
    expect(error).toMatchObject({ code: 'network', retryable: false, operation: 'bind' });
    expect(error.message).toContain('second one');
    expectNoLeak(error);
  });

  it('a refused connection on bind is safe to repeat (nothing was sent)', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    });
    const error = await rejection(
      v2({ fetch: readThenFail(refused) }).bind({ userId: USER_ID, phoneNumber: PHONE }),
    );
    expect(error).toMatchObject({ code: 'network', retryable: true });
  });
});

// The national number must never reach a request path or query either (it travels only in bodies).
describe('no secret in URLs', () => {
  it('v2 paths carry only the userId', async () => {
    reply(V2_NO_PHONE, { json: DETAILS }, { json: DETAILS });
    await v2().bind({ userId: USER_ID, phoneNumber: PHONE });
    await v2().verify({ ticket: v2Ticket(), code: CODE });
    for (const req of requests) {
      for (const secret of [NATIONAL, CODE, TOKEN]) expect(`${req.path}${req.search}`).not.toContain(secret);
    }
  });
});
