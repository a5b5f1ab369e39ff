/**
 * Both Zitadel adapters at the request level for one behaviour on every backend: changing a
 * number (`replaces`), the SMS second factor (OTP SMS), and the answers the official documents
 * allow (`details` optional, `verificationCode` nullable).
 */
import { describe, expect, it } from 'vitest';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import type { PhoneBinding, VerificationTicket } from '../../src/index.js';
import { normalizedPhone } from '../support/phones.js';
import { expectRefusedOf, expectRequestsOf } from '../support/requests.js';
import { useFakeRetryTimers } from '../support/retries.js';
import { newTicket } from '../support/tickets.js';
import {
  BASE,
  CODE,
  DETAILS,
  expectNoLeak,
  expectRequest,
  OTHER_PHONE,
  PHONE,
  PHONE_NUMBER,
  type Reply,
  rejection,
  TOKEN,
  USER_ID,
  USER_ID_ENCODED,
  useMockZitadel,
  userWithPhone,
  zitadelError,
} from './helpers.js';

const V2_USER = `/v2/users/${USER_ID_ENCODED}`;
const V2_PHONE = `${V2_USER}/phone`;
const V2_OTP_SMS = `${V2_USER}/otp_sms`;
const V1_PHONE = '/auth/v1/users/me/phone';
const V1_OTP_SMS = '/auth/v1/users/me/auth_factors/otp_sms';

const OTHER_NUMBER = normalizedPhone(OTHER_PHONE, '41', OTHER_PHONE.slice(3), 'CH');

const { requests, reply } = useMockZitadel();
const expectRequests = expectRequestsOf(requests, expectRequest);
const expectRefused = expectRefusedOf(requests);

function v2(options: Partial<Parameters<typeof zitadel>[0]> = {}): PhoneBinding {
  return zitadel({ baseUrl: BASE, token: TOKEN, ...options });
}

function v1(): PhoneBinding {
  return zitadelSelf({ baseUrl: BASE, token: TOKEN });
}

function v2Ticket(fields: Partial<VerificationTicket> = {}): VerificationTicket {
  return newTicket('zitadel', PHONE, { userId: USER_ID, ...fields });
}

function v1Ticket(fields: Partial<VerificationTicket> = {}): VerificationTicket {
  return newTicket('zitadel-self', PHONE, fields);
}

const WANTS_FACTOR = { data: { secondFactor: 1 } };
const V2_VERIFIED = { state: 'verified', provider: 'zitadel', phone: PHONE_NUMBER };
const V1_VERIFIED = { state: 'verified', provider: 'zitadel-self', phone: PHONE_NUMBER };

/** v1 GetMyPhone answers. */
const v1Phone = (phone: Record<string, unknown>): Reply => ({ json: { ...DETAILS, phone } });
const V1_NO_PHONE: Reply = { json: DETAILS };
const V2_NO_PHONE: Reply = { json: userWithPhone({}) };

/** Zitadel's answer when the OTP SMS factor is set up already (command addHumanOTPSMS). */
const ALREADY_READY: Reply = {
  status: 409,
  json: zitadelError(6, 'COMMAND-Ad3g2', 'Multifactor OTP (OneTimePassword) is already set up'),
};

describe('changing a number: the pending result names the number it replaces', () => {
  it.each([
    ['verified', { phone: OTHER_PHONE, isVerified: true }],
    ['unverified', { phone: OTHER_PHONE }],
  ])('v2: the user holds another number (%s): read, SetPhone, replaces = that number', async (_s, stored) => {
    reply({ json: userWithPhone(stored) }, { json: DETAILS });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(['GET', V2_USER, undefined], ['POST', V2_PHONE, { phone: PHONE, sendCode: {} }]);
    expect(result).toMatchObject({ state: 'pending', phone: PHONE_NUMBER, replaces: OTHER_NUMBER });
    // The ticket stays as before: no data without the second factor.
    expect(result.state === 'pending' ? result.ticket : undefined).not.toHaveProperty('data');
  });

  it('v2 return-code: replaces and the code are both handed back', async () => {
    reply(
      { json: userWithPhone({ phone: OTHER_PHONE, isVerified: true }) },
      {
        json: { ...DETAILS, verificationCode: '7QK2ZD' },
      },
    );
    const result = await v2({ delivery: 'return-code' }).bind({ userId: USER_ID, phoneNumber: PHONE });
    expectRequests(['GET', V2_USER, undefined], ['POST', V2_PHONE, { phone: PHONE, returnCode: {} }]);
    expect(result).toMatchObject({ state: 'pending', code: '7QK2ZD', replaces: OTHER_NUMBER });
  });

  it('v2: no number yet → no replaces', async () => {
    reply(V2_NO_PHONE, { json: DETAILS });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(result).not.toHaveProperty('replaces');
  });

  it('v2 verified: true on a change reads nothing first and answers the new number verified', async () => {
    reply({ json: DETAILS });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    expectRequests(['POST', V2_PHONE, { phone: PHONE, isVerified: true }]);
    expect(result).toEqual(V2_VERIFIED);
  });

  it('v1: the user holds another number: read, SetMyPhone, replaces = that number', async () => {
    reply(v1Phone({ phone: OTHER_PHONE, isPhoneVerified: true }), { json: DETAILS });
    const result = await v1().bind({ phoneNumber: PHONE });
    expectRequests(['GET', V1_PHONE, undefined], ['PUT', V1_PHONE, { phone: PHONE }]);
    expect(result).toMatchObject({ state: 'pending', phone: PHONE_NUMBER, replaces: OTHER_NUMBER });
  });

  it('v1: no number yet → no replaces', async () => {
    reply(V1_NO_PHONE, { json: DETAILS });
    expect(await v1().bind({ phoneNumber: PHONE })).not.toHaveProperty('replaces');
  });

  it('the replaced number never shows in a later error', async () => {
    reply(
      { json: userWithPhone({ phone: OTHER_PHONE, isVerified: true }) },
      { status: 400, json: zitadelError(3, 'PHONE-so0wa', `Phone ${OTHER_PHONE} is invalid`) },
    );
    const error = await rejection(v2().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(error.code).toBe('invalid_phone_number');
    expectNoLeak(error, [OTHER_PHONE]);
  });

  it('resend names no replaces (Zitadel holds the new number already)', async () => {
    reply({ json: DETAILS });
    expect(await v2().resend({ ticket: v2Ticket() })).not.toHaveProperty('replaces');
  });

  it('keepPrevious is refused with unsupported before any request (one number per user)', async () => {
    await expectRefused(
      v2().bind({ userId: USER_ID, phoneNumber: PHONE, keepPrevious: true }),
      'unsupported',
    );
    await expectRefused(v1().bind({ phoneNumber: PHONE, keepPrevious: true }), 'unsupported');
  });
});

describe('the SMS second factor, user service v2 (POST /v2/users/{userId}/otp_sms)', () => {
  it('capabilities say so', () => {
    expect(v2().capabilities).toMatchObject({
      secondFactor: true,
      change: 'immediate',
      multipleNumbers: false,
    });
  });

  it('bind verified: true enrols it right after SetPhone: POST …/otp_sms {}', async () => {
    reply({ json: DETAILS }, { json: DETAILS });
    const result = await v2().bind({
      userId: USER_ID,
      phoneNumber: PHONE,
      verified: true,
      secondFactor: true,
    });
    expectRequests(['POST', V2_PHONE, { phone: PHONE, isVerified: true }], ['POST', V2_OTP_SMS, {}]);
    expect(result).toEqual({ ...V2_VERIFIED, secondFactor: true });
  });

  it('a code-flow bind only carries the wish in the ticket (nothing enrolled yet)', async () => {
    reply(V2_NO_PHONE, { json: DETAILS });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE, secondFactor: true });
    expectRequests(['GET', V2_USER, undefined], ['POST', V2_PHONE, { phone: PHONE, sendCode: {} }]);
    expect(result).toMatchObject({ state: 'pending', ticket: { data: { secondFactor: 1 } } });
  });

  it('verify of such a ticket enrols it after the code is accepted', async () => {
    reply({ json: DETAILS }, { json: DETAILS });
    const result = await v2().verify({ ticket: v2Ticket(WANTS_FACTOR), code: CODE });
    expectRequests(['POST', `${V2_PHONE}/verify`, { verificationCode: CODE }], ['POST', V2_OTP_SMS, {}]);
    expect(result).toEqual({ ...V2_VERIFIED, secondFactor: true });
  });

  it('the ticket bind() returned carries the wish through a JSON round trip', async () => {
    reply(V2_NO_PHONE, { json: DETAILS }, { json: DETAILS }, { json: DETAILS });
    const binding = v2();
    const pending = await binding.bind({ userId: USER_ID, phoneNumber: PHONE, secondFactor: true });
    if (pending.state !== 'pending') throw new Error('expected pending');
    const ticket = JSON.parse(JSON.stringify(pending.ticket)) as VerificationTicket;
    expect(await binding.verify({ ticket, code: CODE })).toMatchObject({ secondFactor: true });
    expectRequest(requests[3], 'POST', V2_OTP_SMS, {});
  });

  it('verify without the wish sends no otp_sms request', async () => {
    reply({ json: DETAILS });
    expect(await v2().verify({ ticket: v2Ticket(), code: CODE })).toEqual(V2_VERIFIED);
    expect(requests).toHaveLength(1);
  });

  it('resend keeps the wish in the new ticket', async () => {
    reply({ json: DETAILS });
    const result = await v2().resend({ ticket: v2Ticket(WANTS_FACTOR) });
    expect(result.ticket.data).toEqual({ secondFactor: 1 });
  });

  it.each([
    ['COMMAND-Ad3g2 (ALREADY_EXISTS)', ALREADY_READY],
    ['plain ALREADY_EXISTS without details', { status: 409, json: { code: 6, message: 'already exists' } }],
  ])('a factor that exists already (%s) is success', async (_name, answer) => {
    reply({ json: DETAILS }, answer);
    const result = await v2().verify({ ticket: v2Ticket(WANTS_FACTOR), code: CODE });
    expect(requests).toHaveLength(2);
    expect(result).toEqual({ ...V2_VERIFIED, secondFactor: true });
  });

  it('the same verified number again with secondFactor: read, enrol; no SetPhone, no SMS', async () => {
    reply({ json: userWithPhone({ phone: PHONE, isVerified: true }) }, { json: DETAILS });
    const result = await v2().bind({ userId: USER_ID, phoneNumber: PHONE, secondFactor: true });
    expectRequests(['GET', V2_USER, undefined], ['POST', V2_OTP_SMS, {}]);
    expect(result).toEqual({ ...V2_VERIFIED, secondFactor: true });
  });

  it('verified: true on the same verified number ("not changed") enrols after the read', async () => {
    reply(
      { status: 400, json: zitadelError(9, 'COMMAND-Uch5e', 'Phone not changed') },
      { json: userWithPhone({ phone: PHONE, isVerified: true }) },
      ALREADY_READY,
    );
    const result = await v2().bind({
      userId: USER_ID,
      phoneNumber: PHONE,
      verified: true,
      secondFactor: true,
    });
    expectRequests(
      ['POST', V2_PHONE, { phone: PHONE, isVerified: true }],
      ['GET', V2_USER, undefined],
      ['POST', V2_OTP_SMS, {}],
    );
    expect(result).toEqual({ ...V2_VERIFIED, secondFactor: true });
  });

  it('a ticket whose data is not Zitadel’s is refused before any request', async () => {
    await expectRefused(
      v2().verify({ ticket: v2Ticket({ data: { secondFactor: 2 } }), code: CODE }),
      'invalid_input',
    );
  });

  it('get does not report the factor (GetUserByID does not tell it)', async () => {
    reply({ json: userWithPhone({ phone: PHONE, isVerified: true }) });
    const result = await v2().get({ userId: USER_ID });
    expect(result).toEqual(V2_VERIFIED);
    expect(result).not.toHaveProperty('secondFactor');
  });

  it('remove deletes only the phone: Zitadel removes the OTP SMS factor with it', async () => {
    reply({ json: DETAILS });
    await v2().remove({ userId: USER_ID });
    expectRequests(['DELETE', V2_PHONE, undefined]);
  });
});

describe('the second factor failing after the code was accepted', () => {
  useFakeRetryTimers();

  it('NotReady (COMMAND-Q54j2): the error says the number is verified and how to finish', async () => {
    reply(
      { json: DETAILS },
      {
        status: 400,
        json: zitadelError(9, 'COMMAND-Q54j2', "Multifactor OTP (OneTimePassword) isn't ready"),
      },
    );
    const error = await rejection(v2().verify({ ticket: v2Ticket(WANTS_FACTOR), code: CODE }));
    expect(requests).toHaveLength(2);
    expect(error).toMatchObject({
      code: 'provider_error',
      providerCode: 'COMMAND-Q54j2',
      status: 400,
      retryable: false,
      provider: 'zitadel',
      operation: 'verify',
    });
    expect(error.message).toMatch(/^Zitadel verified the number but did not enrol it/);
    expect(error.message).toContain('secondFactor: true');
    expect(error.message).toContain('Multifactor OTP');
    expectNoLeak(error);
  });

  it('a 503 is sent once, not retryable, and says it may have taken effect', async () => {
    const unavailable = { status: 503, json: { code: 14, message: 'unavailable' } };
    reply({ json: DETAILS }, unavailable, unavailable, unavailable);
    const error = await rejection(v1().verify({ ticket: v1Ticket(WANTS_FACTOR), code: CODE }));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${V1_PHONE}/_verify`,
      `POST ${V1_OTP_SMS}`,
    ]);
    expect(error).toMatchObject({ code: 'provider_error', status: 503, retryable: false });
    expect(error.message).toContain('taken effect');
    expect(error.message).toContain('did not enrol');
  });

  it('binding the verified number again finishes it without an SMS', async () => {
    reply(v1Phone({ phone: PHONE, isPhoneVerified: true }), { json: DETAILS });
    const result = await v1().bind({ phoneNumber: PHONE, secondFactor: true });
    expectRequests(['GET', V1_PHONE, undefined], ['POST', V1_OTP_SMS, {}]);
    expect(result).toEqual({ ...V1_VERIFIED, secondFactor: true });
  });
});

describe('the SMS second factor, auth API v1 (POST /auth/v1/users/me/auth_factors/otp_sms)', () => {
  it('capabilities say so', () => {
    expect(v1().capabilities).toMatchObject({
      secondFactor: true,
      change: 'immediate',
      assertVerified: false,
    });
  });

  it('bind carries the wish, verify enrols it: POST …/auth_factors/otp_sms {}', async () => {
    reply(V1_NO_PHONE, { json: DETAILS }, { json: DETAILS }, { json: DETAILS });
    const binding = v1();
    const pending = await binding.bind({ phoneNumber: PHONE, secondFactor: true });
    if (pending.state !== 'pending') throw new Error('expected pending');
    expect(pending.ticket.data).toEqual({ secondFactor: 1 });
    const result = await binding.verify({ ticket: pending.ticket, code: CODE });
    expectRequests(
      ['GET', V1_PHONE, undefined],
      ['PUT', V1_PHONE, { phone: PHONE }],
      ['POST', `${V1_PHONE}/_verify`, { code: CODE }],
      ['POST', V1_OTP_SMS, {}],
    );
    expect(result).toEqual({ ...V1_VERIFIED, secondFactor: true });
  });

  it('a factor that exists already is success', async () => {
    reply({ json: DETAILS }, ALREADY_READY);
    expect(await v1().verify({ ticket: v1Ticket(WANTS_FACTOR), code: CODE })).toMatchObject({
      secondFactor: true,
    });
  });

  it('the same unverified number with secondFactor re-sends the code and keeps the wish', async () => {
    reply(v1Phone({ phone: PHONE }), { json: DETAILS });
    const result = await v1().bind({ phoneNumber: PHONE, secondFactor: true });
    expectRequests(['GET', V1_PHONE, undefined], ['POST', `${V1_PHONE}/_resend_verification`, {}]);
    expect(result).toMatchObject({ state: 'pending', ticket: { data: { secondFactor: 1 } } });
  });

  it('get does not report the factor, remove deletes only the phone', async () => {
    reply(v1Phone({ phone: PHONE, isPhoneVerified: true }), { json: DETAILS });
    const binding = v1();
    expect(await binding.get({})).not.toHaveProperty('secondFactor');
    await binding.remove({});
    expectRequests(['GET', V1_PHONE, undefined], ['DELETE', V1_PHONE, undefined]);
  });
});

describe('answers the official documents allow', () => {
  it.each<[string, Reply[], () => Promise<unknown>, unknown]>([
    [
      'v2 SetPhone answered {} (no details)',
      [V2_NO_PHONE, { json: {} }],
      () => v2().bind({ userId: USER_ID, phoneNumber: PHONE }),
      { state: 'pending', phone: PHONE_NUMBER },
    ],
    [
      'v2 SetPhone verified: true answered {}',
      [{ json: {} }],
      () => v2().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }),
      V2_VERIFIED,
    ],
    [
      'v2 VerifyPhone answered {}',
      [{ json: {} }],
      () => v2().verify({ ticket: v2Ticket(), code: CODE }),
      V2_VERIFIED,
    ],
    [
      'v2 ResendPhoneCode answered {}',
      [{ json: {} }],
      () => v2().resend({ ticket: v2Ticket() }),
      { state: 'pending' },
    ],
    [
      'v2 AddOTPSMS answered {}',
      [{ json: {} }, { json: {} }],
      () => v2().verify({ ticket: v2Ticket(WANTS_FACTOR), code: CODE }),
      { ...V2_VERIFIED, secondFactor: true },
    ],
    [
      'v2 RemovePhone answered {}',
      [{ json: {} }],
      () => v2().remove({ userId: USER_ID }),
      { state: 'removed' },
    ],
    [
      'v2 GetUserByID without details',
      [{ json: { user: { human: { phone: { phone: PHONE, isVerified: true } } } } }],
      () => v2().get({ userId: USER_ID }),
      V2_VERIFIED,
    ],
    [
      'v1 SetMyPhone answered {} (after GetMyPhone answered {})',
      [{ json: {} }, { json: {} }],
      () => v1().bind({ phoneNumber: PHONE }),
      { state: 'pending', provider: 'zitadel-self' },
    ],
    [
      'v1 GetMyPhone without details',
      [{ json: { phone: { phone: PHONE, isPhoneVerified: true } } }],
      () => v1().get({}),
      V1_VERIFIED,
    ],
    [
      'v1 VerifyMyPhone and AddMyAuthFactorOTPSMS answered {}',
      [{ json: {} }, { json: {} }],
      () => v1().verify({ ticket: v1Ticket(WANTS_FACTOR), code: CODE }),
      { ...V1_VERIFIED, secondFactor: true },
    ],
  ])('%s is accepted', async (_name, answers, run, expected) => {
    reply(...answers);
    expect(await run()).toMatchObject(expected as Record<string, unknown>);
    expect(requests).toHaveLength(answers.length);
  });

  it("verificationCode: null is accepted in 'sms' mode (bind and resend)", async () => {
    reply(
      V2_NO_PHONE,
      { json: { ...DETAILS, verificationCode: null } },
      {
        json: { ...DETAILS, verificationCode: null },
      },
    );
    const binding = v2();
    const bound = await binding.bind({ userId: USER_ID, phoneNumber: PHONE });
    expect(bound).toMatchObject({ state: 'pending' });
    expect(bound).not.toHaveProperty('code');
    const resent = await binding.resend({ ticket: v2Ticket() });
    expect(resent).not.toHaveProperty('code');
  });

  it.each([
    ['an empty verificationCode', ''],
    ['verificationCode: null', null],
  ])("'return-code' mode: %s is invalid_response naming verificationCode", async (_name, value) => {
    const answer = { json: { ...DETAILS, verificationCode: value } };
    reply(V2_NO_PHONE, answer, answer);
    const binding = v2({ delivery: 'return-code' });
    const onBind = await rejection(binding.bind({ userId: USER_ID, phoneNumber: PHONE }));
    const onResend = await rejection(binding.resend({ ticket: v2Ticket() }));
    for (const [error, operation] of [
      [onBind, 'bind'],
      [onResend, 'resend'],
    ] as const) {
      expect(error).toMatchObject({
        code: 'invalid_response',
        provider: 'zitadel',
        operation,
        retryable: false,
      });
      expect(error.message).toContain('verificationCode');
      expect(error.message).toContain('Zitadel');
    }
    expect(requests).toHaveLength(3);
  });
});

describe('messages name Zitadel', () => {
  it('remove of a number the user does not hold', async () => {
    reply({ json: userWithPhone({ phone: OTHER_PHONE, isVerified: true }) });
    const error = await rejection(v2().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expect(error).toMatchObject({ code: 'not_found', provider: 'zitadel' });
    expect(error.message).toMatch(/^Zitadel holds another phone number/);
  });

  it('remove when the user has no number (zitadelSelf)', async () => {
    reply(V1_NO_PHONE);
    const error = await rejection(v1().remove({ phoneNumber: PHONE }));
    expect(error.message).toMatch(/^Zitadel holds no phone number/);
  });

  it.each([
    ['COMMAND-Sr3h3', 5, 404, 'not_found'],
    ['COMMAND-Q54j2', 9, 400, 'provider_error'],
  ] as const)('the OTP SMS error %s maps to %s', async (id, grpc, status, code) => {
    reply({ json: DETAILS }, { status, json: zitadelError(grpc, id, 'localized') });
    const error = await rejection(v2().verify({ ticket: v2Ticket(WANTS_FACTOR), code: CODE }));
    expect(error).toMatchObject({ code, providerCode: id, status });
    expect(error.message).toContain('Zitadel');
  });
});
