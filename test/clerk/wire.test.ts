import { afterEach, describe, expect, it, vi } from 'vitest';
import { clerk } from '../../adapters/clerk/index.js';
import type { BoundPhone, PendingVerification, PhoneBinding, VerificationTicket } from '../../src/index.js';
import { failingCredential } from '../support/credentials.js';
import { attemptsOf, expectEventsCleanOf, recordHooks } from '../support/hooks.js';
import { expectRefusedOf, expectRequestsOf } from '../support/requests.js';
import { expectGaveUp, useFakeRetryTimers, withFakeRetryTimers } from '../support/retries.js';
import { BAD_CODES, badTickets } from '../support/tickets.js';
import {
  CODE,
  clerkErrors,
  clerkTicket,
  EXPIRE_AT,
  expectNoLeak,
  expectRequest,
  NATIONAL,
  OTHER_PHONE,
  otpVerification,
  PHONE,
  PHONE_ID,
  PHONE_NUMBER,
  PROXY_ORIGIN,
  phoneObject,
  type Reply,
  rejection,
  SECRET_KEY,
  SECRETS,
  settle,
  TRACE_ID,
  USER_ID,
  useMockClerk,
  userObject,
  VERIFICATION_ID,
  verificationAnswer,
} from './helpers.js';

const CREATE_PATH = '/v1/phone_numbers';
const PHONE_PATH = `/v1/phone_numbers/${PHONE_ID}`;
const PREPARE_PATH = `${PHONE_PATH}/prepare_verification`;
const ATTEMPT_PATH = `${PHONE_PATH}/attempt_verification`;
const USER_PATH = `/v1/users/${USER_ID}`;
const EXPIRES_ISO = new Date(EXPIRE_AT).toISOString();
const OTHER_ID = 'idn_2otherNUMBER9';
const OTHER_NATIONAL = '4155552671';

function adapter(options: Partial<Parameters<typeof clerk>[0]> = {}): PhoneBinding {
  return clerk({ secretKey: SECRET_KEY, ...options });
}

function pending(result: PendingVerification | BoundPhone): PendingVerification {
  if (result.state !== 'pending') throw new Error(`expected pending, got ${result.state}`);
  return result;
}

const CREATE_UNVERIFIED = { user_id: USER_ID, phone_number: PHONE, verified: false };
const CREATE_VERIFIED = { user_id: USER_ID, phone_number: PHONE, verified: true };
/** The attempt_verification body for {@link CODE} on the first verification. */
const ATTEMPT = { verification_id: VERIFICATION_ID, code: CODE };
/** Ticket data of a code flow that asked for primary. */
const PRIMARY_DATA = { phoneNumberId: PHONE_ID, verificationId: VERIFICATION_ID, primary: 1 };

/** Clerk's answers: the number created unverified, the first prepare, the number deleted. */
const CREATED_UNVERIFIED = { json: phoneObject({ verification: null }) };
const PREPARED = { json: verificationAnswer() };
const DELETED = { json: { object: 'phone_number', id: PHONE_ID, deleted: true } };
/** Clerk refusing another code for now: 429 with Retry-After. */
const THROTTLED = {
  status: 429,
  json: clerkErrors('verification_code_too_many_requests'),
  headers: { 'Retry-After': '30' },
};

const TICKET_SHAPE = {
  provider: 'clerk',
  purpose: 'bind',
  userId: USER_ID,
  phone: PHONE,
  issuedAt: expect.any(String),
  expiresAt: EXPIRES_ISO,
  data: { phoneNumberId: PHONE_ID, verificationId: VERIFICATION_ID },
};

const PENDING = {
  state: 'pending',
  purpose: 'bind',
  provider: 'clerk',
  phone: PHONE_NUMBER,
  ticket: TICKET_SHAPE,
};
const REMOVED = { state: 'removed', provider: 'clerk' };

const VERIFIED_PHONE: BoundPhone = {
  state: 'verified',
  provider: 'clerk',
  phone: PHONE_NUMBER,
  id: PHONE_ID,
  secondFactor: false,
};

/** The user as bind reads it first: no numbers yet (no change). */
const NO_NUMBERS = { json: userObject([]) };

const { requests, reply } = useMockClerk();
const expectRequests = expectRequestsOf(requests, expectRequest);
const expectRefused = expectRefusedOf(requests);

describe('credentials and headers', () => {
  it('every request carries Bearer <secretKey>, clerk-api-version, accept; bodies are JSON', async () => {
    reply(
      NO_NUMBERS,
      CREATED_UNVERIFIED,
      PREPARED,
      { json: verificationAnswer({ status: 'verified', attempts: 1 }) },
      { json: userObject([phoneObject()], PHONE_ID) },
      { json: userObject([phoneObject()], PHONE_ID) },
      DELETED,
    );
    const b = adapter();
    const started = pending(await b.bind({ userId: USER_ID, phoneNumber: PHONE }));
    await b.verify({ ticket: started.ticket, code: CODE });
    await b.get({ userId: USER_ID });
    await b.remove({ userId: USER_ID });
    expectRequests(
      ['GET', USER_PATH],
      ['POST', CREATE_PATH, { json: CREATE_UNVERIFIED }],
      ['POST', PREPARE_PATH],
      ['POST', ATTEMPT_PATH, { json: ATTEMPT }],
      ['GET', USER_PATH],
      ['GET', USER_PATH],
      ['DELETE', PHONE_PATH],
    );
  });

  it('a sync secretKey function is called once per request', async () => {
    let n = 0;
    const secretKey = vi.fn(() => `sk_test_fn_${++n}`);
    reply(NO_NUMBERS, CREATED_UNVERIFIED, PREPARED);
    const b = adapter({ secretKey });
    expect(secretKey).not.toHaveBeenCalled();
    await b.bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(secretKey).toHaveBeenCalledTimes(3);
    expectRequest(requests[0], 'GET', USER_PATH, { secretKey: 'sk_test_fn_1' });
    expectRequest(requests[1], 'POST', CREATE_PATH, { json: CREATE_UNVERIFIED, secretKey: 'sk_test_fn_2' });
    expectRequest(requests[2], 'POST', PREPARE_PATH, { secretKey: 'sk_test_fn_3' });
  });

  it('an async secretKey function is awaited and called once per request', async () => {
    let n = 0;
    const secretKey = vi.fn(async () => `sk_test_async_${++n}`);
    reply(
      { json: userObject([phoneObject()], PHONE_ID) },
      { json: { object: 'phone_number', deleted: true } },
    );
    const result = await adapter({ secretKey }).remove({ userId: USER_ID });
    expect(result).toEqual(REMOVED);
    expect(secretKey).toHaveBeenCalledTimes(2);
    expectRequest(requests[0], 'GET', USER_PATH, { secretKey: 'sk_test_async_1' });
    expectRequest(requests[1], 'DELETE', PHONE_PATH, { secretKey: 'sk_test_async_2' });
  });

  it('sends the adapter headers option and per-call options.headers', async () => {
    reply(NO_NUMBERS, { json: phoneObject() }, { json: userObject([phoneObject()], PHONE_ID) });
    const b = adapter({ headers: { 'x-tenant': 'acme', 'x-shared': 'adapter' } });
    await b.bind(
      { userId: USER_ID, phoneNumber: PHONE, verified: true },
      { headers: { 'x-request-id': 'req-1' } },
    );
    await b.get({ userId: USER_ID }, { headers: { 'x-shared': 'call' } });
    const callHeaders = { 'x-tenant': 'acme', 'x-shared': 'adapter', 'x-request-id': 'req-1' };
    expectRequest(requests[0], 'GET', USER_PATH, { headers: callHeaders });
    expectRequest(requests[1], 'POST', CREATE_PATH, { json: CREATE_VERIFIED, headers: callHeaders });
    expectRequest(requests[2], 'GET', USER_PATH, { headers: { 'x-tenant': 'acme', 'x-shared': 'call' } });
    expect(requests[2]!.headers.get('x-request-id')).toBeNull();
  });

  it('headers (adapter or per call) cannot replace authorization', async () => {
    reply({ json: userObject([]) }, { json: userObject([]) });
    const b = adapter({ headers: { Authorization: 'Bearer sk_adapter_evil' } });
    await b.get({ userId: USER_ID });
    await b.get({ userId: USER_ID }, { headers: { authorization: 'Bearer sk_call_evil' } });
    expectRequest(requests[0], 'GET', USER_PATH);
    expectRequest(requests[1], 'GET', USER_PATH);
  });

  // Regression: the adapter owns clerk-api-version; another spelling in `headers` must not join it.
  it('a Clerk-API-Version in the headers option never yields a comma-joined version', async () => {
    reply({ json: userObject([]) });
    await adapter({ headers: { 'Clerk-API-Version': '2021-02-05' } }).get({ userId: USER_ID });
    expect(['2026-05-12', '2021-02-05']).toContain(requests[0]!.headers.get('clerk-api-version'));
  });

  it('a throwing secretKey function is unauthenticated and sends nothing', async () => {
    const secretKey = failingCredential(`vault down for ${SECRET_KEY}`);
    const error = await expectRefused(adapter({ secretKey }).bind({ userId: USER_ID, phoneNumber: PHONE }), {
      code: 'unauthenticated',
      operation: 'bind',
      provider: 'clerk',
    });
    expectNoLeak(error);
  });

  it('a secretKey function resolving to an empty string is invalid_input and sends nothing', async () => {
    await expectRefused(adapter({ secretKey: () => '' }).get({ userId: USER_ID }), {
      code: 'invalid_input',
      operation: 'get',
    });
  });

  it('refuses a missing or empty secretKey at construction', () => {
    expect(() => clerk({ secretKey: '' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => clerk({} as Parameters<typeof clerk>[0])).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});

describe('base URL', () => {
  it('defaults to https://api.clerk.com and appends /v1/…', async () => {
    reply({ json: userObject([]) });
    await clerk({ secretKey: SECRET_KEY }).get({ userId: USER_ID });
    expect(requests[0]!.origin).toBe('https://api.clerk.com');
    expectRequest(requests[0], 'GET', '/v1/users/user_2abcDEF123ghi');
  });

  it('a custom baseUrl with a path (and a trailing slash) gets /v1/… appended', async () => {
    reply(NO_NUMBERS, CREATED_UNVERIFIED, PREPARED, { json: userObject([]) });
    const b = adapter({ baseUrl: `${PROXY_ORIGIN}/proxy/clerk/` });
    await b.bind({ userId: USER_ID, phoneNumber: PHONE });
    await b.get({ userId: USER_ID });
    const origin = PROXY_ORIGIN;
    expectRequest(requests[0], 'GET', `/proxy/clerk/v1/users/${USER_ID}`, { origin });
    expectRequest(requests[1], 'POST', '/proxy/clerk/v1/phone_numbers', { origin, json: CREATE_UNVERIFIED });
    expectRequest(requests[2], 'POST', `/proxy/clerk/v1/phone_numbers/${PHONE_ID}/prepare_verification`, {
      origin,
    });
    expectRequest(requests[3], 'GET', `/proxy/clerk/v1/users/${USER_ID}`, { origin });
  });

  it('a custom baseUrl on a bare origin', async () => {
    reply({ json: userObject([]) });
    await adapter({ baseUrl: PROXY_ORIGIN }).get({ userId: USER_ID });
    expectRequest(requests[0], 'GET', USER_PATH, { origin: PROXY_ORIGIN });
  });
});

describe('bind with verified: true', () => {
  it('POSTs /v1/phone_numbers {user_id, phone_number, verified: true} → verified BoundPhone with the id', async () => {
    reply(NO_NUMBERS, { json: phoneObject() });
    const result = await adapter().bind({
      userId: USER_ID,
      phoneNumber: '+1 (201) 555-0100',
      verified: true,
    });
    expectRequests(['GET', USER_PATH], ['POST', CREATE_PATH, { json: CREATE_VERIFIED }]);
    expect(result).toEqual(VERIFIED_PHONE);
    expect(result).not.toHaveProperty('primary');
  });

  it.each([true, false])('primary: %s is sent and returned', async (primary) => {
    reply(NO_NUMBERS, { json: phoneObject() });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true, primary });
    expectRequests(['GET', USER_PATH], ['POST', CREATE_PATH, { json: { ...CREATE_VERIFIED, primary } }]);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary });
  });

  it('returns the id Clerk answered with', async () => {
    reply(NO_NUMBERS, { json: phoneObject({ id: 'idn_2fresh0042' }) });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    expect(result).toEqual({ ...VERIFIED_PHONE, id: 'idn_2fresh0042' });
  });

  it('sends a national number in E.164 when defaultCountry is given', async () => {
    reply(NO_NUMBERS, { json: phoneObject() });
    await adapter().bind({
      userId: USER_ID,
      phoneNumber: '(201) 555-0100',
      defaultCountry: 'US',
      verified: true,
    });
    expectRequest(requests[1], 'POST', CREATE_PATH, { json: CREATE_VERIFIED });
  });

  it('sends the userId verbatim in the JSON body', async () => {
    reply(NO_NUMBERS, { json: phoneObject() });
    await adapter().bind({ userId: 'user_a/b c?d', phoneNumber: PHONE, verified: true });
    expectRequest(requests[1], 'POST', CREATE_PATH, {
      json: { user_id: 'user_a/b c?d', phone_number: PHONE, verified: true },
    });
  });

  // The document lets a PhoneNumber come without id; bind verified: true needs none.
  it('an answer without an id is the bound number without id', async () => {
    const { id: _id, ...withoutId } = phoneObject();
    reply(NO_NUMBERS, { json: withoutId });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    const { id: _none, ...expected } = VERIFIED_PHONE;
    expect(result).toEqual(expected);
    expect(result).not.toHaveProperty('id');
  });

  it('refuses a missing userId before any request', async () => {
    await expectRefused(adapter().bind({ phoneNumber: PHONE, verified: true }), {
      code: 'invalid_input',
      operation: 'bind',
      provider: 'clerk',
    });
  });

  it.each(['12', '+15555550100'])('refuses the invalid number %j before any request', async (phoneNumber) => {
    await expectRefused(
      adapter().bind({ userId: USER_ID, phoneNumber, verified: true }),
      'invalid_phone_number',
    );
  });
});

describe('bind with a code', () => {
  it('creates the number unverified, then POSTs prepare_verification without a body → pending', async () => {
    reply(NO_NUMBERS, CREATED_UNVERIFIED, PREPARED);
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(
      ['GET', USER_PATH],
      ['POST', CREATE_PATH, { json: CREATE_UNVERIFIED }],
      ['POST', PREPARE_PATH],
    );
    expect(result).toEqual(PENDING);
    const { ticket } = pending(result);
    expect(ticket.expiresAt).toBe('2099-01-01T00:10:00.000Z');
    expect(Number.isNaN(Date.parse(ticket.issuedAt))).toBe(false);
    expect(result).not.toHaveProperty('code');
  });

  it('verified: false explicitly is the same code flow', async () => {
    reply(NO_NUMBERS, CREATED_UNVERIFIED, PREPARED);
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: false });
    expectRequest(requests[1], 'POST', CREATE_PATH, { json: CREATE_UNVERIFIED });
    expect(result.state).toBe('pending');
  });

  it.each([
    [true, 1],
    [false, 0],
  ])('primary: %s is not sent on create but travels in the ticket as %d', async (primary, flag) => {
    reply(NO_NUMBERS, CREATED_UNVERIFIED, PREPARED);
    const result = pending(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, primary }));
    expectRequest(requests[1], 'POST', CREATE_PATH, { json: CREATE_UNVERIFIED });
    expectRequest(requests[2], 'POST', PREPARE_PATH);
    expect(result.ticket.data).toEqual({
      phoneNumberId: PHONE_ID,
      verificationId: VERIFICATION_ID,
      primary: flag,
    });
  });

  it('expire_at null gives a ticket without expiresAt', async () => {
    reply(NO_NUMBERS, CREATED_UNVERIFIED, { json: verificationAnswer({ expireAt: null }) });
    const result = pending(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(result.ticket).not.toHaveProperty('expiresAt');
  });

  it('percent-encodes the created id in the prepare path', async () => {
    reply(NO_NUMBERS, { json: phoneObject({ id: 'idn_a/b?c#d e', verification: null }) }, PREPARED);
    const result = pending(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expectRequest(requests[2], 'POST', '/v1/phone_numbers/idn_a%2Fb%3Fc%23d%20e/prepare_verification');
    expect(result.ticket.data?.phoneNumberId).toBe('idn_a/b?c#d e');
  });

  it('the ticket survives a JSON round trip and verifies', async () => {
    reply(NO_NUMBERS, CREATED_UNVERIFIED, PREPARED, {
      json: verificationAnswer({ status: 'verified', attempts: 1 }),
    });
    const b = adapter();
    const started = pending(await b.bind({ userId: USER_ID, phoneNumber: PHONE }));
    const ticket = JSON.parse(JSON.stringify(started.ticket)) as VerificationTicket;
    expect(await b.verify({ ticket, code: CODE })).toEqual(VERIFIED_PHONE);
    expectRequest(requests[3], 'POST', ATTEMPT_PATH, { json: ATTEMPT });
  });

  it('prepare answered 429 verification_code_too_many_requests: DELETEs the new number, throws rate_limited', async () => {
    reply(NO_NUMBERS, CREATED_UNVERIFIED, THROTTLED, DELETED);
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expectRequests(
      ['GET', USER_PATH],
      ['POST', CREATE_PATH, { json: CREATE_UNVERIFIED }],
      ['POST', PREPARE_PATH],
      ['DELETE', PHONE_PATH],
    );
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      providerCode: 'verification_code_too_many_requests',
      requestId: TRACE_ID,
      retryAfterMs: 30_000,
      retryable: true,
      operation: 'bind',
      provider: 'clerk',
    });
    expect(error.details).toEqual(clerkErrors('verification_code_too_many_requests'));
    expect(error.details).not.toHaveProperty('leftUnverifiedPhoneNumberId');
    expectNoLeak(error);
  });

  it('prepare answered 500: DELETEs the new number, throws provider_error, not retryable (an SMS may be out)', async () => {
    reply(
      NO_NUMBERS,
      CREATED_UNVERIFIED,
      { status: 500, json: clerkErrors('internal_clerk_error') },
      DELETED,
    );
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${USER_PATH}`,
      `POST ${CREATE_PATH}`,
      `POST ${PREPARE_PATH}`,
      `DELETE ${PHONE_PATH}`,
    ]);
    expect(error).toMatchObject({
      code: 'provider_error',
      status: 500,
      providerCode: 'internal_clerk_error',
      retryable: false,
    });
    expect(error.message).toMatch(/may have/i);
  });

  it('prepare answering without a verification id: invalid_response, and the new number is DELETEd', async () => {
    const { id: _id, ...withoutId } = verificationAnswer();
    reply(NO_NUMBERS, CREATED_UNVERIFIED, { json: withoutId }, DELETED);
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'DELETE']);
    expect(error).toMatchObject({ code: 'invalid_response', operation: 'bind' });
  });

  it('prepare and the cleanup DELETE both fail: the prepare error carries leftUnverifiedPhoneNumberId', async () => {
    const body = clerkErrors('internal_clerk_error');
    reply(
      NO_NUMBERS,
      CREATED_UNVERIFIED,
      { status: 500, json: body },
      { status: 500, json: clerkErrors('internal_clerk_error', { trace: 'other-trace' }) },
    );
    const error = await rejection(adapter({ retry: 0 }).bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'DELETE']);
    expect(error).toMatchObject({
      code: 'provider_error',
      status: 500,
      providerCode: 'internal_clerk_error',
      requestId: TRACE_ID,
      operation: 'bind',
    });
    expect(error.details).toEqual({ ...body, leftUnverifiedPhoneNumberId: PHONE_ID });
    expectNoLeak(error);
  });

  it('prepare rate-limited and the DELETE refused: rate_limited with leftUnverifiedPhoneNumberId', async () => {
    reply(NO_NUMBERS, CREATED_UNVERIFIED, THROTTLED, {
      status: 403,
      json: clerkErrors('authorization_invalid'),
    });
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'DELETE']);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 30_000 });
    expect(error.details).toMatchObject({ leftUnverifiedPhoneNumberId: PHONE_ID });
  });

  // Regression: string details survive the cleanup note (no spreading of a string into an object).
  it('a non-JSON prepare error whose cleanup failed keeps its body text in details', async () => {
    reply(
      NO_NUMBERS,
      CREATED_UNVERIFIED,
      { status: 502, text: 'Bad Gateway', headers: { 'content-type': 'text/plain' } },
      { status: 502, text: 'Bad Gateway', headers: { 'content-type': 'text/plain' } },
    );
    const error = await rejection(adapter({ retry: 0 }).bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(error).toMatchObject({ code: 'provider_error', status: 502, retryable: false });
    expect(error.details).toMatchObject({ leftUnverifiedPhoneNumberId: PHONE_ID });
    expect(JSON.stringify(error.details)).toContain('Bad Gateway');
  });

  it('a create error stops before prepare', async () => {
    reply(NO_NUMBERS, { status: 422, json: clerkErrors('form_param_format_invalid') });
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests).toHaveLength(2);
    expect(error.code).toBe('invalid_phone_number');
  });
});

describe('bind of a number the user already holds (read first, nothing created)', () => {
  const EXISTS = { status: 422, json: clerkErrors('form_identifier_exists', { message: 'is taken' }) };

  // Decision: the user was just read and does not hold the number, so form_identifier_exists is
  // someone else's number: phone_in_use, without a second read.
  it("another user's number: the GET, the create, then phone_in_use", async () => {
    reply({ json: userObject([phoneObject({ id: OTHER_ID, phone: OTHER_PHONE })], OTHER_ID) }, EXISTS);
    const error = await rejection(
      adapter().bind({ userId: USER_ID, phoneNumber: PHONE, keepPrevious: true }),
    );
    expectRequests(['GET', USER_PATH], ['POST', CREATE_PATH, { json: CREATE_UNVERIFIED }]);
    expect(error).toMatchObject({
      code: 'phone_in_use',
      status: 422,
      providerCode: 'form_identifier_exists',
      requestId: TRACE_ID,
      retryable: false,
      operation: 'bind',
      provider: 'clerk',
    });
    expect(error.message).toContain('Clerk');
    expectNoLeak(error);
  });

  it("another user's number with verified: true: phone_in_use, no PATCH", async () => {
    reply(NO_NUMBERS, EXISTS);
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(error.code).toBe('phone_in_use');
  });

  it("the user's own verified (secondary) number: returned verified as it is, nothing else sent", async () => {
    reply({
      json: userObject([phoneObject({ id: OTHER_ID, phone: OTHER_PHONE }), phoneObject()], OTHER_ID),
    });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(['GET', USER_PATH]);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: false });
  });

  it("the user's own verified primary number: returned verified and primary, nothing else sent", async () => {
    reply({ json: userObject([phoneObject()], PHONE_ID) });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(requests).toHaveLength(1);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it("the user's own verified secondary number with primary: true: one PATCH {primary: true}", async () => {
    reply(
      { json: userObject([phoneObject({ id: OTHER_ID, phone: OTHER_PHONE }), phoneObject()], OTHER_ID) },
      { json: phoneObject() },
    );
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, primary: true });
    expectRequests(['GET', USER_PATH], ['PATCH', PHONE_PATH, { json: { primary: true } }]);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it("the user's own unverified number: prepares a code on its id", async () => {
    const existingId = 'idn_2already0007';
    reply(
      { json: userObject([phoneObject({ id: existingId, verification: otpVerification('expired') })]) },
      { json: verificationAnswer({ id: 'ver_2again' }) },
    );
    const result = pending(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, primary: true }));
    expectRequests(['GET', USER_PATH], ['POST', `/v1/phone_numbers/${existingId}/prepare_verification`]);
    expect(result.ticket).toEqual({
      ...TICKET_SHAPE,
      data: { phoneNumberId: existingId, verificationId: 'ver_2again', primary: 1 },
    });
    expect(result).not.toHaveProperty('replaces');
  });

  it("the user's own unverified number (verification null) whose prepare fails: no DELETE of it", async () => {
    reply(
      { json: userObject([phoneObject({ verification: null })]) },
      { status: 500, json: clerkErrors('internal_clerk_error') },
      DELETED,
    );
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${USER_PATH}`,
      `POST ${PREPARE_PATH}`,
    ]);
    expect(error).toMatchObject({ code: 'provider_error', status: 500 });
    expect(error.details).not.toHaveProperty('leftUnverifiedPhoneNumberId');
  });

  it("verified: true on the user's own number: PATCHes it {verified: true}", async () => {
    reply(
      { json: userObject([phoneObject({ verification: otpVerification('unverified') })]) },
      { json: phoneObject() },
    );
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    expectRequests(['GET', USER_PATH], ['PATCH', PHONE_PATH, { json: { verified: true } }]);
    expect(result).toEqual(VERIFIED_PHONE);
  });

  it.each([true, false])(
    'verified: true, primary: %s on the own number: PATCH carries primary',
    async (primary) => {
      reply({ json: userObject([phoneObject()]) }, { json: phoneObject() });
      const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true, primary });
      expectRequests(['GET', USER_PATH], ['PATCH', PHONE_PATH, { json: { verified: true, primary } }]);
      expect(result).toEqual({ ...VERIFIED_PHONE, primary });
    },
  );

  it('the GET user failing stops the bind before anything is created', async () => {
    reply({ status: 404, json: clerkErrors('resource_not_found') });
    const error = await rejection(adapter({ retry: 0 }).bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'not_found', status: 404, providerCode: 'resource_not_found' });
  });
});

describe('verify', () => {
  it('POSTs attempt_verification {verification_id, code} (code trimmed); verified → BoundPhone', async () => {
    reply({ json: verificationAnswer({ status: 'verified', attempts: 1 }) });
    const result = await adapter().verify({ ticket: clerkTicket(), code: `  ${CODE} ` });
    expectRequests(['POST', ATTEMPT_PATH, { json: ATTEMPT }]);
    expect(result).toEqual(VERIFIED_PHONE);
    expect(result).not.toHaveProperty('primary');
  });

  it('ticket primary 1: PATCHes {primary: true} after the verification; result primary true', async () => {
    reply({ json: verificationAnswer({ status: 'verified', attempts: 1 }) }, { json: phoneObject() });
    const ticket = clerkTicket({ data: PRIMARY_DATA });
    const result = await adapter().verify({ ticket, code: CODE });
    expectRequests(
      ['POST', ATTEMPT_PATH, { json: ATTEMPT }],
      ['PATCH', PHONE_PATH, { json: { primary: true } }],
    );
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('ticket primary 0: no PATCH; result primary false', async () => {
    reply({ json: verificationAnswer({ status: 'verified', attempts: 1 }) });
    const ticket = clerkTicket({
      data: { phoneNumberId: PHONE_ID, verificationId: VERIFICATION_ID, primary: 0 },
    });
    const result = await adapter().verify({ ticket, code: CODE });
    expect(requests).toHaveLength(1);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: false });
  });

  it('percent-encodes the phone number id from the ticket', async () => {
    reply({ json: verificationAnswer({ status: 'verified' }) });
    const ticket = clerkTicket({ data: { phoneNumberId: 'idn_x/y?z', verificationId: 'ver_1/2' } });
    const result = await adapter().verify({ ticket, code: CODE });
    expectRequest(requests[0], 'POST', '/v1/phone_numbers/idn_x%2Fy%3Fz/attempt_verification', {
      json: { verification_id: 'ver_1/2', code: CODE },
    });
    expect(result.id).toBe('idn_x/y?z');
  });

  it.each([
    ['unverified', 'invalid_code'],
    ['expired', 'code_expired'],
    ['failed', 'too_many_attempts'],
    ['transferable', 'invalid_response'],
    ['', 'invalid_response'],
  ])('HTTP 200 with status %j rejects with %s (never a success)', async (status, code) => {
    reply({ json: verificationAnswer({ status, attempts: 3 }) });
    const promise = adapter().verify({ ticket: clerkTicket(), code: CODE });
    await expect(promise).rejects.toThrow();
    const error = await rejection(promise);
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({
      code,
      providerCode: status,
      retryable: false,
      operation: 'verify',
      provider: 'clerk',
    });
    expect(error.status).toBeUndefined();
    expectNoLeak(error);
  });

  it('a wrong code with ticket primary 1 does not PATCH', async () => {
    reply({ json: verificationAnswer({ status: 'unverified', attempts: 1 }) }, { json: phoneObject() });
    const ticket = clerkTicket({ data: PRIMARY_DATA });
    const error = await rejection(adapter().verify({ ticket, code: CODE }));
    expect(error.code).toBe('invalid_code');
    expect(requests).toHaveLength(1);
  });

  it('a 200 without a status is invalid_response', async () => {
    reply({ json: { object: 'verification_otp', id: VERIFICATION_ID } });
    const error = await rejection(adapter().verify({ ticket: clerkTicket(), code: CODE }));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200, operation: 'verify' });
  });

  it('400 verification_already_verified: GETs the number; verified → returns it verified', async () => {
    reply(
      { status: 400, json: clerkErrors('verification_already_verified') },
      { json: phoneObject({ verification: otpVerification('verified') }) },
    );
    const result = await adapter().verify({ ticket: clerkTicket(), code: CODE });
    expectRequests(['POST', ATTEMPT_PATH, { json: ATTEMPT }], ['GET', PHONE_PATH]);
    expect(result).toEqual(VERIFIED_PHONE);
  });

  it('400 verification_already_verified but the number reads unverified: rethrows the 400', async () => {
    reply(
      { status: 400, json: clerkErrors('verification_already_verified') },
      { json: phoneObject({ verification: otpVerification('unverified') }) },
    );
    const error = await rejection(adapter().verify({ ticket: clerkTicket(), code: CODE }));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${ATTEMPT_PATH}`,
      `GET ${PHONE_PATH}`,
    ]);
    expect(error).toMatchObject({
      status: 400,
      providerCode: 'verification_already_verified',
      requestId: TRACE_ID,
      operation: 'verify',
      provider: 'clerk',
    });
    expect(error.code).toBe('provider_error');
  });

  it('400 verification_already_verified and verification null on the number: rethrows', async () => {
    reply(
      { status: 400, json: clerkErrors('verification_already_verified') },
      { json: phoneObject({ verification: null }) },
    );
    const error = await rejection(adapter().verify({ ticket: clerkTicket(), code: CODE }));
    expect(error.providerCode).toBe('verification_already_verified');
  });

  // Regression: an already-verified answer still applies the ticket's primary wish.
  it('already verified with ticket primary 1 still makes the number primary', async () => {
    reply(
      { status: 400, json: clerkErrors('verification_already_verified') },
      { json: phoneObject({ verification: otpVerification('verified') }) },
      { json: phoneObject() },
    );
    const ticket = clerkTicket({ data: PRIMARY_DATA });
    const result = await adapter().verify({ ticket, code: CODE });
    expect(requests.map((r) => r.method)).toEqual(['POST', 'GET', 'PATCH']);
    expectRequest(requests[2], 'PATCH', PHONE_PATH, { json: { primary: true } });
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it.each([
    ['no data', undefined],
    ['empty data', {}],
    ['no verificationId', { phoneNumberId: PHONE_ID }],
    ['no phoneNumberId', { verificationId: VERIFICATION_ID }],
    ['numeric phoneNumberId', { phoneNumberId: 42, verificationId: VERIFICATION_ID }],
    ['numeric verificationId', { phoneNumberId: PHONE_ID, verificationId: 7 }],
    ['empty phoneNumberId', { phoneNumberId: '', verificationId: VERIFICATION_ID }],
    ['".." as phoneNumberId', { phoneNumberId: '..', verificationId: VERIFICATION_ID }],
    ['"." as phoneNumberId', { phoneNumberId: '.', verificationId: VERIFICATION_ID }],
    ['padded phoneNumberId', { phoneNumberId: ` ${PHONE_ID}`, verificationId: VERIFICATION_ID }],
    ['phoneNumberId with CR/LF', { phoneNumberId: 'idn_1\r\nx', verificationId: VERIFICATION_ID }],
    ['empty verificationId', { phoneNumberId: PHONE_ID, verificationId: '' }],
    ['verificationId with a tab', { phoneNumberId: PHONE_ID, verificationId: 'ver\t1' }],
    ['overlong phoneNumberId', { phoneNumberId: `idn_${'x'.repeat(300)}`, verificationId: VERIFICATION_ID }],
  ])('a ticket with %s is invalid_input with zero requests (verify and resend)', async (_name, data) => {
    const ticket = clerkTicket();
    if (data === undefined) delete ticket.data;
    else ticket.data = data as Record<string, string | number>;
    const b = adapter();
    const error = await rejection(b.verify({ ticket, code: CODE }));
    expect(error).toMatchObject({ code: 'invalid_input', operation: 'verify', provider: 'clerk' });
    await expectRefused(b.resend({ ticket }), {
      code: 'invalid_input',
      operation: 'resend',
      provider: 'clerk',
    });
    expectNoLeak(error);
  });

  it.each(badTickets(clerkTicket, { provider: 'etna', phone: '2015550100' }))(
    '%s is refused with zero requests',
    async (_name, ticket, code) => {
      await expectRefused(adapter().verify({ ticket: ticket(), code: CODE }), code);
    },
  );

  it.each(BAD_CODES)('refuses the code %j before any request', async (code) => {
    await expectRefused(adapter().verify({ ticket: clerkTicket(), code }), 'invalid_input');
  });
});

describe('resend', () => {
  it('POSTs prepare_verification again → a new ticket with the new verificationId, same phoneNumberId', async () => {
    reply({ json: verificationAnswer({ id: 'ver_2second', expireAt: EXPIRE_AT + 60_000 }) });
    const result = await adapter().resend({ ticket: clerkTicket() });
    expectRequests(['POST', PREPARE_PATH]);
    expect(result).toEqual({
      state: 'pending',
      purpose: 'bind',
      provider: 'clerk',
      phone: PHONE_NUMBER,
      ticket: {
        ...TICKET_SHAPE,
        expiresAt: new Date(EXPIRE_AT + 60_000).toISOString(),
        data: { phoneNumberId: PHONE_ID, verificationId: 'ver_2second' },
      },
    });
  });

  it('keeps the primary wish of the ticket', async () => {
    reply({ json: verificationAnswer({ id: 'ver_2second' }) });
    const ticket = clerkTicket({ data: PRIMARY_DATA });
    const result = await adapter().resend({ ticket });
    expect(result.ticket.data).toEqual({
      phoneNumberId: PHONE_ID,
      verificationId: 'ver_2second',
      primary: 1,
    });
  });

  it('works on an expired ticket (its job is to replace the code)', async () => {
    reply({ json: verificationAnswer({ id: 'ver_2third' }) });
    const result = await adapter().resend({ ticket: clerkTicket({ expiresAt: '2000-01-01T00:00:00.000Z' }) });
    expect(result.ticket.data).toEqual({ phoneNumberId: PHONE_ID, verificationId: 'ver_2third' });
    expect(result.ticket.expiresAt).toBe(EXPIRES_ISO);
  });

  it('bind → resend → verify uses the new verification id', async () => {
    reply(
      NO_NUMBERS,
      CREATED_UNVERIFIED,
      PREPARED,
      { json: verificationAnswer({ id: 'ver_2second' }) },
      { json: verificationAnswer({ id: 'ver_2second', status: 'verified', attempts: 1 }) },
    );
    const b = adapter();
    const first = pending(await b.bind({ userId: USER_ID, phoneNumber: PHONE }));
    const second = await b.resend({ ticket: first.ticket });
    const bound = await b.verify({ ticket: second.ticket, code: CODE });
    expectRequest(requests[2], 'POST', PREPARE_PATH);
    expectRequest(requests[3], 'POST', PREPARE_PATH);
    expectRequest(requests[4], 'POST', ATTEMPT_PATH, {
      json: { verification_id: 'ver_2second', code: CODE },
    });
    expect(bound).toEqual(VERIFIED_PHONE);
  });

  it('a 429 on resend is rate_limited with Retry-After, sent once, nothing deleted', async () => {
    reply(THROTTLED);
    const error = await rejection(adapter().resend({ ticket: clerkTicket() }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 30_000, operation: 'resend' });
  });

  it('a ticket from another provider is invalid_input with zero requests', async () => {
    await expectRefused(adapter().resend({ ticket: clerkTicket({ provider: 'zitadel' }) }), 'invalid_input');
  });
});

describe('get', () => {
  it('GETs /v1/users/{id}; the primary number → BoundPhone with id and primary true', async () => {
    reply({
      json: userObject(
        [
          phoneObject({ id: OTHER_ID, phone: OTHER_PHONE }),
          phoneObject({ verification: otpVerification('verified') }),
        ],
        PHONE_ID,
      ),
    });
    const result = await adapter().get({ userId: USER_ID });
    expectRequests(['GET', USER_PATH]);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('no primary: the first verified number', async () => {
    reply({
      json: userObject([
        phoneObject({ id: OTHER_ID, phone: OTHER_PHONE, verification: otpVerification('unverified') }),
        phoneObject(),
      ]),
    });
    expect(await adapter().get({ userId: USER_ID })).toEqual({ ...VERIFIED_PHONE, primary: false });
  });

  it('no primary and nothing verified: the first number, unverified', async () => {
    reply({
      json: userObject([
        phoneObject({ verification: otpVerification('expired') }),
        phoneObject({ id: OTHER_ID, phone: OTHER_PHONE, verification: null }),
      ]),
    });
    expect(await adapter().get({ userId: USER_ID })).toEqual({
      state: 'unverified',
      provider: 'clerk',
      phone: PHONE_NUMBER,
      id: PHONE_ID,
      primary: false,
      secondFactor: false,
    });
  });

  it('verification null → unverified', async () => {
    reply({ json: userObject([phoneObject({ verification: null })], PHONE_ID) });
    expect(await adapter().get({ userId: USER_ID })).toEqual({
      state: 'unverified',
      provider: 'clerk',
      phone: PHONE_NUMBER,
      id: PHONE_ID,
      primary: true,
      secondFactor: false,
    });
  });

  it('no numbers → null', async () => {
    reply({ json: userObject([]) });
    expect(await adapter().get({ userId: USER_ID })).toBeNull();
    expect(requests).toHaveLength(1);
  });

  it('a stored number the bundled metadata does not know is still read', async () => {
    reply({ json: userObject([phoneObject({ phone: '+15555550100' })], PHONE_ID) });
    const result = await adapter().get({ userId: USER_ID });
    expect(result?.phone).toEqual({
      e164: '+15555550100',
      countryCallingCode: '1',
      nationalNumber: '5555550100',
    });
  });

  it('percent-encodes the user id in the path', async () => {
    reply({ json: userObject([]) });
    await adapter().get({ userId: 'user_a/b?c#d e%' });
    expectRequest(requests[0], 'GET', '/v1/users/user_a%2Fb%3Fc%23d%20e%25');
  });

  it('a stored number that is not E.164 is invalid_response', async () => {
    reply({ json: userObject([phoneObject({ phone: NATIONAL })], PHONE_ID) });
    const error = await rejection(adapter().get({ userId: USER_ID }));
    expect(error).toMatchObject({ code: 'invalid_response', operation: 'get', provider: 'clerk' });
    expectNoLeak(error);
  });

  it('a user body without phone_numbers is invalid_response', async () => {
    const { phone_numbers: _numbers, ...user } = userObject([]);
    reply({ json: user });
    const error = await rejection(adapter().get({ userId: USER_ID }));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200, operation: 'get' });
  });

  it.each([
    ['missing', {}],
    ['empty', { userId: '' }],
    ['"..', { userId: '..' }],
  ])('refuses a %s userId before any request', async (_name, input) => {
    await expectRefused(adapter().get(input), 'invalid_input');
  });
});

describe('remove', () => {
  it('GETs the user, DELETEs the primary number → removed', async () => {
    reply(
      { json: userObject([phoneObject({ id: OTHER_ID, phone: OTHER_PHONE }), phoneObject()], PHONE_ID) },
      DELETED,
    );
    const result = await adapter().remove({ userId: USER_ID });
    expectRequests(['GET', USER_PATH], ['DELETE', PHONE_PATH]);
    expect(result).toEqual(REMOVED);
  });

  it.each([PHONE, '+1 (201) 555-0100', 'tel:+1-201-555-0100', '001 201 555 0100', '+1.201.555.0100'])(
    'with phoneNumber %j: DELETEs the matching (non-primary) number',
    async (phoneNumber) => {
      reply(
        { json: userObject([phoneObject({ id: OTHER_ID, phone: OTHER_PHONE }), phoneObject()], OTHER_ID) },
        DELETED,
      );
      const result = await adapter().remove({ userId: USER_ID, phoneNumber });
      expectRequests(['GET', USER_PATH], ['DELETE', PHONE_PATH]);
      expect(result).toEqual(REMOVED);
    },
  );

  it('percent-encodes the user id and the phone number id', async () => {
    reply({ json: userObject([phoneObject({ id: 'idn_p/q r' })], 'idn_p/q r') }, DELETED);
    await adapter().remove({ userId: 'user_x/y' });
    expectRequest(requests[0], 'GET', '/v1/users/user_x%2Fy');
    expectRequest(requests[1], 'DELETE', '/v1/phone_numbers/idn_p%2Fq%20r');
  });

  it('a phoneNumber the user does not have: not_found after the GET alone', async () => {
    reply({ json: userObject([phoneObject({ id: OTHER_ID, phone: OTHER_PHONE })], OTHER_ID) }, DELETED);
    const error = await rejection(adapter().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'not_found', operation: 'remove', provider: 'clerk' });
    expectNoLeak(error, [OTHER_PHONE, OTHER_NATIONAL]);
  });

  it('no primary number and no phoneNumber: not_found after the GET alone', async () => {
    reply({ json: userObject([phoneObject()], null) }, DELETED);
    const error = await rejection(adapter().remove({ userId: USER_ID }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'not_found', operation: 'remove' });
  });

  it('{deleted: false} → provider_error', async () => {
    reply(
      { json: userObject([phoneObject()], PHONE_ID) },
      { json: { object: 'phone_number', id: PHONE_ID, deleted: false } },
    );
    const error = await rejection(adapter().remove({ userId: USER_ID }));
    expect(requests).toHaveLength(2);
    expect(error).toMatchObject({ code: 'provider_error', operation: 'remove', provider: 'clerk' });
    expectNoLeak(error);
  });

  it('a DELETE answer without deleted is invalid_response', async () => {
    reply(
      { json: userObject([phoneObject()], PHONE_ID) },
      { json: { object: 'phone_number', id: PHONE_ID } },
    );
    const error = await rejection(adapter().remove({ userId: USER_ID }));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200, operation: 'remove' });
  });

  it('refuses ticket/code (removal needs no code) before any request', async () => {
    await expectRefused(
      adapter().remove({ userId: USER_ID, ticket: clerkTicket({ purpose: 'remove' }), code: CODE }),
      'invalid_input',
    );
  });

  it('refuses an invalid phoneNumber before any request', async () => {
    await expectRefused(adapter().remove({ userId: USER_ID, phoneNumber: '12' }), 'invalid_phone_number');
  });
});

describe('retries', () => {
  useFakeRetryTimers();

  const unavailable = { status: 503, json: clerkErrors('service_unavailable') };
  const broken = { networkError: true as const };
  const limited = { status: 429, json: clerkErrors('too_many_requests'), headers: { 'Retry-After': '1' } };

  it.each([
    ['503', unavailable, 'provider_error'],
    ['a network error', broken, 'network'],
  ])('create (bind verified) answered %s is sent exactly once', async (_name, answer, code) => {
    reply(NO_NUMBERS, answer, answer, answer);
    const { error } = await settle(adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    // The number may have been created: not retryable, and the message says so.
    expect(error).toMatchObject({ code, retryable: false, operation: 'bind' });
    expect((error as Error).message).toMatch(/may have/i);
  });

  it.each([
    ['503', unavailable, 'provider_error'],
    ['a network error', broken, 'network'],
  ])(
    'prepare (bind) answered %s is sent exactly once, then the number is deleted',
    async (_name, answer, code) => {
      reply(NO_NUMBERS, CREATED_UNVERIFIED, answer, { json: { deleted: true } });
      const { error } = await settle(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
      expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET ${USER_PATH}`,
        `POST ${CREATE_PATH}`,
        `POST ${PREPARE_PATH}`,
        `DELETE ${PHONE_PATH}`,
      ]);
      expect(error).toMatchObject({ code, operation: 'bind', retryable: false });
    },
  );

  // A broken connection on the SMS-sending prepare may have sent the SMS: not safe to repeat.
  it.each([
    ['503', unavailable, 'provider_error', false],
    ['a network error', broken, 'network', false],
  ])('prepare (resend) answered %s is sent exactly once', async (_name, answer, code, retryable) => {
    reply(answer, answer, answer);
    const { error } = await settle(adapter().resend({ ticket: clerkTicket() }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code, retryable, operation: 'resend' });
  });

  it.each([
    ['503', unavailable, 'provider_error'],
    ['a network error', broken, 'network'],
  ])('attempt (verify) answered %s is sent exactly once', async (_name, answer, code) => {
    reply(answer, answer, answer);
    const { error } = await settle(adapter().verify({ ticket: clerkTicket(), code: CODE }));
    expect(requests).toHaveLength(1);
    // The code may have been checked: not retryable (verify() again reads the outcome).
    expect(error).toMatchObject({ code, retryable: false, operation: 'verify' });
  });

  it.each<[string, Reply[], () => Promise<unknown>, number, Record<string, unknown>]>([
    [
      'a 429 on create is sent exactly once (after the GET user)',
      [NO_NUMBERS, limited, limited, limited],
      () => adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }),
      2,
      { code: 'rate_limited', retryAfterMs: 1000 },
    ],
    [
      'GET user gives up after the default 2 retries (3 requests) with a retryable provider_error',
      [unavailable, unavailable, unavailable, unavailable],
      () => adapter().get({ userId: USER_ID }),
      3,
      { code: 'provider_error', status: 503, retryable: true, operation: 'get' },
    ],
    [
      'retry: 0 sends GET user exactly once',
      [unavailable, unavailable],
      () => adapter({ retry: 0 }).get({ userId: USER_ID }),
      1,
      { code: 'provider_error' },
    ],
    [
      'a 401 on GET user is not retried',
      [{ status: 401, json: clerkErrors('authentication_invalid') }, { json: userObject([]) }],
      () => adapter().get({ userId: USER_ID }),
      1,
      { code: 'unauthenticated' },
    ],
  ])('%s', async (_name, answers, call, sent, expected) => {
    reply(...answers);
    await expectGaveUp(requests, call(), sent, expected);
  });

  it('GET user answered 503, 503, 200 is sent 3 times, the secret key resolved each time', async () => {
    let n = 0;
    const secretKey = vi.fn(async () => `sk_test_r${++n}`);
    reply(unavailable, unavailable, { json: userObject([phoneObject()], PHONE_ID) });
    const { value, error } = await settle(adapter({ secretKey }).get({ userId: USER_ID }));
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(3);
    for (const [i, req] of requests.entries())
      expectRequest(req, 'GET', USER_PATH, { secretKey: `sk_test_r${i + 1}` });
    expect(value).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('GET user after network errors is retried too', async () => {
    reply(broken, broken, { json: userObject([]) });
    const { value, error } = await settle(adapter().get({ userId: USER_ID }));
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(3);
    expect(value).toBeNull();
  });

  it('remove: the GET and the DELETE are both retried (503, 503, 200)', async () => {
    reply(
      unavailable,
      unavailable,
      { json: userObject([phoneObject()], PHONE_ID) },
      unavailable,
      unavailable,
      DELETED,
    );
    const { value, error } = await settle(adapter().remove({ userId: USER_ID }));
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'DELETE', 'DELETE', 'DELETE']);
    for (const req of requests.slice(3)) expectRequest(req, 'DELETE', PHONE_PATH);
    expect(value).toEqual(REMOVED);
  });

  it('verify: the primary PATCH is retried (503, 503, 200), the attempt is not', async () => {
    reply({ json: verificationAnswer({ status: 'verified' }) }, unavailable, unavailable, {
      json: phoneObject(),
    });
    const ticket = clerkTicket({ data: PRIMARY_DATA });
    const { value, error } = await settle(adapter().verify({ ticket, code: CODE }));
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH', 'PATCH']);
    for (const req of requests.slice(1)) expectRequest(req, 'PATCH', PHONE_PATH, { json: { primary: true } });
    expect(value).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('bind verified on an own number: the GET and the PATCH are retried, nothing is created', async () => {
    reply(
      unavailable,
      { json: userObject([phoneObject({ verification: null })]) },
      unavailable,
      unavailable,
      { json: phoneObject() },
    );
    const { value, error } = await settle(
      adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }),
    );
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'PATCH', 'PATCH', 'PATCH']);
    expect(value).toEqual(VERIFIED_PHONE);
  });

  it('the cleanup DELETE after a failed prepare is retried (503, 503, 200)', async () => {
    reply(
      NO_NUMBERS,
      CREATED_UNVERIFIED,
      { status: 500, json: clerkErrors('internal_clerk_error') },
      unavailable,
      unavailable,
      DELETED,
    );
    const { error } = await settle(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'DELETE', 'DELETE', 'DELETE']);
    expect(error).toMatchObject({ code: 'provider_error', status: 500 });
    expect((error as { details?: object }).details).not.toHaveProperty('leftUnverifiedPhoneNumberId');
  });

  it('verify: the GET after verification_already_verified is retried', async () => {
    reply({ status: 400, json: clerkErrors('verification_already_verified') }, unavailable, {
      json: phoneObject(),
    });
    const { value } = await settle(adapter().verify({ ticket: clerkTicket(), code: CODE }));
    expect(requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
    expect(value).toEqual(VERIFIED_PHONE);
  });
});

describe('browser refusal', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('clerk() in a browser throws invalid_input naming dangerouslyAllowBrowser, never the secret', () => {
    vi.stubGlobal('window', { document: {} });
    let caught: unknown;
    try {
      clerk({ secretKey: SECRET_KEY });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'PhoneBindingError', code: 'invalid_input' });
    const error = caught as Error;
    expect(error.message).toContain('dangerouslyAllowBrowser');
    expect(error.message).not.toContain(SECRET_KEY);
    expect(JSON.stringify(error)).not.toContain(SECRET_KEY);
    expect(requests).toHaveLength(0);
  });

  it('a secretKey function is not called when refused', () => {
    vi.stubGlobal('window', { document: {} });
    const secretKey = vi.fn(() => SECRET_KEY);
    expect(() => clerk({ secretKey })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(secretKey).not.toHaveBeenCalled();
  });

  it('with dangerouslyAllowBrowser: true it is created and works', async () => {
    vi.stubGlobal('window', { document: {} });
    reply({ json: userObject([]) });
    const b = clerk({ secretKey: SECRET_KEY, dangerouslyAllowBrowser: true });
    expect(await b.get({ userId: USER_ID })).toBeNull();
    expectRequest(requests[0], 'GET', USER_PATH);
  });

  it('dangerouslyAllowBrowser must be exactly true', () => {
    vi.stubGlobal('window', { document: {} });
    expect(() =>
      clerk({ secretKey: SECRET_KEY, dangerouslyAllowBrowser: 'yes' as unknown as boolean }),
    ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('hook events are masked', () => {
  const expectEventsClean = expectEventsCleanOf(SECRETS);

  it('the bind → verify → get → remove flow sends clean request/response events', async () => {
    const { events, hooks } = recordHooks();
    reply(
      NO_NUMBERS,
      CREATED_UNVERIFIED,
      PREPARED,
      { json: verificationAnswer({ status: 'verified' }) },
      { json: userObject([phoneObject()], PHONE_ID) },
      { json: userObject([phoneObject()], PHONE_ID) },
      DELETED,
    );
    const b = adapter({ hooks });
    const started = pending(await b.bind({ userId: USER_ID, phoneNumber: PHONE }));
    await b.verify({ ticket: started.ticket, code: CODE });
    await b.get({ userId: USER_ID });
    await b.remove({ userId: USER_ID, phoneNumber: PHONE });
    expect(events.map((e) => e.type)).toEqual(
      Array.from({ length: 7 }, () => ['request', 'response']).flat(),
    );
    expect(events[0]).toMatchObject({ type: 'request', operation: 'bind', method: 'GET' });
    expect(events[2]).toMatchObject({
      type: 'request',
      provider: 'clerk',
      operation: 'bind',
      method: 'POST',
      url: `https://api.clerk.com${CREATE_PATH}`,
      attempt: 1,
    });
    expect(events[3]).toMatchObject({ type: 'response', status: 200, operation: 'bind' });
    expectEventsClean(events);
  });

  it('verify: a wrong code gives a clean error event', async () => {
    const { events, hooks } = recordHooks();
    reply({ json: verificationAnswer({ status: 'unverified', attempts: 1 }) });
    const error = await rejection(adapter({ hooks }).verify({ ticket: clerkTicket(), code: CODE }));
    expect(error.code).toBe('invalid_code');
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'error']);
    expect(events[2]).toEqual({ type: 'error', provider: 'clerk', operation: 'verify', error });
    expectEventsClean(events);
  });

  it('an error body echoing the number, the code and the key gives clean events', async () => {
    const { events, hooks } = recordHooks();
    reply({
      status: 422,
      json: clerkErrors('form_code_incorrect', {
        long_message: `Code ${CODE} for ${PHONE} (${NATIONAL}) is wrong; key ${SECRET_KEY}`,
        meta: { param_name: 'code', code: CODE },
      }),
    });
    const error = await rejection(adapter({ hooks }).verify({ ticket: clerkTicket(), code: CODE }));
    expect(error.code).toBe('invalid_code');
    expectEventsClean(events);
  });

  it('retried attempts are numbered and clean', () =>
    withFakeRetryTimers(async () => {
      const { events, hooks } = recordHooks();
      reply({ status: 503, json: clerkErrors('service_unavailable') }, { json: userObject([phoneObject()]) });
      await settle(adapter({ hooks }).get({ userId: USER_ID }));
      expect(attemptsOf(events)).toEqual(['request:1', 'response:1', 'request:2', 'response:2']);
      expectEventsClean(events);
    }));

  it('a secret key from a function never shows in events', async () => {
    const { events, hooks } = recordHooks();
    const key = 'sk_live_fromFunction123';
    const unauthorized = {
      status: 401,
      json: clerkErrors('authentication_invalid', { long_message: `Key ${key} is invalid` }),
    };
    // A 401 with a credential function: the SDK asks the function again and repeats once.
    reply(unauthorized, unauthorized);
    const error = await rejection(adapter({ hooks, secretKey: async () => key }).get({ userId: USER_ID }));
    expect(error.code).toBe('unauthenticated');
    expectEventsClean(events, [key]);
  });
});

describe('changing a number (capabilities.change: on-verify)', () => {
  /** The user holds OTHER_PHONE, verified and primary. */
  const HOLDS_OTHER = { json: userObject([phoneObject({ id: OTHER_ID, phone: OTHER_PHONE })], OTHER_ID) };
  const OTHER_PATH = `/v1/phone_numbers/${OTHER_ID}`;
  const OTHER_DELETED = { json: { object: 'phone_number', id: OTHER_ID, deleted: true } };
  const VERIFIED_ANSWER = { json: verificationAnswer({ status: 'verified', attempts: 1 }) };
  const CHANGE_DATA = {
    phoneNumberId: PHONE_ID,
    verificationId: VERIFICATION_ID,
    primary: 1,
    previousPhoneNumberId: OTHER_ID,
  };
  const REPLACES = { e164: OTHER_PHONE, countryCallingCode: '1', nationalNumber: OTHER_NATIONAL };

  it('bind reads the user, creates the new number and sends a code; pending.replaces is the current primary', async () => {
    reply(HOLDS_OTHER, CREATED_UNVERIFIED, PREPARED);
    const result = pending(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expectRequests(
      ['GET', USER_PATH],
      ['POST', CREATE_PATH, { json: CREATE_UNVERIFIED }],
      ['POST', PREPARE_PATH],
    );
    expect(result.replaces).toMatchObject(REPLACES);
    expect(result.ticket.data).toEqual(CHANGE_DATA);
    expect(result).not.toHaveProperty('needsCurrentCode');
  });

  it('verify: attempt, then PATCH {primary: true}, then DELETE the previous primary', async () => {
    reply(VERIFIED_ANSWER, { json: phoneObject() }, OTHER_DELETED);
    const result = await adapter().verify({ ticket: clerkTicket({ data: CHANGE_DATA }), code: CODE });
    expectRequests(
      ['POST', ATTEMPT_PATH, { json: ATTEMPT }],
      ['PATCH', PHONE_PATH, { json: { primary: true } }],
      ['DELETE', OTHER_PATH],
    );
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('a wrong code changes nothing: no PATCH, no DELETE', async () => {
    reply({ json: verificationAnswer({ status: 'unverified', attempts: 1 }) });
    const error = await rejection(
      adapter().verify({ ticket: clerkTicket({ data: CHANGE_DATA }), code: CODE }),
    );
    expect(error.code).toBe('invalid_code');
    expect(requests).toHaveLength(1);
  });

  it('keepPrevious: the ticket says so, and verify makes the new number primary without the DELETE', async () => {
    reply(HOLDS_OTHER, CREATED_UNVERIFIED, PREPARED, VERIFIED_ANSWER, { json: phoneObject() });
    const b = adapter();
    const started = pending(await b.bind({ userId: USER_ID, phoneNumber: PHONE, keepPrevious: true }));
    expect(started.ticket.data).toEqual({ ...CHANGE_DATA, keepPrevious: 1 });
    expect(started.replaces).toMatchObject(REPLACES);
    const result = await b.verify({ ticket: started.ticket, code: CODE });
    expect(requests.slice(3).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${ATTEMPT_PATH}`,
      `PATCH ${PHONE_PATH}`,
    ]);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('keepPrevious with primary: false adds a secondary number: no replaces, no PATCH', async () => {
    reply(HOLDS_OTHER, CREATED_UNVERIFIED, PREPARED, VERIFIED_ANSWER);
    const b = adapter();
    const started = pending(
      await b.bind({ userId: USER_ID, phoneNumber: PHONE, keepPrevious: true, primary: false }),
    );
    expect(started).not.toHaveProperty('replaces');
    expect(started.ticket.data).toEqual({
      phoneNumberId: PHONE_ID,
      verificationId: VERIFICATION_ID,
      primary: 0,
    });
    expect(await b.verify({ ticket: started.ticket, code: CODE })).toEqual({
      ...VERIFIED_PHONE,
      primary: false,
    });
    expect(requests).toHaveLength(4);
  });

  // Decision: a change deletes the previous primary, so the new number must become primary.
  it('primary: false on a change without keepPrevious is invalid_input after the GET alone', async () => {
    reply(HOLDS_OTHER);
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE, primary: false }));
    expectRequests(['GET', USER_PATH]);
    expect(error).toMatchObject({ code: 'invalid_input', operation: 'bind' });
    expect(error.message).toContain('keepPrevious');
    expectNoLeak(error, [OTHER_PHONE]);
  });

  it('verified: true: created verified and primary, then the previous primary DELETEd', async () => {
    reply(HOLDS_OTHER, { json: phoneObject() }, OTHER_DELETED);
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    expectRequests(
      ['GET', USER_PATH],
      ['POST', CREATE_PATH, { json: { ...CREATE_VERIFIED, primary: true } }],
      ['DELETE', OTHER_PATH],
    );
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('verified: true with keepPrevious: created primary, nothing deleted', async () => {
    reply(HOLDS_OTHER, { json: phoneObject() });
    const result = await adapter().bind({
      userId: USER_ID,
      phoneNumber: PHONE,
      verified: true,
      keepPrevious: true,
    });
    expectRequests(
      ['GET', USER_PATH],
      ['POST', CREATE_PATH, { json: { ...CREATE_VERIFIED, primary: true } }],
    );
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('verified: true on an own unverified number: PATCH {verified, primary}, then the DELETE', async () => {
    reply(
      {
        json: userObject(
          [phoneObject({ id: OTHER_ID, phone: OTHER_PHONE }), phoneObject({ verification: null })],
          OTHER_ID,
        ),
      },
      { json: phoneObject() },
      OTHER_DELETED,
    );
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    expectRequests(
      ['GET', USER_PATH],
      ['PATCH', PHONE_PATH, { json: { verified: true, primary: true } }],
      ['DELETE', OTHER_PATH],
    );
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('a code on an own unverified number during a change carries the previous id', async () => {
    reply(
      {
        json: userObject(
          [phoneObject({ id: OTHER_ID, phone: OTHER_PHONE }), phoneObject({ verification: null })],
          OTHER_ID,
        ),
      },
      PREPARED,
    );
    const result = pending(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expectRequests(['GET', USER_PATH], ['POST', PREPARE_PATH]);
    expect(result.ticket.data).toEqual(CHANGE_DATA);
    expect(result.replaces).toMatchObject(REPLACES);
  });

  it('resend keeps the change in the ticket', async () => {
    reply({ json: verificationAnswer({ id: 'ver_2second' }) });
    const result = await adapter().resend({
      ticket: clerkTicket({ data: { ...CHANGE_DATA, keepPrevious: 1 } }),
    });
    expect(result.ticket.data).toEqual({ ...CHANGE_DATA, keepPrevious: 1, verificationId: 'ver_2second' });
  });

  describe('partial failures after the code was accepted', () => {
    it('the PATCH fails: no DELETE (the previous number stays primary); the error is the PATCH one', async () => {
      reply(VERIFIED_ANSWER, { status: 403, json: clerkErrors('authorization_invalid') });
      const error = await rejection(
        adapter().verify({ ticket: clerkTicket({ data: CHANGE_DATA }), code: CODE }),
      );
      expect(requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
      expect(error).toMatchObject({ code: 'forbidden', operation: 'verify', provider: 'clerk' });
    });

    it('a second verify (verification_already_verified) finishes it: GET, PATCH, DELETE', async () => {
      reply(
        { status: 400, json: clerkErrors('verification_already_verified') },
        { json: phoneObject({ verification: otpVerification('verified') }) },
        { json: phoneObject() },
        OTHER_DELETED,
      );
      const result = await adapter().verify({ ticket: clerkTicket({ data: CHANGE_DATA }), code: CODE });
      expectRequests(
        ['POST', ATTEMPT_PATH, { json: ATTEMPT }],
        ['GET', PHONE_PATH],
        ['PATCH', PHONE_PATH, { json: { primary: true } }],
        ['DELETE', OTHER_PATH],
      );
      expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
    });

    it('a second verify whose previous number is already gone (404) succeeds', async () => {
      reply(
        { status: 400, json: clerkErrors('verification_already_verified') },
        { json: phoneObject({ verification: otpVerification('verified') }) },
        { json: phoneObject() },
        { status: 404, json: clerkErrors('resource_not_found') },
      );
      const result = await adapter().verify({ ticket: clerkTicket({ data: CHANGE_DATA }), code: CODE });
      expect(requests.map((r) => r.method)).toEqual(['POST', 'GET', 'PATCH', 'DELETE']);
      expect(result).toEqual({ ...VERIFIED_PHONE, primary: true });
    });

    it('the DELETE fails: the error says the new number is primary and names the previous id', async () => {
      const body = clerkErrors('identification_deletion_failed');
      reply(VERIFIED_ANSWER, { json: phoneObject() }, { status: 400, json: body });
      const error = await rejection(
        adapter().verify({ ticket: clerkTicket({ data: CHANGE_DATA }), code: CODE }),
      );
      expect(requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'DELETE']);
      expect(error).toMatchObject({
        code: 'provider_error',
        status: 400,
        providerCode: 'identification_deletion_failed',
        requestId: TRACE_ID,
        operation: 'verify',
        provider: 'clerk',
        retryable: false,
      });
      expect(error.message).toMatch(/^Clerk: the new number is verified and primary/);
      expect(error.message).toContain('verify() again');
      expect(error.details).toEqual({ ...body, previousPhoneNumberId: OTHER_ID });
      expectNoLeak(error, [OTHER_PHONE]);
    });

    it('the DELETE answers 5xx (retried as a delete): retryable, verify() again finishes it', async () => {
      const unavailable = { status: 503, json: clerkErrors('service_unavailable') };
      reply(VERIFIED_ANSWER, { json: phoneObject() }, unavailable);
      const error = await rejection(
        adapter({ retry: 0 }).verify({ ticket: clerkTicket({ data: CHANGE_DATA }), code: CODE }),
      );
      expect(error).toMatchObject({ code: 'provider_error', status: 503, retryable: true });
    });

    it('bind verified: true whose DELETE fails: not retryable, remove() finishes it', async () => {
      reply(
        HOLDS_OTHER,
        { json: phoneObject() },
        { status: 403, json: clerkErrors('authorization_invalid') },
      );
      const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }));
      expect(requests.map((r) => r.method)).toEqual(['GET', 'POST', 'DELETE']);
      expect(error).toMatchObject({ code: 'forbidden', retryable: false, operation: 'bind' });
      expect(error.message).toContain('remove({ phoneNumber })');
      expect(error.details).toMatchObject({ previousPhoneNumberId: OTHER_ID });
    });
  });
});

describe('the SMS second factor (reserved_for_second_factor)', () => {
  const RESERVED = { ...phoneObject(), reserved_for_second_factor: true, default_second_factor: true };

  it('capabilities say secondFactor and multipleNumbers', () => {
    expect(adapter().capabilities).toMatchObject({
      secondFactor: true,
      multipleNumbers: true,
      change: 'on-verify',
    });
  });

  it('verified: true sends reserved_for_second_factor in the create body (the document allows it)', async () => {
    reply(NO_NUMBERS, { json: RESERVED });
    const result = await adapter().bind({
      userId: USER_ID,
      phoneNumber: PHONE,
      verified: true,
      secondFactor: true,
    });
    expectRequests(
      ['GET', USER_PATH],
      ['POST', CREATE_PATH, { json: { ...CREATE_VERIFIED, reserved_for_second_factor: true } }],
    );
    expect(result).toEqual({ ...VERIFIED_PHONE, secondFactor: true });
  });

  it('a code flow carries the wish; verify PATCHes {reserved_for_second_factor: true} once verified', async () => {
    reply(
      NO_NUMBERS,
      CREATED_UNVERIFIED,
      PREPARED,
      { json: verificationAnswer({ status: 'verified' }) },
      {
        json: RESERVED,
      },
    );
    const b = adapter();
    const started = pending(await b.bind({ userId: USER_ID, phoneNumber: PHONE, secondFactor: true }));
    // Not on the create: Clerk requires a verified number for it.
    expectRequest(requests[1], 'POST', CREATE_PATH, { json: CREATE_UNVERIFIED });
    expect(started.ticket.data).toEqual({
      phoneNumberId: PHONE_ID,
      verificationId: VERIFICATION_ID,
      secondFactor: 1,
    });
    const result = await b.verify({ ticket: started.ticket, code: CODE });
    expectRequest(requests[4], 'PATCH', PHONE_PATH, { json: { reserved_for_second_factor: true } });
    expect(result).toEqual({ ...VERIFIED_PHONE, secondFactor: true });
  });

  it('on a change, one PATCH makes it primary and reserved before the previous number is deleted', async () => {
    reply(
      { json: verificationAnswer({ status: 'verified' }) },
      { json: RESERVED },
      {
        json: { object: 'phone_number', id: 'idn_old', deleted: true },
      },
    );
    const data = {
      phoneNumberId: PHONE_ID,
      verificationId: VERIFICATION_ID,
      primary: 1,
      previousPhoneNumberId: 'idn_old',
      secondFactor: 1,
    };
    const result = await adapter().verify({ ticket: clerkTicket({ data }), code: CODE });
    expectRequests(
      ['POST', ATTEMPT_PATH, { json: ATTEMPT }],
      ['PATCH', PHONE_PATH, { json: { primary: true, reserved_for_second_factor: true } }],
      ['DELETE', '/v1/phone_numbers/idn_old'],
    );
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true, secondFactor: true });
  });

  it("the user's own verified number with secondFactor: one PATCH, no SMS", async () => {
    reply({ json: userObject([phoneObject()], PHONE_ID) }, { json: RESERVED });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, secondFactor: true });
    expectRequests(['GET', USER_PATH], ['PATCH', PHONE_PATH, { json: { reserved_for_second_factor: true } }]);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true, secondFactor: true });
  });

  it("the user's own number already reserved: nothing but the GET", async () => {
    reply({ json: userObject([RESERVED], PHONE_ID) });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE, secondFactor: true });
    expect(requests).toHaveLength(1);
    expect(result).toEqual({ ...VERIFIED_PHONE, primary: true, secondFactor: true });
  });

  it('get() reports secondFactor from reserved_for_second_factor', async () => {
    reply({ json: userObject([RESERVED], PHONE_ID) });
    expect(await adapter().get({ userId: USER_ID })).toEqual({
      ...VERIFIED_PHONE,
      primary: true,
      secondFactor: true,
    });
  });

  it('a record without reserved_for_second_factor (the document requires none) says nothing of it', async () => {
    const { reserved_for_second_factor: _r, ...record } = phoneObject();
    reply({ json: userObject([record], PHONE_ID) });
    const result = await adapter().get({ userId: USER_ID });
    expect(result).not.toHaveProperty('secondFactor');
  });

  // Decision: the factor is a flag of the number record and goes with it; no PATCH turns it off first.
  it('remove() of a second-factor number: the GET and the DELETE alone', async () => {
    reply({ json: userObject([RESERVED], PHONE_ID) }, DELETED);
    expect(await adapter().remove({ userId: USER_ID })).toEqual(REMOVED);
    expectRequests(['GET', USER_PATH], ['DELETE', PHONE_PATH]);
  });

  it('identification_update_second_factor_unverified on the PATCH names Clerk and its reason', async () => {
    reply(
      { json: verificationAnswer({ status: 'verified' }) },
      {
        status: 400,
        json: clerkErrors('identification_update_second_factor_unverified', {
          long_message: 'must be verified',
        }),
      },
    );
    const data = { phoneNumberId: PHONE_ID, verificationId: VERIFICATION_ID, secondFactor: 1 };
    const error = await rejection(adapter().verify({ ticket: clerkTicket({ data }), code: CODE }));
    expect(error).toMatchObject({
      code: 'provider_error',
      providerCode: 'identification_update_second_factor_unverified',
    });
    expect(error.message).toContain('Clerk');
    expect(error.message).toContain('must be verified');
  });
});

describe('answers the document allows (leniency)', () => {
  const { id: _id, ...noId } = phoneObject({ phone: OTHER_PHONE });

  it('get(): a record without id that is not the one answered does not break it', async () => {
    reply({ json: userObject([noId, phoneObject()], PHONE_ID) });
    expect(await adapter().get({ userId: USER_ID })).toEqual({ ...VERIFIED_PHONE, primary: true });
  });

  it('get(): the only record without id is answered without id', async () => {
    reply({ json: userObject([noId]) });
    const result = await adapter().get({ userId: USER_ID });
    expect(result).toMatchObject({ state: 'verified', primary: false });
    expect(result).not.toHaveProperty('id');
  });

  it('remove(): a record without id that is not the one removed does not break it', async () => {
    reply({ json: userObject([noId, phoneObject()], PHONE_ID) }, DELETED);
    expect(await adapter().remove({ userId: USER_ID, phoneNumber: PHONE })).toEqual(REMOVED);
    expectRequests(['GET', USER_PATH], ['DELETE', PHONE_PATH]);
  });

  it('remove(): the record removed without id is invalid_response naming id, no DELETE', async () => {
    reply({ json: userObject([noId]) });
    const error = await rejection(adapter().remove({ userId: USER_ID, phoneNumber: OTHER_PHONE }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'invalid_response', operation: 'remove' });
    expect(error.message).toContain('(id)');
    expectNoLeak(error, [OTHER_PHONE]);
  });

  it('bind(): a record without id in the user is no change and does not break it', async () => {
    reply({ json: userObject([noId]) }, CREATED_UNVERIFIED, PREPARED);
    const result = pending(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(result).not.toHaveProperty('replaces');
    expect(result.ticket.data).toEqual({ phoneNumberId: PHONE_ID, verificationId: VERIFICATION_ID });
  });

  it('a prepare answer without status is a pending verification', async () => {
    const { status: _status, ...withoutStatus } = verificationAnswer();
    reply(NO_NUMBERS, CREATED_UNVERIFIED, { json: withoutStatus });
    expect(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE })).toEqual(PENDING);
  });

  it('an attempt answer without id is read by its status', async () => {
    const { id: _vid, ...withoutId } = verificationAnswer({ status: 'verified', attempts: 1 });
    reply({ json: withoutId });
    expect(await adapter().verify({ ticket: clerkTicket(), code: CODE })).toEqual(VERIFIED_PHONE);
  });

  it.each([2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 8.64e15 + 1])(
    'expire_at %d no Date can hold: no crash, a ticket without expiresAt',
    async (expireAt) => {
      reply(NO_NUMBERS, CREATED_UNVERIFIED, { json: verificationAnswer({ expireAt }) });
      const result = pending(await adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
      expect(result.ticket).not.toHaveProperty('expiresAt');
    },
  );

  it('expire_at at the very edge a Date holds is kept', async () => {
    reply({ json: verificationAnswer({ expireAt: 8.64e15 }) });
    const result = await adapter().resend({ ticket: clerkTicket() });
    expect(result.ticket.expiresAt).toBe(new Date(8.64e15).toISOString());
  });
});
