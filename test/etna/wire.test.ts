import { describe, expect, it, vi } from 'vitest';
import { etna } from '../../adapters/etna/index.js';
import type { Operation, PhoneBinding, RequestEvent, VerificationTicket } from '../../src/index.js';
import { failingCredential } from '../support/credentials.js';
import { attemptsOf, expectEventsCleanOf, recordHooks } from '../support/hooks.js';
import { normalizedPhone } from '../support/phones.js';
import { expectRefusedOf, expectRequestsOf } from '../support/requests.js';
import { expectGaveUp, useFakeRetryTimers, withFakeRetryTimers } from '../support/retries.js';
import { BAD_CODES, badTickets } from '../support/tickets.js';
import {
  APP_KEY,
  BASE,
  BIND_SEARCH,
  bindAnswer,
  CODE,
  etnaTicket,
  expectNoLeak,
  expectRequest,
  NO_PHONE,
  ORIGIN,
  OTHER_PHONE,
  PHONE,
  PHONE_NUMBER,
  PHONE_PATH,
  phoneModel,
  type Reply,
  rejection,
  SECRETS,
  settle,
  TOKEN,
  TOKEN_ID,
  USER_ID,
  useMockEtna,
} from './helpers.js';

const VERIFY_PATH = `${PHONE_PATH}/token/${TOKEN_ID}`;
/** What the message of a failure of a request that may have sent an SMS says. */
const SMS_NOTE = expect.stringContaining('may have reached the backend and sent an SMS');
/** What the message of a failure of a code check that may have taken effect says. */
const ACTED_NOTE = expect.stringContaining('may have taken effect');

function adapter(options: Partial<Parameters<typeof etna>[0]> = {}): PhoneBinding {
  return etna({ baseUrl: BASE, token: TOKEN, appKey: APP_KEY, ...options });
}

const TICKET_SHAPE = {
  provider: 'etna',
  purpose: 'bind',
  userId: USER_ID,
  phone: PHONE,
  issuedAt: expect.any(String),
  data: { tokenId: TOKEN_ID },
};
/** What bind and resend return while a code is pending. */
const PENDING = {
  state: 'pending',
  purpose: 'bind',
  provider: 'etna',
  phone: PHONE_NUMBER,
  ticket: TICKET_SHAPE,
};
/** The verified number, as bind, verify and get return it. */
const VERIFIED = { state: 'verified', provider: 'etna', phone: PHONE_NUMBER };
const REMOVED = { state: 'removed', provider: 'etna' };

/**
 * Asserts the error of a 200 whose PhoneNumberState the operation cannot accept: `sent` requests
 * (bind reads first), and a masked, not retryable error matching `expected`.
 */
function expectStateError(error: unknown, expected: Record<string, unknown>, sent = 1): void {
  expect(requests).toHaveLength(sent);
  expect(error).toMatchObject({ ...expected, provider: 'etna', retryable: false });
  expectNoLeak(error);
}

/** Binds (a read, then the PUT), verifies with the ticket bind issued, reads and removes: five requests. */
async function walkEveryOperation(b: PhoneBinding): Promise<void> {
  reply(
    NO_PHONE,
    { json: bindAnswer() },
    { json: phoneModel('Active') },
    { json: phoneModel('Active') },
    { status: 204 },
  );
  const pending = await b.bind({ userId: USER_ID, phoneNumber: PHONE });
  if (pending.state !== 'pending') throw new Error('expected pending');
  await b.verify({ ticket: pending.ticket, code: CODE });
  await b.get({ userId: USER_ID });
  await b.remove({ userId: USER_ID });
}

/** Asserts the five requests of {@link walkEveryOperation} on the phone resource at `path`. */
function expectWalkRequests(path: string): void {
  expectRequests(
    ['GET', path],
    ['PUT', path, { search: BIND_SEARCH }],
    ['PUT', `${path}/token/${TOKEN_ID}`, { search: `?tokenValue=${CODE}` }],
    ['GET', path],
    ['DELETE', path],
  );
}

const { requests, reply } = useMockEtna();
const expectRequests = expectRequestsOf(requests, expectRequest);
const expectRefused = expectRefusedOf(requests);

describe('credentials and headers', () => {
  it('every request carries Bearer token, Et-App-Key and accept: application/json', async () => {
    await walkEveryOperation(adapter());
    expectWalkRequests(PHONE_PATH);
  });

  it('sync credential functions are called once per request', async () => {
    let n = 0;
    const token = vi.fn(() => `tok-${++n}`);
    const appKey = vi.fn(() => `key-${n}`);
    reply(NO_PHONE, { json: bindAnswer() }, { json: phoneModel('Active') });
    const b = adapter({ token, appKey });
    // bind: the read, then the PUT (two requests, two resolutions each).
    await b.bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(token).toHaveBeenCalledTimes(2);
    expect(appKey).toHaveBeenCalledTimes(2);
    await b.get({ userId: USER_ID });
    expect(token).toHaveBeenCalledTimes(3);
    expect(appKey).toHaveBeenCalledTimes(3);
    expectRequests(
      ['GET', PHONE_PATH, { token: 'tok-1', appKey: 'key-1' }],
      ['PUT', PHONE_PATH, { search: BIND_SEARCH, token: 'tok-2', appKey: 'key-2' }],
      ['GET', PHONE_PATH, { token: 'tok-3', appKey: 'key-3' }],
    );
  });

  it('async credential functions are awaited and called once per request', async () => {
    let n = 0;
    const token = vi.fn(async () => `atok-${++n}`);
    const appKey = vi.fn(async () => `akey-${n}`);
    reply({ json: phoneModel('Active') }, { status: 204 });
    const b = adapter({ token, appKey });
    // remove with a number: a GET, then the DELETE (two requests, two resolutions each).
    const result = await b.remove({ userId: USER_ID, phoneNumber: PHONE });
    expect(result).toEqual(REMOVED);
    expect(token).toHaveBeenCalledTimes(2);
    expect(appKey).toHaveBeenCalledTimes(2);
    expectRequests(
      ['GET', PHONE_PATH, { token: 'atok-1', appKey: 'akey-1' }],
      ['DELETE', PHONE_PATH, { token: 'atok-2', appKey: 'akey-2' }],
    );
  });

  it('sends the adapter headers option and per-call options.headers', async () => {
    reply(NO_PHONE, { json: bindAnswer() }, { json: phoneModel('Active') });
    const b = adapter({ headers: { 'x-tenant': 'acme', 'x-shared': 'adapter' } });
    await b.bind({ userId: USER_ID, phoneNumber: PHONE }, { headers: { 'x-request-id': 'req-1' } });
    await b.get({ userId: USER_ID }, { headers: { 'x-shared': 'call' } });
    const bindHeaders = { 'x-tenant': 'acme', 'x-shared': 'adapter', 'x-request-id': 'req-1' };
    expectRequests(
      ['GET', PHONE_PATH, { headers: bindHeaders }],
      ['PUT', PHONE_PATH, { search: BIND_SEARCH, headers: bindHeaders }],
      ['GET', PHONE_PATH, { headers: { 'x-tenant': 'acme', 'x-shared': 'call' } }],
    );
    expect(requests[2]!.headers.get('x-request-id')).toBeNull();
  });

  it('a throwing credential function is unauthenticated and sends nothing', async () => {
    const appKey = failingCredential(`vault down for ${APP_KEY}`);
    const error = await expectRefused(adapter({ appKey }).bind({ userId: USER_ID, phoneNumber: PHONE }), {
      code: 'unauthenticated',
      operation: 'bind',
      provider: 'etna',
    });
    expectNoLeak(error);
  });

  it('a credential function resolving to an empty string is invalid_input and sends nothing', async () => {
    await expectRefused(adapter({ token: () => '' }).get({ userId: USER_ID }), {
      code: 'invalid_input',
      operation: 'get',
    });
  });

  it('refuses missing credentials at construction', () => {
    expect(() => etna({ baseUrl: BASE, token: '', appKey: APP_KEY })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    expect(() => etna({ baseUrl: BASE, token: TOKEN, appKey: '' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it('headers (adapter or per call) cannot replace the credential headers', async () => {
    reply({ json: phoneModel('Active') });
    const b = adapter({ headers: { Authorization: 'Bearer adapter-evil', 'Et-App-Key': 'adapter-evil' } });
    await b.get(
      { userId: USER_ID },
      { headers: { authorization: 'Bearer call-evil', 'et-app-key': 'call-evil' } },
    );
    expectRequest(requests[0], 'GET', PHONE_PATH);
  });
});

describe('base URL and apiVersion', () => {
  it('appends /v1.0/… to a base URL with a path (and ignores its trailing slash)', async () => {
    reply(NO_PHONE, { json: bindAnswer() });
    await adapter({ baseUrl: `${ORIGIN}/gateway/trader/api/` }).bind({ userId: USER_ID, phoneNumber: PHONE });
    const path = `/gateway/trader/api/v1.0/users/${USER_ID}/subscriptions/settings/phonenumber`;
    expectRequests(['GET', path], ['PUT', path, { search: BIND_SEARCH }]);
  });

  it('works on a bare origin', async () => {
    reply({ json: phoneModel('Active') });
    await adapter({ baseUrl: ORIGIN }).get({ userId: USER_ID });
    expectRequest(requests[0], 'GET', `/v1.0/users/${USER_ID}/subscriptions/settings/phonenumber`);
  });

  it("apiVersion: '2.0' puts /v2.0/ into every path", async () => {
    await walkEveryOperation(adapter({ apiVersion: '2.0' }));
    expectWalkRequests(`/api/v2.0/users/${USER_ID}/subscriptions/settings/phonenumber`);
  });

  it('refuses a malformed apiVersion at construction', () => {
    expect(() => adapter({ apiVersion: 'v1/../admin' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});

describe('bind', () => {
  it('reads first, then PUTs …/phonenumber?phoneNumber=%2B… without a body; a pending verification', async () => {
    reply(NO_PHONE, { json: bindAnswer('NotVerified', TOKEN_ID) });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: '+41 79 123 45 67' });
    expectRequests(['GET', PHONE_PATH], ['PUT', PHONE_PATH, { search: BIND_SEARCH }]);
    expect(requests[1]!.search).toContain('%2B');
    expect(requests[1]!.search).not.toContain('+');
    expect(new URLSearchParams(requests[1]!.search).get('phoneNumber')).toBe(PHONE);
    // The user had no number: not a change.
    expect(result).toEqual(PENDING);
    expect(result).not.toHaveProperty('replaces');
    if (result.state !== 'pending') throw new Error('expected pending');
    expect(result.ticket.data?.tokenId).toBe(1925);
    expect(result.ticket.userId).toBe(USER_ID);
    expect(result.ticket.purpose).toBe('bind');
    expect(result).not.toHaveProperty('code');
    expect(Number.isNaN(Date.parse(result.ticket.issuedAt))).toBe(false);
  });

  it('sends a national number in E.164 when defaultCountry is given', async () => {
    reply(NO_PHONE, { json: bindAnswer() });
    await adapter().bind({ userId: USER_ID, phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
    expectRequest(requests[1], 'PUT', PHONE_PATH, { search: BIND_SEARCH });
  });

  it('the ticket survives a JSON round trip and verifies', async () => {
    reply(NO_PHONE, { json: bindAnswer() }, { json: phoneModel('Active') });
    const b = adapter();
    const pending = await b.bind({ userId: USER_ID, phoneNumber: PHONE });
    if (pending.state !== 'pending') throw new Error('expected pending');
    const ticket = JSON.parse(JSON.stringify(pending.ticket)) as VerificationTicket;
    const bound = await b.verify({ ticket, code: CODE });
    expect(bound).toEqual(VERIFIED);
    expectRequest(requests[2], 'PUT', VERIFY_PATH, { search: `?tokenValue=${CODE}` });
  });

  it('an Active answer to the PUT means the number is bound and verified already', async () => {
    reply(NO_PHONE, { json: bindAnswer('Active', 7) });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(requests).toHaveLength(2);
    expect(result).toEqual(VERIFIED);
  });

  it.each(['Suspended', 'NotLinked'])('a %s answer is a provider_error carrying the state', async (state) => {
    reply(NO_PHONE, { json: bindAnswer(state) });
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expectStateError(error, { code: 'provider_error', providerCode: state, operation: 'bind' }, 2);
  });

  it.each([
    ['m_Item2 missing', { json: { m_Item1: { PhoneNumber: PHONE, PhoneNumberState: 'NotVerified' } } }],
    ['m_Item2 a string', { json: bindAnswer('NotVerified', '1925') }],
    ['m_Item2 not whole', { json: bindAnswer('NotVerified', 19.25) }],
    ['m_Item1 missing', { json: { m_Item2: TOKEN_ID } }],
    ['an unknown state', { json: bindAnswer('Verified') }],
    ['named fields instead of the tuple', { json: { PhoneNumber: PHONE, PhoneNumberState: 'NotVerified' } }],
    ['an empty 200', { text: '' }],
    ['a non-JSON 200', { text: '<html>ok</html>', headers: { 'content-type': 'text/html' } }],
  ])('%s → invalid_response', async (_name, answer) => {
    reply(NO_PHONE, answer);
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests).toHaveLength(2);
    expect(error).toMatchObject({
      code: 'invalid_response',
      status: 200,
      operation: 'bind',
      provider: 'etna',
      retryable: false,
    });
    expectNoLeak(error);
  });

  // m_Item2 is an int32 token id: anything else could never be verified.
  it.each([
    ['negative', -1],
    ['above int32', 2_147_483_648],
  ])('m_Item2 %s (%d) → invalid_response (not a ticket verify() refuses)', async (_name, tokenId) => {
    reply(NO_PHONE, { json: bindAnswer('NotVerified', tokenId) });
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(error.code).toBe('invalid_response');
  });

  it.each([
    ['a missing userId', { phoneNumber: PHONE }, 'invalid_input'],
    ['verified: true (unsupported)', { userId: USER_ID, phoneNumber: PHONE, verified: true }, 'unsupported'],
    ['primary (unsupported)', { userId: USER_ID, phoneNumber: PHONE, primary: true }, 'unsupported'],
    ['an unparsable number', { userId: USER_ID, phoneNumber: '12' }, 'invalid_phone_number'],
  ])('refuses %s before any request', async (_name, input, code) => {
    await expectRefused(adapter().bind(input), code);
  });
});

describe('bind reads the current number first (a change, or nothing to do)', () => {
  const OTHER_NUMBER = normalizedPhone(OTHER_PHONE, '41', '781112233', 'CH');

  it('the read is a GET of …/phonenumber: no query, no body, both credentials and the caller’s headers', async () => {
    reply(NO_PHONE, { json: bindAnswer() });
    await adapter({ headers: { 'x-tenant': 'acme' } }).bind(
      { userId: USER_ID, phoneNumber: PHONE },
      { headers: { 'x-request-id': 'req-7' } },
    );
    const headers = { 'x-tenant': 'acme', 'x-request-id': 'req-7' };
    expectRequests(['GET', PHONE_PATH, { headers }], ['PUT', PHONE_PATH, { search: BIND_SEARCH, headers }]);
  });

  it('another Active number: the PUT goes out and the pending result replaces it', async () => {
    reply({ json: phoneModel('Active', OTHER_PHONE) }, { json: bindAnswer() });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(['GET', PHONE_PATH], ['PUT', PHONE_PATH, { search: BIND_SEARCH }]);
    expect(result).toEqual({ ...PENDING, replaces: OTHER_NUMBER });
    // The ticket does not carry it: only the token id is needed to finish.
    if (result.state !== 'pending') throw new Error('expected pending');
    expect(result.ticket.data).toEqual({ tokenId: TOKEN_ID });
  });

  // Decision: a number the user holds in any state is replaced by the PUT (ETNA keeps one per
  // user), so it is named in `replaces` whether it was Active, still NotVerified or Suspended.
  it.each(['NotVerified', 'Suspended'])('another %s number is replaced too', async (state) => {
    reply({ json: phoneModel(state, OTHER_PHONE) }, { json: bindAnswer() });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(requests).toHaveLength(2);
    expect(result).toEqual({ ...PENDING, replaces: OTHER_NUMBER });
  });

  it('the same number, Active: bound and verified, and nothing is sent (no PUT, no SMS)', async () => {
    reply({ json: phoneModel('Active') }, { json: bindAnswer() });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: '+41 79 123 45 67' });
    expectRequests(['GET', PHONE_PATH]);
    expect(result).toEqual(VERIFIED);
  });

  // Decision: the same number not yet Active gets a new code (like resend); nothing is replaced.
  it.each(['NotVerified', 'Suspended'])(
    'the same number, %s: the PUT sends a code, no replaces',
    async (state) => {
      reply({ json: phoneModel(state) }, { json: bindAnswer() });
      const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE });
      expectRequests(['GET', PHONE_PATH], ['PUT', PHONE_PATH, { search: BIND_SEARCH }]);
      expect(result).toEqual(PENDING);
      expect(result).not.toHaveProperty('replaces');
    },
  );

  it.each([
    ['NotLinked with a stale number', phoneModel('NotLinked', OTHER_PHONE)],
    ['a 404 on the phone resource', { status: 404 }],
  ])('%s reads as no number: the PUT goes out, no replaces', async (_name, answer) => {
    reply('status' in answer ? answer : { json: answer }, { json: bindAnswer() });
    const result = await adapter().bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(result).toEqual(PENDING);
  });

  it('a refused read fails the bind before anything is sent', async () => {
    reply({ status: 401, json: { Message: 'Authorization has been denied for this request.' } });
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expectRequests(['GET', PHONE_PATH]);
    expect(error).toMatchObject({
      code: 'unauthenticated',
      operation: 'bind',
      provider: 'etna',
      status: 401,
    });
    expect(error.message).toContain('ETNA');
  });

  // Decision: a stored number ETNA cannot have meant fails the bind (nothing sent) rather than
  // being silently dropped from `replaces`; remove() without a number clears it.
  it('a read answering a number that is not international is invalid_response, nothing sent', async () => {
    reply({ json: phoneModel('Active', '0781112233') }, { json: bindAnswer() });
    const error = await rejection(adapter().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expectRequests(['GET', PHONE_PATH]);
    expect(error).toMatchObject({ code: 'invalid_response', operation: 'bind', provider: 'etna' });
    expectNoLeak(error, ['781112233']);
  });

  it('the replaced number is masked in hook events and in a failing PUT’s error', async () => {
    const { events, hooks } = recordHooks();
    reply(
      { json: phoneModel('Active', OTHER_PHONE) },
      { status: 500, json: { Message: `Cannot replace ${OTHER_PHONE} now` } },
    );
    const error = await rejection(adapter({ hooks }).bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
    // The PUT may have replaced the number and sent an SMS: not retryable, and the message says so.
    expect(error).toMatchObject({ code: 'provider_error', status: 500, retryable: false, message: SMS_NOTE });
    expect(error.message).toContain('ETNA');
    expectNoLeak(error, ['781112233']);
    expectEventsCleanOf([...SECRETS, '781112233'])(events);
  });
});

describe('verify', () => {
  it('PUTs …/phonenumber/token/{tokenId}?tokenValue=<code> without a body; Active → verified', async () => {
    reply({ json: phoneModel('Active') });
    const result = await adapter().verify({ ticket: etnaTicket(), code: `  ${CODE} ` });
    expectRequests(['PUT', VERIFY_PATH, { search: `?tokenValue=${CODE}` }]);
    expect(result).toEqual(VERIFIED);
  });

  it('URL-encodes the code in the query', async () => {
    reply({ json: phoneModel('Active') });
    await adapter().verify({ ticket: etnaTicket(), code: 'a+b/c=d&e%f' });
    expectRequest(requests[0], 'PUT', VERIFY_PATH, { search: '?tokenValue=a%2Bb%2Fc%3Dd%26e%25f' });
    expect(new URLSearchParams(requests[0]!.search).get('tokenValue')).toBe('a+b/c=d&e%f');
  });

  it('takes the tokenId and userId from the ticket', async () => {
    reply({ json: phoneModel('Active') });
    await adapter().verify({ ticket: etnaTicket({ userId: '77', data: { tokenId: 0 } }), code: CODE });
    expectRequest(requests[0], 'PUT', '/api/v1.0/users/77/subscriptions/settings/phonenumber/token/0', {
      search: `?tokenValue=${CODE}`,
    });
  });

  it('accepts the largest int32 tokenId', async () => {
    reply({ json: phoneModel('Active') });
    await adapter().verify({ ticket: etnaTicket({ data: { tokenId: 2_147_483_647 } }), code: CODE });
    expectRequest(requests[0], 'PUT', `${PHONE_PATH}/token/2147483647`, { search: `?tokenValue=${CODE}` });
  });

  it('an Active answer without a number still returns the ticket number verified', async () => {
    reply({ json: phoneModel('Active', null) });
    const result = await adapter().verify({ ticket: etnaTicket(), code: CODE });
    expect(result).toEqual(VERIFIED);
  });

  it.each(['NotVerified', 'Suspended', 'NotLinked'])(
    'a 200 saying %s is invalid_code, never success',
    async (state) => {
      reply({ json: phoneModel(state) });
      const error = await rejection(adapter().verify({ ticket: etnaTicket(), code: CODE }));
      expectStateError(error, { code: 'invalid_code', providerCode: state, operation: 'verify' });
    },
  );

  it('a 200 with another shape is invalid_response', async () => {
    reply({ json: bindAnswer() });
    const error = await rejection(adapter().verify({ ticket: etnaTicket(), code: CODE }));
    expect(error).toMatchObject({ code: 'invalid_response', operation: 'verify' });
    expectNoLeak(error);
  });

  it.each([
    ['no data', { data: undefined }],
    ['data without tokenId', { data: {} }],
    ['tokenId a string', { data: { tokenId: '1925' } }],
    ['tokenId negative', { data: { tokenId: -1 } }],
    ['tokenId not whole', { data: { tokenId: 19.25 } }],
    ['tokenId above int32', { data: { tokenId: 2_147_483_648 } }],
  ])('a ticket with %s is invalid_input with zero requests', async (_name, overrides) => {
    const ticket = etnaTicket(overrides);
    if (overrides.data === undefined) delete ticket.data;
    await expectRefused(adapter().verify({ ticket, code: CODE }), {
      code: 'invalid_input',
      operation: 'verify',
      provider: 'etna',
    });
  });

  it.each(badTickets(etnaTicket, { provider: 'zitadel', phone: '0791234567' }))(
    '%s is refused with zero requests',
    async (_name, ticket, code) => {
      await expectRefused(adapter().verify({ ticket: ticket(), code: CODE }), code);
    },
  );

  it.each(BAD_CODES)('refuses the code %j before any request', async (code) => {
    await expectRefused(adapter().verify({ ticket: etnaTicket(), code }), 'invalid_input');
  });
});

describe('resend', () => {
  it('sends the bind request again for the same number and returns a ticket with the new token id', async () => {
    reply({ json: bindAnswer('NotVerified', 2040) });
    const result = await adapter().resend({ ticket: etnaTicket() });
    expectRequests(['PUT', PHONE_PATH, { search: BIND_SEARCH }]);
    expect(result).toEqual({ ...PENDING, ticket: { ...TICKET_SHAPE, data: { tokenId: 2040 } } });
  });

  it('bind → resend → verify uses the new token id', async () => {
    reply(
      NO_PHONE,
      { json: bindAnswer('NotVerified', 1925) },
      { json: bindAnswer('NotVerified', 1926) },
      { json: phoneModel('Active') },
    );
    const b = adapter();
    const first = await b.bind({ userId: USER_ID, phoneNumber: PHONE });
    if (first.state !== 'pending') throw new Error('expected pending');
    // resend does not read: it sends the PUT again, no more.
    const second = await b.resend({ ticket: first.ticket });
    await b.verify({ ticket: second.ticket, code: CODE });
    expectRequests(
      ['GET', PHONE_PATH],
      ['PUT', PHONE_PATH, { search: BIND_SEARCH }],
      ['PUT', PHONE_PATH, { search: BIND_SEARCH }],
      ['PUT', `${PHONE_PATH}/token/1926`, { search: `?tokenValue=${CODE}` }],
    );
  });

  it('works on an expired ticket (its job is to replace the code)', async () => {
    reply({ json: bindAnswer('NotVerified', 2041) });
    const result = await adapter().resend({ ticket: etnaTicket({ expiresAt: '2000-01-01T00:00:00.000Z' }) });
    expect(result.ticket.data).toEqual({ tokenId: 2041 });
  });

  it('an Active answer is invalid_input (nothing pending)', async () => {
    reply({ json: bindAnswer('Active') });
    const error = await rejection(adapter().resend({ ticket: etnaTicket() }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'invalid_input', operation: 'resend', provider: 'etna' });
    expectNoLeak(error);
  });

  it('a Suspended answer is provider_error', async () => {
    reply({ json: bindAnswer('Suspended') });
    const error = await rejection(adapter().resend({ ticket: etnaTicket() }));
    expect(error).toMatchObject({ code: 'provider_error', providerCode: 'Suspended', operation: 'resend' });
  });

  it('a ticket from another provider is invalid_input with zero requests', async () => {
    await expectRefused(adapter().resend({ ticket: etnaTicket({ provider: 'clerk' }) }), 'invalid_input');
  });
});

describe('get', () => {
  it('GETs …/phonenumber; Active → verified', async () => {
    reply({ json: phoneModel('Active') });
    const result = await adapter().get({ userId: USER_ID });
    expectRequests(['GET', PHONE_PATH]);
    expect(result).toEqual(VERIFIED);
  });

  it.each([
    ['NotVerified', 'unverified'],
    ['Suspended', 'unverified'],
  ])('%s → %s', async (state, expected) => {
    reply({ json: phoneModel(state) });
    const result = await adapter().get({ userId: USER_ID });
    expect(result).toEqual({ ...VERIFIED, state: expected });
  });

  it.each([
    ['NotLinked with no number', phoneModel('NotLinked', null)],
    ['NotLinked with a stale number', phoneModel('NotLinked', PHONE)],
    ["PhoneNumber ''", phoneModel('Active', '')],
    ['PhoneNumber null', phoneModel('NotVerified', null)],
    ['PhoneNumber absent', { PhoneNumberState: 'NotLinked' }],
  ])('%s → null', async (_name, body) => {
    reply({ json: body });
    expect(await adapter().get({ userId: USER_ID })).toBeNull();
    expect(requests).toHaveLength(1);
  });

  it.each([
    [
      "a 404 {Message:'No HTTP resource…'} → null (not retried)",
      {
        status: 404,
        json: {
          Message: "No HTTP resource was found that matches the request URI 'https://etna.example.test/…'",
        },
      },
    ],
    ['an empty 404 → null', { status: 404 }],
  ])('%s', async (_name, answer) => {
    reply(answer);
    expect(await adapter().get({ userId: USER_ID })).toBeNull();
    expect(requests).toHaveLength(1);
  });

  it("a 404 {Error:{Code:'UnsupportedApiVersion'}} → provider_error", async () => {
    const body = {
      Error: {
        Code: 'UnsupportedApiVersion',
        Message: 'The HTTP resource … does not support the API version',
      },
    };
    reply({ status: 404, json: body });
    const error = await rejection(adapter().get({ userId: USER_ID }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({
      code: 'provider_error',
      status: 404,
      providerCode: 'UnsupportedApiVersion',
      retryable: false,
      operation: 'get',
      provider: 'etna',
      details: body,
    });
  });

  it.each([
    ['a number in national notation from ETNA', phoneModel('Active', '0791234567'), {}],
    ['an unknown state', phoneModel('Verified'), { status: 200 }],
  ])('%s is invalid_response', async (_name, body, expected) => {
    reply({ json: body });
    const error = await rejection(adapter().get({ userId: USER_ID }));
    expect(error).toMatchObject({ code: 'invalid_response', operation: 'get', ...expected });
    expectNoLeak(error);
  });

  it('refuses a missing userId before any request', async () => {
    await expectRefused(adapter().get({}), 'invalid_input');
  });
});

describe('remove', () => {
  it('DELETEs …/phonenumber; 204 with an empty body → removed', async () => {
    reply({ status: 204 });
    const result = await adapter().remove({ userId: USER_ID });
    expectRequests(['DELETE', PHONE_PATH]);
    expect(result).toEqual(REMOVED);
  });

  it('a 200 with a body is fine too', async () => {
    reply({ json: { whatever: true } });
    expect(await adapter().remove({ userId: USER_ID })).toEqual(REMOVED);
  });

  it('with phoneNumber: GETs first, then DELETEs when it matches', async () => {
    reply({ json: phoneModel('Active') }, { status: 204 });
    const result = await adapter().remove({ userId: USER_ID, phoneNumber: '+41 79 123 45 67' });
    expectRequests(['GET', PHONE_PATH], ['DELETE', PHONE_PATH]);
    expect(result).toEqual(REMOVED);
  });

  it('with a different phoneNumber: not_found after the GET alone (one request)', async () => {
    reply({ json: phoneModel('Active', OTHER_PHONE) }, { status: 204 });
    const error = await rejection(adapter().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expectRequests(['GET', PHONE_PATH]);
    expect(error).toMatchObject({ code: 'not_found', operation: 'remove', provider: 'etna' });
    expectNoLeak(error, ['781112233']);
  });

  it('with phoneNumber when ETNA reports NotLinked: not_found (one request)', async () => {
    reply({ json: phoneModel('NotLinked', null) }, { status: 204 });
    const error = await rejection(adapter().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests).toHaveLength(1);
    expect(error.code).toBe('not_found');
  });

  it('refuses ticket/code (removal needs no code) before any request', async () => {
    await expectRefused(
      adapter().remove({ userId: USER_ID, ticket: etnaTicket({ purpose: 'remove' }), code: CODE }),
      'invalid_input',
    );
  });
});

describe('userId must be an ETNA (int32) user id', () => {
  const BAD = ['abc', '1.5', '-1', '12a', '99999999999', '2147483648', '', ' 12', '0x10', '1e3'];

  const REFUSALS: Array<[what: string, operation: Operation, run: (userId: string) => Promise<unknown>]> = [
    ['bind refuses', 'bind', (userId) => adapter().bind({ userId, phoneNumber: PHONE })],
    ['get refuses', 'get', (userId) => adapter().get({ userId })],
    ['remove refuses', 'remove', (userId) => adapter().remove({ userId })],
    [
      'verify refuses a ticket with userId',
      'verify',
      (userId) => adapter().verify({ ticket: etnaTicket({ userId }), code: CODE }),
    ],
    [
      'resend refuses a ticket with userId',
      'resend',
      (userId) => adapter().resend({ ticket: etnaTicket({ userId }) }),
    ],
  ];

  it.each(
    REFUSALS.flatMap(([what, operation, run]) =>
      BAD.map(
        (userId) => [`${what} ${JSON.stringify(userId)} with zero requests`, userId, operation, run] as const,
      ),
    ),
  )('%s', async (_name, userId, operation, run) => {
    await expectRefused(run(userId), { code: 'invalid_input', operation, provider: 'etna' });
  });

  it.each(['0', '7', '2147483647'])('accepts %j', async (userId) => {
    reply({ json: phoneModel('Active') });
    await adapter().get({ userId });
    expectRequest(requests[0], 'GET', `/api/v1.0/users/${userId}/subscriptions/settings/phonenumber`);
  });
});

describe('retries', () => {
  useFakeRetryTimers();

  const unavailable = { status: 503, json: { message: 'Service Unavailable' } };
  const limited = { status: 429, headers: { 'Retry-After': '1' } };
  const denied = { status: 401, json: { Message: 'Authorization has been denied for this request.' } };

  it.each<[string, Reply[], () => Promise<unknown>, number, Record<string, unknown>]>([
    [
      'bind: the PUT answered 503 is sent exactly once, not retryable (it may have sent an SMS)',
      [NO_PHONE, unavailable, unavailable, unavailable],
      () => adapter().bind({ userId: USER_ID, phoneNumber: PHONE }),
      2,
      { code: 'provider_error', status: 503, retryable: false, operation: 'bind', message: SMS_NOTE },
    ],
    [
      'verify answered 503 is sent exactly once, not retryable (it may have checked the code)',
      [unavailable, unavailable, unavailable],
      () => adapter().verify({ ticket: etnaTicket(), code: CODE }),
      1,
      { code: 'provider_error', status: 503, retryable: false, operation: 'verify', message: ACTED_NOTE },
    ],
    [
      'resend answered 503 is sent exactly once, not retryable (it may have sent an SMS)',
      [unavailable, unavailable, unavailable],
      () => adapter().resend({ ticket: etnaTicket() }),
      1,
      { code: 'provider_error', status: 503, retryable: false, operation: 'resend', message: SMS_NOTE },
    ],
    [
      'bind: the PUT answered 429 is sent exactly once',
      [NO_PHONE, limited, limited, limited],
      () => adapter().bind({ userId: USER_ID, phoneNumber: PHONE }),
      2,
      { code: 'rate_limited', retryAfterMs: 1000 },
    ],
    [
      'bind: the read answered 503 is retried (2 retries), then fails retryable with no PUT sent',
      [unavailable, unavailable, unavailable, { json: bindAnswer() }],
      () => adapter().bind({ userId: USER_ID, phoneNumber: PHONE }),
      3,
      { code: 'provider_error', status: 503, retryable: true, operation: 'bind' },
    ],
    [
      'get gives up after the default 2 retries (3 requests) with a retryable provider_error',
      [unavailable, unavailable, unavailable, unavailable],
      () => adapter().get({ userId: USER_ID }),
      3,
      { code: 'provider_error', status: 503, retryable: true, operation: 'get' },
    ],
    [
      'retry: 0 sends get exactly once',
      [unavailable, unavailable],
      () => adapter({ retry: 0 }).get({ userId: USER_ID }),
      1,
      { code: 'provider_error' },
    ],
    [
      'a 401 on get is not retried',
      [denied, { json: phoneModel('Active') }],
      () => adapter().get({ userId: USER_ID }),
      1,
      { code: 'unauthenticated' },
    ],
  ])('%s', async (_name, answers, call, sent, expected) => {
    reply(...answers);
    await expectGaveUp(requests, call(), sent, expected);
  });

  it('get answered 503, 503, 200 is sent 3 times, credentials resolved each time', async () => {
    let n = 0;
    const token = vi.fn(async () => `t-${++n}`);
    reply(unavailable, unavailable, { json: phoneModel('Active') });
    const { value, error } = await settle(adapter({ token }).get({ userId: USER_ID }));
    expect(error).toBeUndefined();
    expectRequests(
      ['GET', PHONE_PATH, { token: 't-1' }],
      ['GET', PHONE_PATH, { token: 't-2' }],
      ['GET', PHONE_PATH, { token: 't-3' }],
    );
    expect(value).toEqual(VERIFIED);
  });

  it('remove answered 503, 503, 204 is sent 3 times', async () => {
    reply(unavailable, unavailable, { status: 204 });
    const { value, error } = await settle(adapter().remove({ userId: USER_ID }));
    expect(error).toBeUndefined();
    expectRequests(['DELETE', PHONE_PATH], ['DELETE', PHONE_PATH], ['DELETE', PHONE_PATH]);
    expect(value).toEqual(REMOVED);
  });

  it('the remove pre-check GET and the DELETE after it are both retried', async () => {
    reply(unavailable, { json: phoneModel('Active') }, unavailable, { status: 204 });
    const { value } = await settle(adapter().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'DELETE', 'DELETE']);
    expect(value).toEqual(REMOVED);
  });
});

describe('hook events are masked', () => {
  // The query holds the number and the code: not even their percent-encoded forms may show.
  const expectEventsClean = expectEventsCleanOf(SECRETS);

  it('bind: the number in the query is masked in request/response events', async () => {
    const { events, hooks } = recordHooks();
    reply(NO_PHONE, { json: bindAnswer() });
    await adapter({ hooks }).bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'request', 'response']);
    expect(events[0]).toMatchObject({ type: 'request', operation: 'bind', method: 'GET', attempt: 1 });
    expect(events[2]).toMatchObject({
      type: 'request',
      provider: 'etna',
      operation: 'bind',
      method: 'PUT',
      attempt: 1,
    });
    expect(events[3]).toMatchObject({ type: 'response', status: 200, operation: 'bind' });
    expect((events[2] as RequestEvent).url).toContain(`${BASE}/v1.0/users/${USER_ID}/subscriptions`);
    expectEventsClean(events);
  });

  it('verify: the code in the query is masked, also in the error event', async () => {
    const { events, hooks } = recordHooks();
    reply({ status: 400, json: { Message: `Code ${CODE} for ${PHONE} is invalid` } });
    const error = await rejection(adapter({ hooks }).verify({ ticket: etnaTicket(), code: CODE }));
    expect(error.code).toBe('invalid_code');
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'error']);
    expect(events[2]).toEqual({ type: 'error', provider: 'etna', operation: 'verify', error });
    expectEventsClean(events);
  });

  it('resend and get/remove (with number) events are clean', async () => {
    const { events, hooks } = recordHooks();
    reply({ json: bindAnswer() }, { json: phoneModel('Active') }, { status: 204 });
    const b = adapter({ hooks });
    await b.resend({ ticket: etnaTicket() });
    await b.remove({ userId: USER_ID, phoneNumber: PHONE });
    expect(events.map((e) => e.type)).toEqual([
      'request',
      'response',
      'request',
      'response',
      'request',
      'response',
    ]);
    expectEventsClean(events);
  });

  it('retried attempts are numbered and clean', () =>
    withFakeRetryTimers(async () => {
      const { events, hooks } = recordHooks();
      reply({ status: 503 }, { json: phoneModel('Active') });
      await settle(adapter({ hooks }).get({ userId: USER_ID }));
      expect(attemptsOf(events)).toEqual(['request:1', 'response:1', 'request:2', 'response:2']);
      expectEventsClean(events);
    }));

  it('credential values from functions never show in events', async () => {
    const { events, hooks } = recordHooks();
    // A 401 with a credential function: the SDK asks the function again and repeats once.
    reply(
      { status: 401, json: { Message: 'token fn-tok-123456 denied for key fn-key-abcdef' } },
      { status: 401, json: { Message: 'token fn-tok-123456 denied for key fn-key-abcdef' } },
    );
    const error = await rejection(
      adapter({ hooks, token: async () => 'fn-tok-123456', appKey: () => 'fn-key-abcdef' }).get({
        userId: USER_ID,
      }),
    );
    expect(error.code).toBe('unauthenticated');
    expectEventsClean(events, ['fn-tok-123456', 'fn-key-abcdef']);
  });

  // Regression: URLSearchParams escapes ~ ! ' ( ) too; that form of the code is masked as well.
  it('a code with characters URLSearchParams encodes differently is masked in hook URLs', async () => {
    const code = 'AB~12!34';
    const { events, hooks } = recordHooks();
    reply({ json: phoneModel('Active') });
    await adapter({ hooks }).verify({ ticket: etnaTicket(), code });
    expect(requests[0]!.search).toBe('?tokenValue=AB%7E12%2134');
    for (const event of events) {
      if (event.type !== 'error') expect(decodeURIComponent(event.url)).not.toContain(code);
    }
  });
});
