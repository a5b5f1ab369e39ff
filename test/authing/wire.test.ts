import { afterEach, describe, expect, it, vi } from 'vitest';
import { authing } from '../../adapters/authing/index.js';
import type { PhoneBinding, VerificationTicket } from '../../src/index.js';
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
  PATHS,
  PHONE,
  PHONE_NUMBER,
  profile,
  rejection,
  TOKEN,
  USER_POOL_ID,
  useMockAuthing,
} from './helpers.js';

const { requests, reply } = useMockAuthing();

const OTHER_PHONE = '+41781112233';

function adapter(options: Partial<Parameters<typeof authing>[0]> = {}): PhoneBinding {
  return authing({ baseUrl: BASE, accessToken: TOKEN, appId: APP_ID, ...options });
}

/** A ticket as this adapter issues it (no userId); issued long enough ago to resend. */
function ticket(
  purpose: 'bind' | 'remove' = 'bind',
  phone = PHONE,
  issuedAt = new Date(Date.now() - 120_000).toISOString(),
): VerificationTicket {
  return { provider: 'authing', purpose, phone, issuedAt };
}

const CH_STORED = profile({ phone: NATIONAL, phoneCountryCode: '+41', phoneVerified: true });

const SEND_BIND = { phoneNumber: NATIONAL, phoneCountryCode: '+41', channel: 'CHANNEL_BIND_PHONE' };
const SEND_UNBIND = { phoneNumber: NATIONAL, phoneCountryCode: '+41', channel: 'CHANNEL_UNBIND_PHONE' };

function ticketShape(purpose: 'bind' | 'remove', phone = PHONE) {
  return { provider: 'authing', purpose, phone, issuedAt: expect.any(String) };
}

function pending(purpose: 'bind' | 'remove', phone: typeof PHONE_NUMBER | typeof CN_PHONE_NUMBER) {
  return { state: 'pending', purpose, provider: 'authing', phone, ticket: ticketShape(purpose, phone.e164) };
}

/** Runs a promise to completion under fake timers (ky's retry backoff), without real sleeping. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let done = false;
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void outcome.then(() => {
    done = true;
  });
  for (let i = 0; i < 400 && !done; i += 1) {
    await vi.advanceTimersByTimeAsync(25);
    // Real I/O (msw's response streams) runs on setImmediate, which stays real.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  expect(done).toBe(true);
  return outcome;
}

function headerNames(req: Captured): string[] {
  return [...req.headers.keys()];
}

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

  it("authorization: 'bearer' sends Bearer <token>", async () => {
    reply(CH_STORED);
    await adapter({ authorization: 'bearer' }).get({});
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined, `Bearer ${TOKEN}`);
  });

  it("authorization: 'raw' (the default spelled out) sends the bare token", async () => {
    reply(CH_STORED);
    await adapter({ authorization: 'raw' }).get({});
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined, TOKEN);
  });

  it('calls a sync token function once per request (bind makes two)', async () => {
    let n = 0;
    const accessToken = vi.fn(() => `sync-token-${++n}`);
    reply(NO_PHONE, { json: OK });
    await adapter({ accessToken }).bind({ phoneNumber: PHONE });
    expect(accessToken).toHaveBeenCalledTimes(2);
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined, 'sync-token-1');
    expectRequest(requests[1], 'POST', PATHS.sendSms, SEND_BIND, 'sync-token-2');
  });

  it('calls an async token function once per request, also with bearer', async () => {
    let n = 0;
    const accessToken = vi.fn(async () => `async-token-${++n}`);
    reply(CH_STORED, { json: OK }, { json: OK });
    const binding = adapter({ accessToken, authorization: 'bearer' });
    await binding.remove({});
    await binding.remove({ ticket: ticket('remove'), code: CODE });
    expect(accessToken).toHaveBeenCalledTimes(3);
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined, 'Bearer async-token-1');
    expectRequest(requests[1], 'POST', PATHS.sendSms, SEND_UNBIND, 'Bearer async-token-2');
    expectRequest(requests[2], 'POST', PATHS.unbindPhone, { passCode: CODE }, 'Bearer async-token-3');
  });

  it('a token function that throws gives unauthenticated and sends nothing', async () => {
    const accessToken = vi.fn(async (): Promise<string> => {
      throw new Error('refresh failed');
    });
    const error = await rejection(adapter({ accessToken }).bind({ phoneNumber: PHONE }));
    expect(error.code).toBe('unauthenticated');
    expect(error.operation).toBe('bind');
    expect(error.provider).toBe('authing');
    expect(requests).toHaveLength(0);
  });

  it('passes the adapter headers option and per-call headers through', async () => {
    reply(NO_PHONE, { json: OK });
    await adapter({ headers: { 'x-tenant': 'tenant-1' } }).bind(
      { phoneNumber: PHONE },
      { headers: { 'x-request-id': 'req-42' } },
    );
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined);
    expectRequest(requests[1], 'POST', PATHS.sendSms, SEND_BIND);
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
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${PATHS.getProfile}`,
      `POST ${PATHS.sendSms}`,
      `POST ${PATHS.bindPhone}`,
      `POST ${PATHS.sendSms}`,
      `GET ${PATHS.getProfile}`,
      `GET ${PATHS.getProfile}`,
      `POST ${PATHS.sendSms}`,
      `POST ${PATHS.unbindPhone}`,
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
      expect(requests).toHaveLength(2);
      expectRequest(requests[0], 'GET', PATHS.getProfile, undefined);
      expectRequest(requests[1], 'POST', PATHS.sendSms, {
        phoneNumber: '791234567',
        phoneCountryCode: '+41',
        channel: 'CHANNEL_BIND_PHONE',
      });
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
    expect(requests).toHaveLength(1);
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined);
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: PHONE_NUMBER });
  });

  it('the same verified +86 number stored without phoneCountryCode is recognized (1 request)', async () => {
    reply(profile({ phone: CN_NATIONAL, phoneVerified: true }));
    const result = await adapter().bind({ phoneNumber: '+86 188 0000 8888' });
    expect(requests).toHaveLength(1);
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: CN_PHONE_NUMBER });
  });

  it('a profile holding another number → invalid_input, no SMS', async () => {
    reply(profile({ phone: '781112233', phoneCountryCode: '+41', phoneVerified: true }));
    const error = await rejection(adapter().bind({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe(PATHS.getProfile);
    expect(error.code).toBe('invalid_input');
    expect(error.operation).toBe('bind');
    expect(error.provider).toBe('authing');
    expect(error.status).toBeUndefined();
    expect(error.retryable).toBe(false);
    expectNoLeak(error, [OTHER_PHONE, '781112233']);
  });

  it('refuses userId (scope user) before any request', async () => {
    const error = await rejection(adapter().bind({ userId: 'u1', phoneNumber: PHONE }));
    expect(error.code).toBe('invalid_input');
    expect(requests).toHaveLength(0);
  });

  it('refuses verified: true and primary as unsupported before any request', async () => {
    const a = await rejection(adapter().bind({ phoneNumber: PHONE, verified: true }));
    const b = await rejection(adapter().bind({ phoneNumber: PHONE, primary: true }));
    expect(a.code).toBe('unsupported');
    expect(b.code).toBe('unsupported');
    expect(requests).toHaveLength(0);
  });

  it('refuses an unreadable number before any request', async () => {
    const error = await rejection(adapter().bind({ phoneNumber: '079 123 45 67' }));
    expect(error.code).toBe('invalid_phone_number');
    expect(error.operation).toBe('bind');
    expect(requests).toHaveLength(0);
  });
});

describe('authing: verify', () => {
  it('POSTs { phoneNumber, passCode (trimmed), phoneCountryCode } to bind-phone → verified', async () => {
    reply({ json: OK });
    const result = await adapter().verify({ ticket: ticket(), code: `  ${CODE} ` });
    expect(requests).toHaveLength(1);
    expectRequest(requests[0], 'POST', PATHS.bindPhone, {
      phoneNumber: NATIONAL,
      passCode: CODE,
      phoneCountryCode: '+41',
    });
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: PHONE_NUMBER });
  });

  it('sends +86 and the Chinese national number for a +86 ticket', async () => {
    reply({ json: OK });
    const result = await adapter().verify({ ticket: ticket('bind', CN_PHONE), code: CODE });
    expectRequest(requests[0], 'POST', PATHS.bindPhone, {
      phoneNumber: CN_NATIONAL,
      passCode: CODE,
      phoneCountryCode: '+86',
    });
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: CN_PHONE_NUMBER });
  });

  it('accepts the ticket bind() returned, after a JSON round trip', async () => {
    reply(NO_PHONE, { json: OK }, { json: OK });
    const binding = adapter();
    const started = await binding.bind({ phoneNumber: '+86 188 0000 8888' });
    if (started.state !== 'pending') throw new Error('expected pending');
    const roundTripped = JSON.parse(JSON.stringify(started.ticket)) as VerificationTicket;
    const result = await binding.verify({ ticket: roundTripped, code: CODE });
    expect(requests).toHaveLength(3);
    expectRequest(requests[2], 'POST', PATHS.bindPhone, {
      phoneNumber: CN_NATIONAL,
      passCode: CODE,
      phoneCountryCode: '+86',
    });
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: CN_PHONE_NUMBER });
  });

  it.each([
    ['a removal ticket', ticket('remove'), CODE],
    ['a zitadel ticket', { ...ticket(), provider: 'zitadel' as const, userId: 'u1' }, CODE],
    ['a ticket with a userId', { ...ticket(), userId: 'u1' }, CODE],
    ['a ticket with an unknown field', { ...ticket(), extra: 'x' } as VerificationTicket, CODE],
    ['an empty code', ticket(), '   '],
    ['a code with inner white space', ticket(), '739 105'],
  ])('refuses %s with invalid_input before any request', async (_name, t, code) => {
    const error = await rejection(adapter().verify({ ticket: t, code }));
    expect(error.code).toBe('invalid_input');
    expect(error.operation).toBe('verify');
    expect(requests).toHaveLength(0);
  });

  it('refuses a ticket past its expiresAt with code_expired before any request', async () => {
    const expired = { ...ticket(), expiresAt: new Date(Date.now() - 1000).toISOString() };
    const error = await rejection(adapter().verify({ ticket: expired, code: CODE }));
    expect(error.code).toBe('code_expired');
    expect(requests).toHaveLength(0);
  });
});

describe('authing: resend (one SMS per minute per number)', () => {
  const T0 = new Date('2026-03-01T08:00:00.000Z');

  afterEach(() => {
    vi.useRealTimers();
  });

  it('within 60 s of issuedAt → rate_limited with the remaining ms and zero requests', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    reply(NO_PHONE, { json: OK });
    const binding = adapter();
    const started = await binding.bind({ phoneNumber: PHONE });
    if (started.state !== 'pending') throw new Error('expected pending');
    expect(started.ticket.issuedAt).toBe(T0.toISOString());
    expect(requests).toHaveLength(2);

    vi.setSystemTime(T0.getTime() + 15_000);
    const early = await rejection(binding.resend({ ticket: started.ticket }));
    expect(early.code).toBe('rate_limited');
    expect(early.retryAfterMs).toBe(45_000);
    expect(early.retryable).toBe(true);
    expect(early.operation).toBe('resend');
    expect(early.provider).toBe('authing');
    expect(early.status).toBeUndefined();
    expectNoLeak(early);

    vi.setSystemTime(T0.getTime() + 59_999);
    const late = await rejection(binding.resend({ ticket: started.ticket }));
    expect(late.code).toBe('rate_limited');
    expect(late.retryAfterMs).toBe(1);
    expect(requests).toHaveLength(2);
  });

  it('right after issuing (0 s) → retryAfterMs 60000, no request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const error = await rejection(adapter().resend({ ticket: ticket('bind', PHONE, T0.toISOString()) }));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(60_000);
    expect(requests).toHaveLength(0);
  });

  it('after 60 s → POST send-sms with CHANNEL_BIND_PHONE and a new ticket', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0.getTime() + 60_000);
    reply({ json: OK });
    const result = await adapter().resend({ ticket: ticket('bind', PHONE, T0.toISOString()) });
    expect(requests).toHaveLength(1);
    expectRequest(requests[0], 'POST', PATHS.sendSms, SEND_BIND);
    expect(result).toEqual(pending('bind', PHONE_NUMBER));
    expect(result.ticket.issuedAt).toBe(new Date(T0.getTime() + 60_000).toISOString());
  });

  it("a 'remove' ticket is resent on CHANNEL_UNBIND_PHONE and stays a removal", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0.getTime() + 90_000);
    reply({ json: OK });
    const result = await adapter().resend({ ticket: ticket('remove', PHONE, T0.toISOString()) });
    expect(requests).toHaveLength(1);
    expectRequest(requests[0], 'POST', PATHS.sendSms, SEND_UNBIND);
    expect(result).toEqual(pending('remove', PHONE_NUMBER));
  });

  it('a +86 ticket is resent with +86 and the Chinese national number', async () => {
    reply({ json: OK });
    await adapter().resend({ ticket: ticket('bind', CN_PHONE) });
    expectRequest(requests[0], 'POST', PATHS.sendSms, {
      phoneNumber: CN_NATIONAL,
      phoneCountryCode: '+86',
      channel: 'CHANNEL_BIND_PHONE',
    });
  });

  it('refuses another provider’s ticket before any request', async () => {
    const error = await rejection(adapter().resend({ ticket: { ...ticket(), provider: 'zitadel-self' } }));
    expect(error.code).toBe('invalid_input');
    expect(requests).toHaveLength(0);
  });
});

describe('authing: get', () => {
  it('GETs /api/v3/get-profile (no query, no body) and reads phone + phoneCountryCode + phoneVerified', async () => {
    reply(CH_STORED);
    const result = await adapter().get({});
    expect(requests).toHaveLength(1);
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined);
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: PHONE_NUMBER });
  });

  it('get() without an input object works too', async () => {
    reply(CH_STORED);
    const result = await adapter().get(undefined as unknown as Record<string, never>);
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: PHONE_NUMBER });
  });

  it.each([
    ['absent', { phone: CN_NATIONAL, phoneVerified: true }],
    ['null', { phone: CN_NATIONAL, phoneCountryCode: null, phoneVerified: true }],
    ['empty', { phone: CN_NATIONAL, phoneCountryCode: '', phoneVerified: true }],
  ])('phoneCountryCode %s → read as +86', async (_name, data) => {
    reply(profile(data));
    expect(await adapter().get({})).toEqual({
      state: 'verified',
      provider: 'authing',
      phone: CN_PHONE_NUMBER,
    });
  });

  it('phoneCountryCode +86 with the national number', async () => {
    reply(profile({ phone: CN_NATIONAL, phoneCountryCode: '+86', phoneVerified: true }));
    expect(await adapter().get({})).toEqual({
      state: 'verified',
      provider: 'authing',
      phone: CN_PHONE_NUMBER,
    });
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
    expect(await adapter().get({})).toEqual({
      state: 'unverified',
      provider: 'authing',
      phone: PHONE_NUMBER,
    });
  });

  it('refuses userId before any request', async () => {
    const error = await rejection(adapter().get({ userId: 'u1' }));
    expect(error.code).toBe('invalid_input');
    expect(error.operation).toBe('get');
    expect(requests).toHaveLength(0);
  });
});

describe('authing: remove', () => {
  it('step 1: get-profile, then send-sms CHANNEL_UNBIND_PHONE to the current number → pending removal', async () => {
    reply(CH_STORED, { json: OK });
    const result = await adapter().remove({});
    expect(requests).toHaveLength(2);
    expectRequest(requests[0], 'GET', PATHS.getProfile, undefined);
    expectRequest(requests[1], 'POST', PATHS.sendSms, SEND_UNBIND);
    expect(result).toEqual(pending('remove', PHONE_NUMBER));
  });

  it('step 1 for a +86 number stored without phoneCountryCode sends +86', async () => {
    reply(profile({ phone: CN_NATIONAL, phoneVerified: true }), { json: OK });
    const result = await adapter().remove({});
    expectRequest(requests[1], 'POST', PATHS.sendSms, {
      phoneNumber: CN_NATIONAL,
      phoneCountryCode: '+86',
      channel: 'CHANNEL_UNBIND_PHONE',
    });
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
    expect(error.code).toBe('not_found');
    expect(error.operation).toBe('remove');
    expect(error.provider).toBe('authing');
    expect(error.status).toBeUndefined();
  });

  it('step 1 naming another number → not_found, no SMS', async () => {
    reply(CH_STORED);
    const error = await rejection(adapter().remove({ phoneNumber: OTHER_PHONE }));
    expect(requests).toHaveLength(1);
    expect(error.code).toBe('not_found');
    expect(error.operation).toBe('remove');
    expectNoLeak(error, [OTHER_PHONE, '781112233']);
  });

  it('step 2: remove({ ticket, code }) POSTs exactly { passCode } (trimmed) to unbind-phone → removed', async () => {
    reply({ json: OK });
    const result = await adapter().remove({ ticket: ticket('remove'), code: ` ${CODE}  ` });
    expect(requests).toHaveLength(1);
    expectRequest(requests[0], 'POST', PATHS.unbindPhone, { passCode: CODE });
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
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${PATHS.getProfile}`,
      `POST ${PATHS.sendSms}`,
      `POST ${PATHS.bindPhone}`,
      `GET ${PATHS.getProfile}`,
      `POST ${PATHS.sendSms}`,
      `POST ${PATHS.unbindPhone}`,
    ]);
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
    const error = await rejection(adapter().remove(input));
    expect(error.code).toBe('invalid_input');
    expect(error.operation).toBe('remove');
    expect(requests).toHaveLength(0);
  });
});

describe('bad 2xx answers are invalid_response, never a TypeError', () => {
  it('get-profile without data', async () => {
    const body = { statusCode: 200, message: 'success', requestId: 'r-1' };
    reply({ json: body });
    const error = await rejection(adapter().get({}));
    expect(error.code).toBe('invalid_response');
    expect(error.operation).toBe('get');
    expect(error.provider).toBe('authing');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual(body);
    expectNoLeak(error);
  });

  it('get-profile with data.phone: 42', async () => {
    const body = { statusCode: 200, message: 'success', data: { phone: 42, phoneVerified: true } };
    reply({ json: body });
    const error = await rejection(adapter().get({}));
    expect(error.code).toBe('invalid_response');
    expect(error.details).toEqual(body);
  });

  it('get-profile with phoneVerified: "yes" does not leak the stored number', async () => {
    reply(profile({ phone: CN_NATIONAL, phoneCountryCode: '+86', phoneVerified: 'yes' }));
    const error = await rejection(adapter().get({}));
    expect(error.code).toBe('invalid_response');
    expectNoLeak(error);
  });

  it('get-profile with a stored phone that is not a possible number', async () => {
    reply(profile({ phone: '12', phoneCountryCode: '+86', phoneVerified: true }));
    const error = await rejection(adapter().get({}));
    expect(error.code).toBe('invalid_response');
    expect(error.operation).toBe('get');
  });

  it('get-profile answered 200 with non-JSON text', async () => {
    reply({ text: '<html>hello</html>', headers: { 'content-type': 'text/html' } });
    const error = await rejection(adapter().get({}));
    expect(error.code).toBe('invalid_response');
    expect(error.details).toBe('<html>hello</html>');
    expectNoLeak(error);
  });

  it('bind: send-sms answered 200 with non-JSON text (after get-profile)', async () => {
    reply(NO_PHONE, { text: 'OK' });
    const error = await rejection(adapter().bind({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(2);
    expect(error.code).toBe('invalid_response');
    expect(error.operation).toBe('bind');
  });

  it('bind: send-sms answered 200 with {} (no statusCode)', async () => {
    reply(NO_PHONE, { json: {} });
    const error = await rejection(adapter().bind({ phoneNumber: PHONE }));
    expect(error.code).toBe('invalid_response');
    expect(error.operation).toBe('bind');
  });

  it('verify: bind-phone answered 200 with an empty body', async () => {
    reply({ text: '' });
    const error = await rejection(adapter().verify({ ticket: ticket(), code: CODE }));
    expect(requests).toHaveLength(1);
    expect(error.code).toBe('invalid_response');
    expect(error.operation).toBe('verify');
    expectNoLeak(error);
  });

  it('remove step 2: unbind-phone answered 200 with an array', async () => {
    reply({ json: [] });
    const error = await rejection(adapter().remove({ ticket: ticket('remove'), code: CODE }));
    expect(error.code).toBe('invalid_response');
    expect(error.operation).toBe('remove');
  });
});

describe('retries: never for SMS-sending or code-checking calls, yes for get-profile', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const unavailable = { status: 503, json: failure(503, undefined, 'service unavailable') };

  it('bind: send-sms answered 503 is sent exactly once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(NO_PHONE, unavailable, unavailable, unavailable);
    const { error } = await settle(adapter().bind({ phoneNumber: PHONE }));
    expect(requests.map((r) => r.path)).toEqual([PATHS.getProfile, PATHS.sendSms]);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, retryable: true, operation: 'bind' });
  });

  it('verify: bind-phone answered 503 is sent exactly once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(unavailable, unavailable, unavailable);
    const { error } = await settle(adapter().verify({ ticket: ticket(), code: CODE }));
    expect(requests.map((r) => r.path)).toEqual([PATHS.bindPhone]);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, operation: 'verify' });
  });

  it('resend: send-sms answered 503 is sent exactly once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(unavailable, unavailable, unavailable);
    const { error } = await settle(adapter().resend({ ticket: ticket() }));
    expect(requests.map((r) => r.path)).toEqual([PATHS.sendSms]);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, operation: 'resend' });
  });

  it('remove step 1: send-sms answered 503 is sent exactly once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(CH_STORED, unavailable, unavailable, unavailable);
    const { error } = await settle(adapter().remove({}));
    expect(requests.map((r) => r.path)).toEqual([PATHS.getProfile, PATHS.sendSms]);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, operation: 'remove' });
  });

  it('remove step 2: unbind-phone answered 503 is sent exactly once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(unavailable, unavailable, unavailable);
    const { error } = await settle(adapter().remove({ ticket: ticket('remove'), code: CODE }));
    expect(requests.map((r) => r.path)).toEqual([PATHS.unbindPhone]);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, operation: 'remove' });
  });

  it('bind: send-sms answered 429 (Retry-After: 1) is sent exactly once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const limited = { status: 429, json: failure(429), headers: { 'Retry-After': '1' } };
    reply(NO_PHONE, limited, limited, limited);
    const { error } = await settle(adapter().bind({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(2);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000, retryable: true });
  });

  it('get: get-profile answered 503, 503, 200 is sent 3 times (token resolved each time)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let n = 0;
    const accessToken = vi.fn(() => `t-${++n}`);
    reply(unavailable, unavailable, CH_STORED);
    const { value, error } = await settle(adapter({ accessToken }).get({}));
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(3);
    for (const [i, req] of requests.entries())
      expectRequest(req, 'GET', PATHS.getProfile, undefined, `t-${i + 1}`);
    expect(value).toEqual({ state: 'verified', provider: 'authing', phone: PHONE_NUMBER });
  });

  it('bind: get-profile answered 503, 503, 200 is retried, then send-sms is sent once (4 requests)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(unavailable, unavailable, NO_PHONE, { json: OK });
    const { value, error } = await settle(adapter().bind({ phoneNumber: PHONE }));
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.path)).toEqual([
      PATHS.getProfile,
      PATHS.getProfile,
      PATHS.getProfile,
      PATHS.sendSms,
    ]);
    expectRequest(requests[3], 'POST', PATHS.sendSms, SEND_BIND);
    expect(value).toEqual(pending('bind', PHONE_NUMBER));
  });

  it('remove step 1: get-profile answered 503, 503, 200 is retried, then send-sms once (4 requests)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(unavailable, unavailable, CH_STORED, { json: OK });
    const { value, error } = await settle(adapter().remove({}));
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.path)).toEqual([
      PATHS.getProfile,
      PATHS.getProfile,
      PATHS.getProfile,
      PATHS.sendSms,
    ]);
    expectRequest(requests[3], 'POST', PATHS.sendSms, SEND_UNBIND);
    expect(value).toEqual(pending('remove', PHONE_NUMBER));
  });

  it('get gives up after the default 2 retries (3 requests) with a retryable provider_error', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(unavailable, unavailable, unavailable, unavailable);
    const { error } = await settle(adapter().get({}));
    expect(requests).toHaveLength(3);
    expect(error).toMatchObject({
      code: 'provider_error',
      status: 503,
      retryable: true,
      operation: 'get',
      provider: 'authing',
      requestId: 'req-fail-7e3a',
    });
  });

  it('retry: 0 sends get-profile once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    reply(unavailable, CH_STORED);
    const { error } = await settle(adapter({ retry: 0 }).get({}));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'provider_error', status: 503 });
  });
});
