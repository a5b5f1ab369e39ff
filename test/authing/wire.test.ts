import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authing } from '../../adapters/authing/index.js';
import type { PhoneBinding, VerificationTicket } from '../../src/index.js';
import { failingCredential } from '../support/credentials.js';
import { expectRefusedOf, expectRequestsOf } from '../support/requests.js';
import { expectGaveUp, useFakeRetryTimers } from '../support/retries.js';
import { newTicket } from '../support/tickets.js';
import {
  APP_ID,
  BASE,
  type Captured,
  CN_NATIONAL,
  CN_PHONE,
  CN_PHONE_NUMBER,
  CODE,
  expectNoLeak,
  expectRequest,
  failure,
  NATIONAL,
  NO_PHONE,
  OK,
  OTHER_PHONE,
  PATHS,
  PHONE,
  PHONE_NUMBER,
  profile,
  type Reply,
  rejection,
  settle,
  TOKEN,
  USER_POOL_ID,
  useMockAuthing,
} from './helpers.js';

function adapter(options: Partial<Parameters<typeof authing>[0]> = {}): PhoneBinding {
  return authing({ baseUrl: BASE, accessToken: TOKEN, appId: APP_ID, ...options });
}

/** A ticket as this adapter issues it (no userId); issued long enough ago to resend. */
function ticket(
  purpose: 'bind' | 'remove' = 'bind',
  phone = PHONE,
  issuedAt = new Date(Date.now() - 120_000).toISOString(),
): VerificationTicket {
  return newTicket('authing', phone, { purpose, issuedAt });
}

const CH_STORED = profile({ phone: NATIONAL, phoneCountryCode: '+41', phoneVerified: true });

const SEND_BIND = { phoneNumber: NATIONAL, phoneCountryCode: '+41', channel: 'CHANNEL_BIND_PHONE' };
const SEND_UNBIND = { phoneNumber: NATIONAL, phoneCountryCode: '+41', channel: 'CHANNEL_UNBIND_PHONE' };
const CN_SEND_BIND = { phoneNumber: CN_NATIONAL, phoneCountryCode: '+86', channel: 'CHANNEL_BIND_PHONE' };
/** The bind-phone body that verifies a +86 ticket. */
const CN_BIND_PHONE = { phoneNumber: CN_NATIONAL, passCode: CODE, phoneCountryCode: '+86' };

type Normalized = typeof PHONE_NUMBER | typeof CN_PHONE_NUMBER;

function ticketShape(purpose: 'bind' | 'remove', phone = PHONE) {
  return { provider: 'authing', purpose, phone, issuedAt: expect.any(String) };
}

function pending(purpose: 'bind' | 'remove', phone: Normalized) {
  return { state: 'pending', purpose, provider: 'authing', phone, ticket: ticketShape(purpose, phone.e164) };
}

function verified(phone: Normalized, state = 'verified') {
  return { state, provider: 'authing', phone };
}

const GET_PROFILE = `GET ${PATHS.getProfile}`;
const SEND_SMS = `POST ${PATHS.sendSms}`;
const BIND_PHONE = `POST ${PATHS.bindPhone}`;
const UNBIND_PHONE = `POST ${PATHS.unbindPhone}`;

/** The request lines (method and path) of the test, in order. */
function requestLines(): string[] {
  return requests.map((r) => `${r.method} ${r.path}`);
}

function headerNames(req: Captured): string[] {
  return [...req.headers.keys()];
}

const { requests, reply } = useMockAuthing();
const expectRequests = expectRequestsOf(requests, expectRequest);
const expectRefused = expectRefusedOf(requests);

describe('authing: headers and credentials', () => {
  it('sends x-authing-app-id, the raw token and accept; no userpool or lang header unless given', async () => {
    reply(CH_STORED);
    await adapter().get({});
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined);
    const names = headerNames(requests[0]!);
    expect(names).not.toContain('x-authing-userpool-id');
    expect(names).not.toContain('x-authing-lang');
    expect(names.filter((name) => name.startsWith('x-genauth-'))).toEqual([]);
  });

  it('sends x-authing-userpool-id and x-authing-lang when userPoolId and lang are given', async () => {
    reply(CH_STORED);
    await adapter({ userPoolId: USER_POOL_ID, lang: 'en-US' }).get({});
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined);
    expect(requests[0]!.headers.get('x-authing-userpool-id')).toBe(USER_POOL_ID);
    expect(requests[0]!.headers.get('x-authing-lang')).toBe('en-US');
  });

  it('sends only the userpool header when only userPoolId is given, only lang when only lang', async () => {
    reply(CH_STORED, CH_STORED);
    await adapter({ userPoolId: USER_POOL_ID }).get({});
    await adapter({ lang: 'zh-CN' }).get({});
    expect(requests[0]!.headers.get('x-authing-userpool-id')).toBe(USER_POOL_ID);
    expect(requests[0]!.headers.get('x-authing-lang')).toBeNull();
    expect(requests[1]!.headers.get('x-authing-userpool-id')).toBeNull();
    expect(requests[1]!.headers.get('x-authing-lang')).toBe('zh-CN');
  });

  it("brand 'genauth' sends the same headers as x-genauth-* and no x-authing-* at all", async () => {
    reply(NO_PHONE, { json: OK });
    await adapter({ brand: 'genauth', userPoolId: USER_POOL_ID, lang: 'en-US' }).bind({ phoneNumber: PHONE });
    expect(requests).toHaveLength(2);
    for (const req of requests) {
      expect(req.headers.get('x-genauth-app-id')).toBe(APP_ID);
      expect(req.headers.get('x-genauth-userpool-id')).toBe(USER_POOL_ID);
      expect(req.headers.get('x-genauth-lang')).toBe('en-US');
      expect(req.headers.get('authorization')).toBe(TOKEN);
      expect(req.headers.get('accept')).toBe('application/json');
      expect(headerNames(req).filter((name) => name.startsWith('x-authing-'))).toEqual([]);
    }
    expect(requests[1]!.json).toEqual(SEND_BIND);
  });

  it("brand 'genauth' without userPoolId and lang sends only x-genauth-app-id", async () => {
    reply(CH_STORED);
    await adapter({ brand: 'genauth' }).get({});
    const names = headerNames(requests[0]!).filter((name) => name.startsWith('x-'));
    expect(names).toEqual(['x-genauth-app-id']);
  });

  it.each([
    ["authorization: 'bearer' sends Bearer <token>", 'bearer', `Bearer ${TOKEN}`],
    ["authorization: 'raw' (the default spelled out) sends the bare token", 'raw', TOKEN],
  ] as const)('%s', async (_name, authorization, header) => {
    reply(CH_STORED);
    await adapter({ authorization }).get({});
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined, header);
  });

  it('calls a sync token function once per request (bind makes two)', async () => {
    let n = 0;
    const accessToken = vi.fn(() => `sync-token-${++n}`);
    reply(NO_PHONE, { json: OK });
    await adapter({ accessToken }).bind({ phoneNumber: PHONE });
    expect(accessToken).toHaveBeenCalledTimes(2);
    expectRequests(
      ['GET', PATHS.getProfile, undefined, 'sync-token-1'],
      ['POST', PATHS.sendSms, SEND_BIND, 'sync-token-2'],
    );
  });

  it('calls an async token function once per request, also with bearer', async () => {
    let n = 0;
    const accessToken = vi.fn(async () => `async-token-${++n}`);
    reply(CH_STORED, { json: OK }, { json: OK });
    const binding = adapter({ accessToken, authorization: 'bearer' });
    await binding.remove({});
    await binding.remove({ ticket: ticket('remove'), code: CODE });
    expect(accessToken).toHaveBeenCalledTimes(3);
    expectRequests(
      ['GET', PATHS.getProfile, undefined, 'Bearer async-token-1'],
      ['POST', PATHS.sendSms, SEND_UNBIND, 'Bearer async-token-2'],
      ['POST', PATHS.unbindPhone, { passCode: CODE }, 'Bearer async-token-3'],
    );
  });

  it('a token function that throws gives unauthenticated and sends nothing', async () => {
    const accessToken = failingCredential();
    await expectRefused(adapter({ accessToken }).bind({ phoneNumber: PHONE }), {
      code: 'unauthenticated',
      operation: 'bind',
      provider: 'authing',
    });
  });

  it('passes the adapter headers option and per-call headers through', async () => {
    reply(NO_PHONE, { json: OK });
    await adapter({ headers: { 'x-tenant': 'tenant-1' } }).bind(
      { phoneNumber: PHONE },
      { headers: { 'x-request-id': 'req-42' } },
    );
    expectRequests(['GET', PATHS.getProfile, undefined], ['POST', PATHS.sendSms, SEND_BIND]);
    for (const req of requests) {
      expect(req.headers.get('x-tenant')).toBe('tenant-1');
      expect(req.headers.get('x-request-id')).toBe('req-42');
    }
  });

  it('per-call headers are for that call only', async () => {
    reply(CH_STORED, CH_STORED);
    const binding = adapter();
    await binding.get({}, { headers: { 'x-request-id': 'req-1' } });
    await binding.get({});
    expect(requests[0]!.headers.get('x-request-id')).toBe('req-1');
    expect(requests[1]!.headers.get('x-request-id')).toBeNull();
  });

  it('neither the headers option nor per-call headers replace the authorization header', async () => {
    reply(CH_STORED);
    await adapter({ headers: { authorization: 'nope-1' } }).get({}, { headers: { authorization: 'nope-2' } });
    expect(requests[0]!.headers.get('authorization')).toBe(TOKEN);
  });

  it('the headers option does not replace x-authing-app-id', async () => {
    reply(CH_STORED);
    await adapter({ headers: { 'x-authing-app-id': 'someone-else' } }).get({});
    expect(requests[0]!.headers.get('x-authing-app-id')).toBe(APP_ID);
  });

  it('every request of every operation carries the same headers; content-type only on POSTs', async () => {
    reply(
      NO_PHONE,
      { json: OK }, // bind
      { json: OK }, // verify
      { json: OK }, // resend
      CH_STORED, // get
      CH_STORED,
      { json: OK }, // remove step 1
      { json: OK }, // remove step 2
    );
    const binding = adapter({ headers: { 'x-tenant': 'tenant-1' }, userPoolId: USER_POOL_ID });
    await binding.bind({ phoneNumber: PHONE });
    await binding.verify({ ticket: ticket(), code: CODE });
    await binding.resend({ ticket: ticket() });
    await binding.get({});
    await binding.remove({});
    await binding.remove({ ticket: ticket('remove'), code: CODE });
    expect(requestLines()).toEqual([
      GET_PROFILE,
      SEND_SMS,
      BIND_PHONE,
      SEND_SMS,
      GET_PROFILE,
      GET_PROFILE,
      SEND_SMS,
      UNBIND_PHONE,
    ]);
    for (const req of requests) {
      expect(req.search).toBe('');
      expect(req.headers.get('accept')).toBe('application/json');
      expect(req.headers.get('authorization')).toBe(TOKEN);
      expect(req.headers.get('x-authing-app-id')).toBe(APP_ID);
      expect(req.headers.get('x-authing-userpool-id')).toBe(USER_POOL_ID);
      expect(req.headers.get('x-tenant')).toBe('tenant-1');
      expect(req.headers.get('content-type')).toBe(req.method === 'POST' ? 'application/json' : null);
      if (req.method === 'GET') expect(req.text).toBe('');
    }
  });

  it('keeps a base URL path prefix', async () => {
    reply(CH_STORED);
    await adapter({ baseUrl: `${BASE}/authing/` }).get({});
    expectRequest(requests[0], 'GET', `/authing${PATHS.getProfile}`, undefined);
  });
});

describe('authing: bind', () => {
  it.each([
    ['+41 79 123 45 67', undefined],
    ['0041791234567', undefined],
    ['(079) 123 45 67', 'CH'],
    ['079 123 45 67', 'CH'],
  ])(
    '%s (defaultCountry %s): get-profile, then send-sms with the national number and +41',
    async (phoneNumber, defaultCountry) => {
      reply(NO_PHONE, { json: OK });
      const result = await adapter().bind(defaultCountry ? { phoneNumber, defaultCountry } : { phoneNumber });
      expectRequests(
        ['GET', PATHS.getProfile, undefined],
        [
          'POST',
          PATHS.sendSms,
          { phoneNumber: '791234567', phoneCountryCode: '+41', channel: 'CHANNEL_BIND_PHONE' },
        ],
      );
      expect(result).toEqual(pending('bind', PHONE_NUMBER));
    },
  );

  it('+86 188 0000 8888 is sent as { phoneNumber: 18800008888, phoneCountryCode: +86 }', async () => {
    reply(NO_PHONE, { json: OK });
    const result = await adapter().bind({ phoneNumber: '+86 188 0000 8888' });
    expect(requests).toHaveLength(2);
    expectRequest(requests[1], 'POST', PATHS.sendSms, {
      phoneNumber: '18800008888',
      phoneCountryCode: '+86',
      channel: 'CHANNEL_BIND_PHONE',
    });
    expect(result).toEqual(pending('bind', CN_PHONE_NUMBER));
  });

  it('the ticket is plain JSON without userId, code or expiresAt; issuedAt is now', async () => {
    reply(NO_PHONE, { json: OK });
    const before = Date.now();
    const result = await adapter().bind({ phoneNumber: PHONE });
    if (result.state !== 'pending') throw new Error('expected pending');
    expect(Object.keys(result.ticket).sort()).toEqual(['issuedAt', 'phone', 'provider', 'purpose']);
    expect(result).not.toHaveProperty('code');
    const issued = Date.parse(result.ticket.issuedAt);
    expect(issued).toBeGreaterThanOrEqual(before - 1);
    expect(issued).toBeLessThanOrEqual(Date.now() + 1);
    expect(JSON.parse(JSON.stringify(result.ticket))).toEqual(result.ticket);
  });

  it('a profile with phone "" counts as no phone', async () => {
    reply(profile({ phone: '', phoneVerified: false }), { json: OK });
    const result = await adapter().bind({ phoneNumber: PHONE });
    expect(requests).toHaveLength(2);
    expect(result).toEqual(pending('bind', PHONE_NUMBER));
  });

  it('a profile already holding the same verified number returns it verified and sends no SMS', async () => {
    reply(CH_STORED);
    const result = await adapter().bind({ phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
    expectRequests(['GET', PATHS.getProfile, undefined]);
    expect(result).toEqual(verified(PHONE_NUMBER));
  });

  it('the same verified +86 number stored without phoneCountryCode is recognized (1 request)', async () => {
    reply(profile({ phone: CN_NATIONAL, phoneVerified: true }));
    const result = await adapter().bind({ phoneNumber: '+86 188 0000 8888' });
    expect(requests).toHaveLength(1);
    expect(result).toEqual(verified(CN_PHONE_NUMBER));
  });

  it('a profile holding another number is a change: send-sms to the new number (test/authing/change.test.ts)', async () => {
    reply(profile({ phone: '781112233', phoneCountryCode: '+41', phoneVerified: true }), { json: OK });
    const result = await adapter().bind({ phoneNumber: PHONE });
    expectRequests(['GET', PATHS.getProfile, undefined], ['POST', PATHS.sendSms, SEND_BIND]);
    expect(result).toMatchObject({ state: 'pending', phone: PHONE_NUMBER, replaces: { e164: OTHER_PHONE } });
  });

  it.each([
    ['userId (scope user)', { userId: 'u1', phoneNumber: PHONE }, 'invalid_input'],
    ['verified: true as unsupported', { phoneNumber: PHONE, verified: true }, 'unsupported'],
    ['primary as unsupported', { phoneNumber: PHONE, primary: true }, 'unsupported'],
    ['an unreadable number', { phoneNumber: '079 123 45 67' }, 'invalid_phone_number'],
  ])('refuses %s before any request', async (_name, input, code) => {
    await expectRefused(adapter().bind(input), { code, operation: 'bind' });
  });
});

describe('authing: verify', () => {
  it('POSTs { phoneNumber, passCode (trimmed), phoneCountryCode } to bind-phone → verified', async () => {
    reply({ json: OK });
    const result = await adapter().verify({ ticket: ticket(), code: `  ${CODE} ` });
    expectRequests([
      'POST',
      PATHS.bindPhone,
      { phoneNumber: NATIONAL, passCode: CODE, phoneCountryCode: '+41' },
    ]);
    expect(result).toEqual(verified(PHONE_NUMBER));
  });

  it('sends +86 and the Chinese national number for a +86 ticket', async () => {
    reply({ json: OK });
    const result = await adapter().verify({ ticket: ticket('bind', CN_PHONE), code: CODE });
    expectRequest(requests[0], 'POST', PATHS.bindPhone, CN_BIND_PHONE);
    expect(result).toEqual(verified(CN_PHONE_NUMBER));
  });

  it('accepts the ticket bind() returned, after a JSON round trip', async () => {
    reply(NO_PHONE, { json: OK }, { json: OK });
    const binding = adapter();
    const started = await binding.bind({ phoneNumber: '+86 188 0000 8888' });
    if (started.state !== 'pending') throw new Error('expected pending');
    const roundTripped = JSON.parse(JSON.stringify(started.ticket)) as VerificationTicket;
    const result = await binding.verify({ ticket: roundTripped, code: CODE });
    expect(requests).toHaveLength(3);
    expectRequest(requests[2], 'POST', PATHS.bindPhone, CN_BIND_PHONE);
    expect(result).toEqual(verified(CN_PHONE_NUMBER));
  });

  it.each([
    ['a removal ticket', ticket('remove'), CODE],
    ['a zitadel ticket', { ...ticket(), provider: 'zitadel' as const, userId: 'u1' }, CODE],
    ['a ticket with a userId', { ...ticket(), userId: 'u1' }, CODE],
    ['a ticket with an unknown field', { ...ticket(), extra: 'x' } as VerificationTicket, CODE],
    ['an empty code', ticket(), '   '],
    ['a code with inner white space', ticket(), '739 105'],
  ])('refuses %s with invalid_input before any request', async (_name, t, code) => {
    await expectRefused(adapter().verify({ ticket: t, code }), {
      code: 'invalid_input',
      operation: 'verify',
    });
  });

  it('refuses a ticket past its expiresAt with code_expired before any request', async () => {
    const expired = { ...ticket(), expiresAt: new Date(Date.now() - 1000).toISOString() };
    await expectRefused(adapter().verify({ ticket: expired, code: CODE }), 'code_expired');
  });
});

describe('authing: resend (one SMS per minute per number)', () => {
  const T0 = new Date('2026-03-01T08:00:00.000Z');

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('within 60 s of issuedAt → rate_limited with the remaining ms and zero requests', async () => {
    reply(NO_PHONE, { json: OK });
    const binding = adapter();
    const started = await binding.bind({ phoneNumber: PHONE });
    if (started.state !== 'pending') throw new Error('expected pending');
    expect(started.ticket.issuedAt).toBe(T0.toISOString());
    expect(requests).toHaveLength(2);

    vi.setSystemTime(T0.getTime() + 15_000);
    const early = await rejection(binding.resend({ ticket: started.ticket }));
    expect(early).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 45_000,
      retryable: true,
      operation: 'resend',
      provider: 'authing',
    });
    expect(early.status).toBeUndefined();
    expectNoLeak(early);

    vi.setSystemTime(T0.getTime() + 59_999);
    const late = await rejection(binding.resend({ ticket: started.ticket }));
    expect(late).toMatchObject({ code: 'rate_limited', retryAfterMs: 1 });
    expect(requests).toHaveLength(2);
  });

  it('right after issuing (0 s) → retryAfterMs 60000, no request', async () => {
    await expectRefused(adapter().resend({ ticket: ticket('bind', PHONE, T0.toISOString()) }), {
      code: 'rate_limited',
      retryAfterMs: 60_000,
    });
  });

  it.each([
    ['after 60 s → POST send-sms with CHANNEL_BIND_PHONE and a new ticket', 'bind', 60_000, SEND_BIND],
    [
      "a 'remove' ticket is resent on CHANNEL_UNBIND_PHONE and stays a removal",
      'remove',
      90_000,
      SEND_UNBIND,
    ],
  ] as const)('%s', async (_name, purpose, elapsed, body) => {
    vi.setSystemTime(T0.getTime() + elapsed);
    reply({ json: OK });
    const result = await adapter().resend({ ticket: ticket(purpose, PHONE, T0.toISOString()) });
    expectRequests(['POST', PATHS.sendSms, body]);
    expect(result).toEqual(pending(purpose, PHONE_NUMBER));
    expect(result.ticket.issuedAt).toBe(new Date(T0.getTime() + elapsed).toISOString());
  });

  it('a +86 ticket is resent with +86 and the Chinese national number', async () => {
    reply({ json: OK });
    await adapter().resend({ ticket: ticket('bind', CN_PHONE) });
    expectRequest(requests[0], 'POST', PATHS.sendSms, CN_SEND_BIND);
  });

  it('refuses another provider’s ticket before any request', async () => {
    await expectRefused(
      adapter().resend({ ticket: { ...ticket(), provider: 'zitadel-self' } }),
      'invalid_input',
    );
  });
});

describe('authing: get', () => {
  it('GETs /api/v3/get-profile (no query, no body) and reads phone + phoneCountryCode + phoneVerified', async () => {
    reply(CH_STORED);
    const result = await adapter().get({});
    expectRequests(['GET', PATHS.getProfile, undefined]);
    expect(result).toEqual(verified(PHONE_NUMBER));
  });

  it('get() without an input object works too', async () => {
    reply(CH_STORED);
    const result = await adapter().get(undefined as unknown as Record<string, never>);
    expect(result).toEqual(verified(PHONE_NUMBER));
  });

  it.each([
    ['absent', { phone: CN_NATIONAL, phoneVerified: true }],
    ['null', { phone: CN_NATIONAL, phoneCountryCode: null, phoneVerified: true }],
    ['empty', { phone: CN_NATIONAL, phoneCountryCode: '', phoneVerified: true }],
    ['+86 with the national number', { phone: CN_NATIONAL, phoneCountryCode: '+86', phoneVerified: true }],
  ])('phoneCountryCode %s → read as +86', async (_name, data) => {
    reply(profile(data));
    expect(await adapter().get({})).toEqual(verified(CN_PHONE_NUMBER));
  });

  it.each([
    ['""', { phone: '', phoneCountryCode: '+86', phoneVerified: false }],
    ['null', { phone: null, phoneVerified: false }],
    ['absent', { phoneVerified: false }],
    ['absent, with nothing else', {}],
  ])('phone %s → null', async (_name, data) => {
    reply(profile(data));
    expect(await adapter().get({})).toBeNull();
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['false', { phoneVerified: false }],
    ['null', { phoneVerified: null }],
    ['absent', {}],
  ])('phoneVerified %s → unverified', async (_name, extra) => {
    reply(profile({ phone: NATIONAL, phoneCountryCode: '+41', ...extra }));
    expect(await adapter().get({})).toEqual(verified(PHONE_NUMBER, 'unverified'));
  });

  it('refuses userId before any request', async () => {
    await expectRefused(adapter().get({ userId: 'u1' }), { code: 'invalid_input', operation: 'get' });
  });
});

describe('authing: remove', () => {
  it('step 1: get-profile, then send-sms CHANNEL_UNBIND_PHONE to the current number → pending removal', async () => {
    reply(CH_STORED, { json: OK });
    const result = await adapter().remove({});
    expectRequests(['GET', PATHS.getProfile, undefined], ['POST', PATHS.sendSms, SEND_UNBIND]);
    expect(result).toEqual(pending('remove', PHONE_NUMBER));
  });

  it('step 1 for a +86 number stored without phoneCountryCode sends +86', async () => {
    reply(profile({ phone: CN_NATIONAL, phoneVerified: true }), { json: OK });
    const result = await adapter().remove({});
    expectRequest(requests[1], 'POST', PATHS.sendSms, { ...CN_SEND_BIND, channel: 'CHANNEL_UNBIND_PHONE' });
    expect(result).toEqual(pending('remove', CN_PHONE_NUMBER));
  });

  it('step 1 with phoneNumber naming the current number (any notation) proceeds', async () => {
    reply(CH_STORED, { json: OK });
    const result = await adapter().remove({ phoneNumber: '+41 79 123 45 67' });
    expect(requests).toHaveLength(2);
    expectRequest(requests[1], 'POST', PATHS.sendSms, SEND_UNBIND);
    expect(result).toEqual(pending('remove', PHONE_NUMBER));
  });

  it('step 1 without a phone → not_found, no SMS', async () => {
    reply(NO_PHONE);
    const error = await rejection(adapter().remove({}));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe(PATHS.getProfile);
    expect(error).toMatchObject({ code: 'not_found', operation: 'remove', provider: 'authing' });
    expect(error.status).toBeUndefined();
  });

  it('step 1 naming another number → not_found, no SMS', async () => {
    reply(CH_STORED);
    const error = await rejection(adapter().remove({ phoneNumber: OTHER_PHONE }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'not_found', operation: 'remove' });
    expectNoLeak(error, [OTHER_PHONE, '781112233']);
  });

  it('step 2: remove({ ticket, code }) POSTs exactly { passCode } (trimmed) to unbind-phone → removed', async () => {
    reply({ json: OK });
    const result = await adapter().remove({ ticket: ticket('remove'), code: ` ${CODE}  ` });
    expectRequests(['POST', PATHS.unbindPhone, { passCode: CODE }]);
    expect(result).toEqual({ state: 'removed', provider: 'authing' });
  });

  it('the whole flow: bind, verify, remove, confirm (tickets through JSON)', async () => {
    reply(NO_PHONE, { json: OK }, { json: OK }, CH_STORED, { json: OK }, { json: OK });
    const binding = adapter();
    const bound = await binding.bind({ phoneNumber: PHONE });
    if (bound.state !== 'pending') throw new Error('expected pending');
    await binding.verify({ ticket: JSON.parse(JSON.stringify(bound.ticket)), code: CODE });
    const removal = await binding.remove({});
    if (removal.state !== 'pending') throw new Error('expected pending');
    expect(removal.purpose).toBe('remove');
    const removed = await binding.remove({ ticket: JSON.parse(JSON.stringify(removal.ticket)), code: CODE });
    expect(removed).toEqual({ state: 'removed', provider: 'authing' });
    expect(requestLines()).toEqual([GET_PROFILE, SEND_SMS, BIND_PHONE, GET_PROFILE, SEND_SMS, UNBIND_PHONE]);
    expect(requests[5]!.json).toEqual({ passCode: CODE });
  });

  it.each([
    ['a bind ticket', { ticket: ticket('bind'), code: CODE }],
    ['a ticket without code', { ticket: ticket('remove') }],
    ['a code without ticket', { code: CODE }],
    ['an empty code', { ticket: ticket('remove'), code: '' }],
    ['a ticket with a userId', { ticket: { ...ticket('remove'), userId: 'u1' }, code: CODE }],
    ['userId', { userId: 'u1' }],
  ])('refuses %s with invalid_input before any request', async (_name, input) => {
    await expectRefused(adapter().remove(input), {
      code: 'invalid_input',
      operation: 'remove',
    });
  });
});

describe('bad 2xx answers are invalid_response, never a TypeError', () => {
  it.each([
    ['get-profile without data', { statusCode: 200, message: 'success', requestId: 'r-1' }],
    [
      'get-profile with data.phone: 42',
      { statusCode: 200, message: 'success', data: { phone: 42, phoneVerified: true } },
    ],
  ])('%s', async (_name, body) => {
    reply({ json: body });
    const error = await rejection(adapter().get({}));
    expect(error).toMatchObject({
      code: 'invalid_response',
      operation: 'get',
      provider: 'authing',
      retryable: false,
    });
    expect(error.details).toEqual(body);
    expectNoLeak(error);
  });

  it.each<[string, Reply[], () => Promise<unknown>, Record<string, unknown>]>([
    [
      'get-profile with phoneVerified: "yes" does not leak the stored number',
      [profile({ phone: CN_NATIONAL, phoneCountryCode: '+86', phoneVerified: 'yes' })],
      () => adapter().get({}),
      {},
    ],
    [
      'get-profile with a stored phone that is not a possible number',
      [profile({ phone: '12', phoneCountryCode: '+86', phoneVerified: true })],
      () => adapter().get({}),
      { operation: 'get' },
    ],
    [
      'get-profile answered 200 with non-JSON text',
      [{ text: '<html>hello</html>', headers: { 'content-type': 'text/html' } }],
      () => adapter().get({}),
      { details: '<html>hello</html>' },
    ],
    [
      'bind: send-sms answered 200 with non-JSON text (after get-profile)',
      [NO_PHONE, { text: 'OK' }],
      () => adapter().bind({ phoneNumber: PHONE }),
      { operation: 'bind' },
    ],
    [
      'bind: send-sms answered 200 with {} (no statusCode)',
      [NO_PHONE, { json: {} }],
      () => adapter().bind({ phoneNumber: PHONE }),
      { operation: 'bind' },
    ],
    [
      'verify: bind-phone answered 200 with an empty body',
      [{ text: '' }],
      () => adapter().verify({ ticket: ticket(), code: CODE }),
      { operation: 'verify' },
    ],
    [
      'remove step 2: unbind-phone answered 200 with an array',
      [{ json: [] }],
      () => adapter().remove({ ticket: ticket('remove'), code: CODE }),
      { operation: 'remove' },
    ],
  ])('%s', async (_name, answers, run, expected) => {
    reply(...answers);
    const error = await rejection(run());
    expect(requests).toHaveLength(answers.length);
    expect(error).toMatchObject({ code: 'invalid_response', ...expected });
    expectNoLeak(error);
  });
});

describe('retries: never for SMS-sending or code-checking calls, yes for get-profile', () => {
  useFakeRetryTimers();

  const unavailable = { status: 503, json: failure(503, undefined, 'service unavailable') };
  const limited = { status: 429, json: failure(429), headers: { 'Retry-After': '1' } };

  it.each<[string, Reply[], () => Promise<unknown>, string[], Record<string, unknown>]>([
    [
      'bind: send-sms',
      [NO_PHONE],
      () => adapter().bind({ phoneNumber: PHONE }),
      [PATHS.getProfile, PATHS.sendSms],
      { retryable: false, operation: 'bind', message: expect.stringMatching(/may have .*sent an SMS/) },
    ],
    [
      'verify: bind-phone',
      [],
      () => adapter().verify({ ticket: ticket(), code: CODE }),
      [PATHS.bindPhone],
      { operation: 'verify' },
    ],
    [
      'resend: send-sms',
      [],
      () => adapter().resend({ ticket: ticket() }),
      [PATHS.sendSms],
      { operation: 'resend' },
    ],
    [
      'remove step 1: send-sms',
      [CH_STORED],
      () => adapter().remove({}),
      [PATHS.getProfile, PATHS.sendSms],
      { operation: 'remove' },
    ],
    [
      'remove step 2: unbind-phone',
      [],
      () => adapter().remove({ ticket: ticket('remove'), code: CODE }),
      [PATHS.unbindPhone],
      { operation: 'remove' },
    ],
  ])('%s answered 503 is sent exactly once', async (_name, before, run, paths, expected) => {
    reply(...before, unavailable, unavailable, unavailable);
    const { error } = await settle(run());
    expect(requests.map((r) => r.path)).toEqual(paths);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, ...expected });
  });

  it('get: get-profile answered 503, 503, 200 is sent 3 times (token resolved each time)', async () => {
    let n = 0;
    const accessToken = vi.fn(() => `t-${++n}`);
    reply(unavailable, unavailable, CH_STORED);
    const { value, error } = await settle(adapter({ accessToken }).get({}));
    expect(error).toBeUndefined();
    expectRequests(
      ['GET', PATHS.getProfile, undefined, 't-1'],
      ['GET', PATHS.getProfile, undefined, 't-2'],
      ['GET', PATHS.getProfile, undefined, 't-3'],
    );
    expect(value).toEqual(verified(PHONE_NUMBER));
  });

  it.each([
    [
      'bind: get-profile answered 503, 503, 200 is retried, then send-sms is sent once (4 requests)',
      NO_PHONE,
      () => adapter().bind({ phoneNumber: PHONE }),
      SEND_BIND,
      pending('bind', PHONE_NUMBER),
    ],
    [
      'remove step 1: get-profile answered 503, 503, 200 is retried, then send-sms once (4 requests)',
      CH_STORED,
      () => adapter().remove({}),
      SEND_UNBIND,
      pending('remove', PHONE_NUMBER),
    ],
  ])('%s', async (_name, stored, run, body, expected) => {
    reply(unavailable, unavailable, stored, { json: OK });
    const { value, error } = await settle<unknown>(run());
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.path)).toEqual([
      PATHS.getProfile,
      PATHS.getProfile,
      PATHS.getProfile,
      PATHS.sendSms,
    ]);
    expectRequest(requests[3], 'POST', PATHS.sendSms, body);
    expect(value).toEqual(expected);
  });

  it.each<[string, Reply[], () => Promise<unknown>, number, Record<string, unknown>]>([
    [
      'bind: send-sms answered 429 (Retry-After: 1) is sent exactly once',
      [NO_PHONE, limited, limited, limited],
      () => adapter().bind({ phoneNumber: PHONE }),
      2,
      { code: 'rate_limited', retryAfterMs: 1000, retryable: true },
    ],
    [
      'get gives up after the default 2 retries (3 requests) with a retryable provider_error',
      [unavailable, unavailable, unavailable, unavailable],
      () => adapter().get({}),
      3,
      {
        code: 'provider_error',
        status: 503,
        retryable: true,
        operation: 'get',
        provider: 'authing',
        requestId: 'req-fail-7e3a',
      },
    ],
    [
      'retry: 0 sends get-profile once',
      [unavailable, CH_STORED],
      () => adapter({ retry: 0 }).get({}),
      1,
      { code: 'provider_error', status: 503 },
    ],
  ])('%s', async (_name, answers, call, sent, expected) => {
    reply(...answers);
    await expectGaveUp(requests, call(), sent, expected);
  });
});
