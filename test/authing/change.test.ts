/**
 * Changing a number on Authing, at the request level: bind() for a user who holds another number
 * sends the code(s) and answers a pending change (`replaces`, `needsCurrentCode`), verify() calls
 * verify-update-phone-request, then update-phone. Both pool modes (`verifyCurrentPhone`), the SMS
 * channel choice, and the failures of each of the two calls.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authing } from '../../adapters/authing/index.js';
import type { PendingVerification, PhoneBinding, VerificationTicket } from '../../src/index.js';
import { normalizedPhone } from '../support/phones.js';
import { expectRefusedOf, expectRequestsOf } from '../support/requests.js';
import { useFakeRetryTimers } from '../support/retries.js';
import { newTicket } from '../support/tickets.js';
import {
  APP_ID,
  BASE,
  CN_NATIONAL,
  CN_PHONE,
  CN_PHONE_NUMBER,
  CODE,
  expectNoLeak,
  expectRequest,
  failure,
  NATIONAL,
  OK,
  OTHER_PHONE,
  PATHS,
  PHONE,
  PHONE_NUMBER,
  profile,
  rejection,
  settle,
  TOKEN,
  useMockAuthing,
} from './helpers.js';

const OTHER_NATIONAL = '781112233';
const OTHER_PHONE_NUMBER = normalizedPhone(OTHER_PHONE, '41', OTHER_NATIONAL, 'CH');
/** The code sent to the number being replaced. */
const CURRENT_CODE = '284613';
/** The token verify-update-phone-request answers (a secret: never in an error). */
const UPDATE_TOKEN = 'upt_9f8e7d6c5b4a3928';

function adapter(options: Partial<Parameters<typeof authing>[0]> = {}): PhoneBinding {
  return authing({ baseUrl: BASE, accessToken: TOKEN, appId: APP_ID, retry: 0, ...options });
}

/** get-profile of a user holding the other Swiss number, verified. */
const HOLDS_OTHER = profile({ phone: OTHER_NATIONAL, phoneCountryCode: '+41', phoneVerified: true });
/** get-profile of a user holding the +86 number, stored without a country code. */
const HOLDS_CN = profile({ phone: CN_NATIONAL, phoneVerified: true });

const SEND_NEW = { phoneNumber: NATIONAL, phoneCountryCode: '+41', channel: 'CHANNEL_BIND_PHONE' };
const SEND_CURRENT = {
  phoneNumber: OTHER_NATIONAL,
  phoneCountryCode: '+41',
  channel: 'CHANNEL_UNBIND_PHONE',
};
const SEND_CURRENT_CN = {
  phoneNumber: CN_NATIONAL,
  phoneCountryCode: '+86',
  channel: 'CHANNEL_UNBIND_PHONE',
};

/** The ticket of a change from `current` to {@link PHONE}, issued long enough ago to resend. */
function changeTicket(
  needsCurrentCode: 0 | 1,
  current = OTHER_PHONE,
  issuedAt = new Date(Date.now() - 120_000).toISOString(),
): VerificationTicket {
  return newTicket('authing', PHONE, { issuedAt, data: { change: 1, needsCurrentCode, current } });
}

const REQUEST_BODY = {
  verifyMethod: 'PHONE_PASSCODE',
  phonePassCodePayload: { newPhoneNumber: NATIONAL, newPhonePassCode: CODE, newPhoneCountryCode: '+41' },
};
const REQUEST_BODY_WITH_CURRENT = {
  verifyMethod: 'PHONE_PASSCODE',
  phonePassCodePayload: {
    ...REQUEST_BODY.phonePassCodePayload,
    oldPhoneNumber: OTHER_NATIONAL,
    oldPhonePassCode: CURRENT_CODE,
    oldPhoneCountryCode: '+41',
  },
};
/** verify-update-phone-request's success. */
const TOKEN_ANSWER = {
  json: { ...OK, data: { updatePhoneToken: UPDATE_TOKEN, tokenExpiresIn: 300 } },
};
/** update-phone's success (an IsSuccessRespDto). */
const SWAPPED = { json: { ...OK, data: { success: true } } };

const { requests, reply } = useMockAuthing();
const expectRequests = expectRequestsOf(requests, expectRequest);
const expectRefused = expectRefusedOf(requests);

function pendingOf(result: unknown): PendingVerification {
  expect(result).toMatchObject({ state: 'pending' });
  return result as PendingVerification;
}

describe('authing change: bind() for a user who holds another number', () => {
  it('pool without old-phone check: get-profile, one send-sms to the NEW number on CHANNEL_BIND_PHONE', async () => {
    reply(HOLDS_OTHER, { json: OK });
    const result = pendingOf(await adapter().bind({ phoneNumber: PHONE }));
    expectRequests(['GET', PATHS.getProfile, undefined], ['POST', PATHS.sendSms, SEND_NEW]);
    expect(result).toEqual({
      state: 'pending',
      purpose: 'bind',
      provider: 'authing',
      phone: PHONE_NUMBER,
      replaces: OTHER_PHONE_NUMBER,
      ticket: {
        provider: 'authing',
        purpose: 'bind',
        phone: PHONE,
        issuedAt: expect.any(String),
        data: { change: 1, needsCurrentCode: 0, current: OTHER_PHONE },
      },
    });
    expect(result).not.toHaveProperty('needsCurrentCode');
  });

  it('verifyCurrentPhone: the new number on CHANNEL_BIND_PHONE, then the current one on CHANNEL_UNBIND_PHONE', async () => {
    reply(HOLDS_OTHER, { json: OK }, { json: OK });
    const result = pendingOf(await adapter({ verifyCurrentPhone: true }).bind({ phoneNumber: PHONE }));
    expectRequests(
      ['GET', PATHS.getProfile, undefined],
      ['POST', PATHS.sendSms, SEND_NEW],
      ['POST', PATHS.sendSms, SEND_CURRENT],
    );
    expect(result).toMatchObject({
      phone: PHONE_NUMBER,
      replaces: OTHER_PHONE_NUMBER,
      needsCurrentCode: true,
      ticket: { data: { change: 1, needsCurrentCode: 1, current: OTHER_PHONE } },
    });
  });

  it('a current +86 number stored without phoneCountryCode is sent its code with +86', async () => {
    reply(HOLDS_CN, { json: OK }, { json: OK });
    const result = pendingOf(await adapter({ verifyCurrentPhone: true }).bind({ phoneNumber: PHONE }));
    expectRequest(requests[2], 'POST', PATHS.sendSms, SEND_CURRENT_CN);
    expect(result.replaces).toEqual(CN_PHONE_NUMBER);
    expect(result.ticket.data).toEqual({ change: 1, needsCurrentCode: 1, current: CN_PHONE });
  });

  it('verifyCurrentPhone: false spelled out sends one SMS', async () => {
    reply(HOLDS_OTHER, { json: OK });
    await adapter({ verifyCurrentPhone: false }).bind({ phoneNumber: PHONE });
    expect(requests).toHaveLength(2);
  });

  it('the number the user already holds, verified, is answered bound: no SMS in either pool mode', async () => {
    reply(HOLDS_OTHER);
    const result = await adapter({ verifyCurrentPhone: true }).bind({ phoneNumber: OTHER_PHONE });
    expectRequests(['GET', PATHS.getProfile, undefined]);
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: OTHER_PHONE_NUMBER });
  });

  it('decision: the number the user holds UNverified → unsupported before any SMS (Authing cannot verify it in place)', async () => {
    reply(profile({ phone: NATIONAL, phoneCountryCode: '+41', phoneVerified: false }));
    const error = await rejection(adapter().bind({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'unsupported', operation: 'bind', provider: 'authing' });
    expect(error.message).toMatch(/^Authing /);
    expectNoLeak(error);
  });

  it('the new number refused by send-sms: one SMS request, nothing sent to the current number', async () => {
    reply(HOLDS_OTHER, { json: failure(429) });
    const error = await rejection(adapter({ verifyCurrentPhone: true }).bind({ phoneNumber: PHONE }));
    expect(requests.map((r) => r.path)).toEqual([PATHS.getProfile, PATHS.sendSms]);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 60_000 });
  });

  it('the current number refused by send-sms after the new one got its code: the error says so', async () => {
    reply(HOLDS_OTHER, { json: OK }, { json: failure(429, undefined, 'too fast', 'req-429') });
    const error = await rejection(adapter({ verifyCurrentPhone: true }).bind({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(3);
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 60_000,
      requestId: 'req-429',
      operation: 'bind',
      provider: 'authing',
    });
    expect(error.message).toMatch(/code to the new number was already sent; nothing changed/);
    expectNoLeak(error, [OTHER_PHONE, OTHER_NATIONAL]);
  });
});

describe('authing change: verify()', () => {
  it('pool without old-phone check: verify-update-phone-request (new number only), then update-phone → verified', async () => {
    reply(TOKEN_ANSWER, SWAPPED);
    const result = await adapter().verify({ ticket: changeTicket(0), code: ` ${CODE} ` });
    expectRequests(
      ['POST', PATHS.verifyUpdatePhoneRequest, REQUEST_BODY],
      ['POST', PATHS.updatePhone, { updatePhoneToken: UPDATE_TOKEN }],
    );
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: PHONE_NUMBER });
  });

  it('verifyCurrentPhone: the payload carries the current number, its country code and currentCode', async () => {
    reply(TOKEN_ANSWER, SWAPPED);
    const result = await adapter({ verifyCurrentPhone: true }).verify({
      ticket: changeTicket(1),
      code: CODE,
      currentCode: ` ${CURRENT_CODE}`,
    });
    expectRequests(
      ['POST', PATHS.verifyUpdatePhoneRequest, REQUEST_BODY_WITH_CURRENT],
      ['POST', PATHS.updatePhone, { updatePhoneToken: UPDATE_TOKEN }],
    );
    expect(result).toEqual({ state: 'verified', provider: 'authing', phone: PHONE_NUMBER });
  });

  it('the ticket decides, not the option: a needsCurrentCode ticket on an adapter without verifyCurrentPhone', async () => {
    reply(TOKEN_ANSWER, SWAPPED);
    await adapter().verify({ ticket: changeTicket(1, CN_PHONE), code: CODE, currentCode: CURRENT_CODE });
    expect(requests[0]!.json).toEqual({
      verifyMethod: 'PHONE_PASSCODE',
      phonePassCodePayload: {
        ...REQUEST_BODY.phonePassCodePayload,
        oldPhoneNumber: CN_NATIONAL,
        oldPhonePassCode: CURRENT_CODE,
        oldPhoneCountryCode: '+86',
      },
    });
  });

  it('the whole change: bind, verify with the ticket through JSON', async () => {
    reply(HOLDS_OTHER, { json: OK }, { json: OK }, TOKEN_ANSWER, SWAPPED);
    const binding = adapter({ verifyCurrentPhone: true });
    const started = pendingOf(await binding.bind({ phoneNumber: PHONE }));
    const ticket = JSON.parse(JSON.stringify(started.ticket)) as VerificationTicket;
    const result = await binding.verify({ ticket, code: CODE, currentCode: CURRENT_CODE });
    expect(requests.map((r) => r.path)).toEqual([
      PATHS.getProfile,
      PATHS.sendSms,
      PATHS.sendSms,
      PATHS.verifyUpdatePhoneRequest,
      PATHS.updatePhone,
    ]);
    expectRequest(requests[3], 'POST', PATHS.verifyUpdatePhoneRequest, REQUEST_BODY_WITH_CURRENT);
    expect(result).toMatchObject({ state: 'verified', phone: PHONE_NUMBER });
  });

  it.each([
    ['a change that needs currentCode, without it', { ticket: changeTicket(1), code: CODE }],
    [
      'decision: currentCode on a change that sent none',
      { ticket: changeTicket(0), code: CODE, currentCode: CURRENT_CODE },
    ],
    [
      'decision: currentCode on a first bind',
      { ticket: newTicket('authing', PHONE), code: CODE, currentCode: CURRENT_CODE },
    ],
    ['an empty currentCode', { ticket: changeTicket(1), code: CODE, currentCode: '  ' }],
    [
      'ticket data whose current number is not E.164',
      {
        ticket: { ...changeTicket(0), data: { change: 1, needsCurrentCode: 0, current: '0781112233' } },
        code: CODE,
      },
    ],
    [
      'ticket data with needsCurrentCode 2',
      {
        ticket: { ...changeTicket(0), data: { change: 1, needsCurrentCode: 2, current: OTHER_PHONE } },
        code: CODE,
      },
    ],
    [
      'ticket data with an unknown field',
      {
        ticket: { ...changeTicket(0), data: { change: 1, needsCurrentCode: 0, current: OTHER_PHONE, x: 1 } },
        code: CODE,
      },
    ],
    ['ticket data that is not a change', { ticket: { ...changeTicket(0), data: {} }, code: CODE }],
  ])('refuses %s with invalid_input before any request', async (_name, input) => {
    const error = await expectRefused(adapter({ verifyCurrentPhone: true }).verify(input), {
      code: 'invalid_input',
      operation: 'verify',
      provider: 'authing',
    });
    expectNoLeak(error, [OTHER_PHONE, CURRENT_CODE]);
  });

  it('refuses a removal ticket carrying change data (remove and resend) before any request', async () => {
    const ticket = { ...changeTicket(0), purpose: 'remove' as const };
    await expectRefused(adapter().remove({ ticket, code: CODE }), 'invalid_input');
    await expectRefused(adapter().resend({ ticket }), 'invalid_input');
  });
});

describe('authing change: failures of verify-update-phone-request (nothing changed, update-phone not called)', () => {
  it.each([
    ['a wrong code (2001) → invalid_code', failure(400, 2001), 'invalid_code'],
    ['an expired code (2300) → code_expired', failure(400, 2300), 'code_expired'],
    ['the new number taken (409 / 2035) → phone_in_use', failure(409, 2035), 'phone_in_use'],
    ['the new number equals the old (2230) → provider_error', failure(400, 2230), 'provider_error'],
    ['the old number mismatching (2038) → provider_error', failure(400, 2038), 'provider_error'],
    ['a not-logged-in user (401 / 2020) → unauthenticated', failure(401, 2020), 'unauthenticated'],
  ])('%s', async (_name, body, code) => {
    reply({ json: body });
    const error = await rejection(
      adapter().verify({ ticket: changeTicket(1), code: CODE, currentCode: CURRENT_CODE }),
    );
    expect(requests.map((r) => r.path)).toEqual([PATHS.verifyUpdatePhoneRequest]);
    expect(error).toMatchObject({
      code,
      providerCode: String(body.apiCode),
      operation: 'verify',
      provider: 'authing',
      retryable: false,
    });
    expect(error.message).toMatch(/Authing/);
    expect(error.status).toBeUndefined();
    expectNoLeak(error, [OTHER_PHONE, CURRENT_CODE]);
  });

  it.each([
    ['without data', { ...OK }],
    ['with an empty updatePhoneToken', { ...OK, data: { updatePhoneToken: '', tokenExpiresIn: 300 } }],
    ['with updatePhoneToken: 42', { ...OK, data: { updatePhoneToken: 42 } }],
  ])('an answer %s is invalid_response; update-phone is not called', async (_name, body) => {
    reply({ json: body });
    const error = await rejection(adapter().verify({ ticket: changeTicket(0), code: CODE }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'invalid_response', operation: 'verify' });
  });

  it('tokenExpiresIn is not needed', async () => {
    reply({ json: { ...OK, data: { updatePhoneToken: UPDATE_TOKEN } } }, SWAPPED);
    expect(await adapter().verify({ ticket: changeTicket(0), code: CODE })).toMatchObject({
      state: 'verified',
    });
  });

  it('the codes echoed in its failure are masked', async () => {
    const body = { ...failure(400, 2001), message: `codes ${CODE} / ${CURRENT_CODE} for ${OTHER_NATIONAL}` };
    reply({ json: body });
    const error = await rejection(
      adapter().verify({ ticket: changeTicket(1), code: CODE, currentCode: CURRENT_CODE }),
    );
    expect(JSON.stringify(error.details)).not.toContain(CURRENT_CODE);
    expectNoLeak(error, [OTHER_PHONE, OTHER_NATIONAL, CURRENT_CODE]);
  });
});

describe('authing change: failures of update-phone after the codes were accepted', () => {
  // What it leaves behind: the codes are spent, the token is lost (never handed out), the current
  // number stays bound and verified; the message says to start again with bind().
  const LEFT_BEHIND =
    /codes were accepted but the number was not changed: the current number is still bound; start again with bind\(\)/;

  it.each([
    ['an expired token (2300) → code_expired', { json: failure(400, 2300) }, { code: 'code_expired' }],
    [
      'the number taken meanwhile (409 / 1320004) → phone_in_use',
      { json: failure(409, 1320004) },
      { code: 'phone_in_use', providerCode: '1320004' },
    ],
    ['an unknown failure (400) → provider_error', { json: failure(400) }, { code: 'provider_error' }],
    [
      'success: false → provider_error',
      { json: { ...OK, data: { success: false } } },
      { code: 'provider_error' },
    ],
    ['an answer without data → invalid_response', { json: { ...OK } }, { code: 'invalid_response' }],
  ])('%s, and the message says what it left behind', async (_name, answer, expected) => {
    reply(TOKEN_ANSWER, answer);
    const error = await rejection(adapter().verify({ ticket: changeTicket(0), code: CODE }));
    expect(requests.map((r) => r.path)).toEqual([PATHS.verifyUpdatePhoneRequest, PATHS.updatePhone]);
    expect(error).toMatchObject({ ...expected, operation: 'verify', provider: 'authing', retryable: false });
    // The core's invalid_response text says "The backend's answer …" (reported to the lead).
    if (error.code !== 'invalid_response') expect(error.message).toMatch(/Authing/);
    expect(error.message).toMatch(LEFT_BEHIND);
    expectNoLeak(error, [UPDATE_TOKEN]);
  });

  it('the token echoed in its failure is masked', async () => {
    reply(TOKEN_ANSWER, { json: { ...failure(400, 2300), message: `token ${UPDATE_TOKEN} expired` } });
    const error = await rejection(adapter().verify({ ticket: changeTicket(0), code: CODE }));
    expect(JSON.stringify(error.details)).toContain('token ••• expired');
    expectNoLeak(error, [UPDATE_TOKEN]);
  });
});

describe('authing change: never repeated', () => {
  useFakeRetryTimers();
  const unavailable = { status: 503, json: failure(503, undefined, 'service unavailable') };

  it('verify-update-phone-request answered 503 is sent once, not retryable (the codes may have been checked)', async () => {
    reply(unavailable, unavailable);
    const { error } = await settle(adapter({ retry: 2 }).verify({ ticket: changeTicket(0), code: CODE }));
    expect(requests.map((r) => r.path)).toEqual([PATHS.verifyUpdatePhoneRequest]);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, retryable: false });
    expect((error as Error).message).toMatch(/may have taken effect/);
  });

  it('update-phone answered 503 is sent once, not retryable, and says what it may have left behind', async () => {
    reply(TOKEN_ANSWER, unavailable, unavailable);
    const { error } = await settle(adapter({ retry: 2 }).verify({ ticket: changeTicket(0), code: CODE }));
    expect(requests.map((r) => r.path)).toEqual([PATHS.verifyUpdatePhoneRequest, PATHS.updatePhone]);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, retryable: false });
    expect((error as Error).message).toMatch(/may have taken effect.*start again with bind\(\)/);
  });

  it('the second send-sms of a change answered 503 is sent once', async () => {
    reply(HOLDS_OTHER, { json: OK }, unavailable, unavailable);
    const { error } = await settle(
      adapter({ retry: 2, verifyCurrentPhone: true }).bind({ phoneNumber: PHONE }),
    );
    expect(requests.map((r) => r.path)).toEqual([PATHS.getProfile, PATHS.sendSms, PATHS.sendSms]);
    expect(error).toMatchObject({ code: 'provider_error', retryable: false });
    expect((error as Error).message).toMatch(/sent an SMS.*code to the new number was already sent/);
  });
});

describe('authing change: resend()', () => {
  const T0 = new Date('2026-03-01T08:00:00.000Z');
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('inside the minute → rate_limited, no request (for both numbers)', async () => {
    await expectRefused(adapter().resend({ ticket: changeTicket(1, OTHER_PHONE, T0.toISOString()) }), {
      code: 'rate_limited',
      retryAfterMs: 60_000,
    });
  });

  it('after the minute, a change that needs the current code resends both, on the same channels', async () => {
    vi.setSystemTime(T0.getTime() + 61_000);
    reply({ json: OK }, { json: OK });
    const result = await adapter().resend({ ticket: changeTicket(1, OTHER_PHONE, T0.toISOString()) });
    expectRequests(['POST', PATHS.sendSms, SEND_NEW], ['POST', PATHS.sendSms, SEND_CURRENT]);
    expect(result).toMatchObject({
      state: 'pending',
      phone: PHONE_NUMBER,
      replaces: OTHER_PHONE_NUMBER,
      needsCurrentCode: true,
      ticket: { issuedAt: new Date(T0.getTime() + 61_000).toISOString(), data: changeTicket(1).data },
    });
  });

  it('after the minute, a change without the current code resends only the new number’s', async () => {
    vi.setSystemTime(T0.getTime() + 61_000);
    reply({ json: OK });
    const result = await adapter({ verifyCurrentPhone: true }).resend({
      ticket: changeTicket(0, OTHER_PHONE, T0.toISOString()),
    });
    expectRequests(['POST', PATHS.sendSms, SEND_NEW]);
    expect(result).toMatchObject({ replaces: OTHER_PHONE_NUMBER, ticket: { data: changeTicket(0).data } });
    expect(result).not.toHaveProperty('needsCurrentCode');
  });
});
