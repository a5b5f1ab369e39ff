/** The Authing adapter end to end against the fake Authing served over real HTTP on 127.0.0.1. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authing } from '../../adapters/authing/index.js';
import type { PendingVerification, PhoneBinding } from '../../src/index.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { useFakeServer } from '../support/fake-server.js';
import { rejection } from '../support/rejection.js';

const PHONE = '+8618800008888';
let fakes: FakeBackends;
let server: FakeServer;
let binding: PhoneBinding;
let userId: string;
let token: string;

// Fresh fakes per test: Authing throttles per number, and every test uses the same one.
useFakeServer((started) => ({ fakes, server } = started), { perTest: true });
beforeEach(() => {
  ({ userId, token } = fakes.authing.createUser());
  binding = authing({
    baseUrl: server.urls.authing,
    appId: fakes.authing.appId,
    accessToken: token,
    retry: 0,
  });
});
afterEach(() => vi.useRealTimers());

async function pending(): Promise<PendingVerification> {
  const result = await binding.bind({ phoneNumber: '+86 188 0000 8888' });
  expect(result.state).toBe('pending');
  return result as PendingVerification;
}

/** Moves the clock past Authing's one-SMS-per-minute window. */
function laterByMinutes(minutes: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + minutes * 60_000);
}

describe('authing over loopback HTTP', () => {
  it('binds with the split number, verifies, reads, and removes in two steps', async () => {
    const p = await pending();
    expect(fakes.requests.at(-1)?.body).toEqual({
      phoneNumber: '18800008888',
      phoneCountryCode: '+86',
      channel: 'CHANNEL_BIND_PHONE',
    });
    await binding.verify({ ticket: p.ticket, code: fakes.lastCode(PHONE)! });
    expect(fakes.authing.user(userId)).toMatchObject({
      phone: '18800008888',
      phoneCountryCode: '+86',
      phoneVerified: true,
    });
    expect(await binding.get({})).toMatchObject({ state: 'verified', phone: { e164: PHONE, country: 'CN' } });
    laterByMinutes(2);
    const removal = await binding.remove({});
    expect(removal).toMatchObject({ state: 'pending', purpose: 'remove' });
    expect(fakes.authing.pendingCode(PHONE, 'CHANNEL_UNBIND_PHONE')).toBeDefined();
    const ticket = (removal as PendingVerification).ticket;
    expect(await rejection(binding.remove({ ticket, code: '000000' }))).toMatchObject({
      code: 'invalid_code',
      providerCode: '2001',
    });
    expect(await binding.remove({ ticket, code: fakes.lastCode(PHONE)! })).toEqual({
      state: 'removed',
      provider: 'authing',
    });
    expect(await binding.get({})).toBeNull();
  });

  it('failures arrive in HTTP 200 bodies and carry apiCode and requestId, not status', async () => {
    const p = await pending();
    const wrong = await rejection(binding.verify({ ticket: p.ticket, code: '000000' }));
    expect(wrong).toMatchObject({
      code: 'invalid_code',
      providerCode: '2001',
      requestId: expect.stringMatching(/^req-/),
    });
    expect(wrong.status).toBeUndefined();
  });

  it('an expired code → code_expired (2300); five wrong tries lock it', async () => {
    const p = await pending();
    laterByMinutes(6);
    expect(await rejection(binding.verify({ ticket: p.ticket, code: fakes.lastCode()! }))).toMatchObject({
      code: 'code_expired',
      providerCode: '2300',
    });
    const again = await binding.resend({ ticket: p.ticket });
    for (let i = 0; i < 5; i += 1) await rejection(binding.verify({ ticket: again.ticket, code: '000000' }));
    expect(await rejection(binding.verify({ ticket: again.ticket, code: fakes.lastCode()! }))).toMatchObject({
      code: 'code_expired',
    });
  });

  it('resend inside the minute is refused locally; the backend enforces it too', async () => {
    const p = await pending();
    const before = fakes.requests.length;
    const local = await rejection(binding.resend({ ticket: p.ticket }));
    expect(local).toMatchObject({ code: 'rate_limited' });
    expect(local.retryAfterMs).toBeGreaterThan(55_000);
    expect(fakes.requests.length).toBe(before);
    // A second client (no ticket to go by) binding the same number is throttled by the backend.
    const other = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.appId,
      accessToken: fakes.authing.createUser().token,
    });
    expect(await rejection(other.bind({ phoneNumber: PHONE }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 60_000,
    });
  });

  it('a number bound to someone else → phone_in_use (409, 2035)', async () => {
    fakes.authing.createUser({ phone: '+8618800001111' });
    const p = await binding.bind({ phoneNumber: '+8618800001111' });
    expect(
      await rejection(binding.verify({ ticket: (p as PendingVerification).ticket, code: fakes.lastCode()! })),
    ).toMatchObject({
      code: 'phone_in_use',
      providerCode: '2035',
    });
  });

  it('a user with a number changes it: the old one stays until the new code is right (pool without old-phone check)', async () => {
    const has = fakes.authing.createUser({ phone: '+8618800002222' });
    const phones = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.appId,
      accessToken: has.token,
    });
    const sent = fakes.outbox.length;
    // The number the user already has, verified: answered bound, no SMS.
    expect(await phones.bind({ phoneNumber: '+86 188 0000 2222' })).toMatchObject({ state: 'verified' });
    expect(fakes.outbox.length).toBe(sent);

    const change = (await phones.bind({ phoneNumber: '+8618800003333' })) as PendingVerification;
    expect(change).toMatchObject({ state: 'pending', replaces: { e164: '+8618800002222' } });
    expect(change.needsCurrentCode).toBeUndefined();
    expect(fakes.outbox.slice(sent).map((sms) => sms.to)).toEqual(['+8618800003333']);
    expect(fakes.authing.pendingCode('+8618800003333', 'CHANNEL_BIND_PHONE')).toBeDefined();
    // on-verify: while pending, get() answers the old number, verified.
    expect(await phones.get({})).toMatchObject({ state: 'verified', phone: { e164: '+8618800002222' } });
    expect(await rejection(phones.verify({ ticket: change.ticket, code: '000000' }))).toMatchObject({
      code: 'invalid_code',
      providerCode: '2001',
    });
    const code = fakes.authing.pendingCode('+8618800003333', 'CHANNEL_BIND_PHONE')?.value ?? '';
    expect(await phones.verify({ ticket: change.ticket, code })).toMatchObject({
      state: 'verified',
      phone: { e164: '+8618800003333' },
    });
    expect(await phones.get({})).toMatchObject({ state: 'verified', phone: { e164: '+8618800003333' } });
    expect(fakes.authing.user(has.userId)).toMatchObject({ phone: '18800003333', phoneVerified: true });
    expect(fakes.requests.slice(-3).map((r) => r.path)).toEqual([
      '/api/v3/verify-update-phone-request',
      '/api/v3/update-phone',
      '/api/v3/get-profile',
    ]);
  });

  it('a pool that verifies the old phone: both codes, on CHANNEL_BIND_PHONE and CHANNEL_UNBIND_PHONE', async () => {
    const has = fakes.authing.createUser({ phone: '+8618800002222' });
    const phones = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.verifyOldPhoneAppId,
      accessToken: has.token,
      verifyCurrentPhone: true,
    });
    const sent = fakes.outbox.length;
    const change = (await phones.bind({ phoneNumber: '+8618800003333' })) as PendingVerification;
    expect(change).toMatchObject({ needsCurrentCode: true, replaces: { e164: '+8618800002222' } });
    expect(fakes.outbox.slice(sent).map((sms) => sms.to)).toEqual(['+8618800003333', '+8618800002222']);
    const newCode = fakes.authing.pendingCode('+8618800003333', 'CHANNEL_BIND_PHONE')?.value ?? '';
    const oldCode = () => fakes.authing.pendingCode('+8618800002222', 'CHANNEL_UNBIND_PHONE')?.value ?? '';
    expect(oldCode()).not.toBe('');
    const before = fakes.requests.length;
    expect(await rejection(phones.verify({ ticket: change.ticket, code: newCode }))).toMatchObject({
      code: 'invalid_input',
    });
    expect(fakes.requests.length).toBe(before);
    // A wrong current-number code spends neither code.
    expect(
      await rejection(phones.verify({ ticket: change.ticket, code: newCode, currentCode: '000000' })),
    ).toMatchObject({ code: 'invalid_code', providerCode: '2001' });
    expect(await phones.get({})).toMatchObject({ phone: { e164: '+8618800002222' } });
    expect(
      await phones.verify({ ticket: change.ticket, code: newCode, currentCode: oldCode() }),
    ).toMatchObject({ state: 'verified', phone: { e164: '+8618800003333' } });
    expect(fakes.authing.user(has.userId)).toMatchObject({ phone: '18800003333', phoneVerified: true });
  });

  it('a pool that verifies the old phone, with verifyCurrentPhone left off: refused, nothing changed', async () => {
    const has = fakes.authing.createUser({ phone: '+8618800002222' });
    const phones = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.verifyOldPhoneAppId,
      accessToken: has.token,
    });
    const change = (await phones.bind({ phoneNumber: '+8618800003333' })) as PendingVerification;
    const code = fakes.lastCode('+8618800003333') ?? '';
    expect(await rejection(phones.verify({ ticket: change.ticket, code }))).toMatchObject({
      code: 'provider_error',
      operation: 'verify',
    });
    expect(fakes.authing.user(has.userId)).toMatchObject({ phone: '18800002222' });
  });

  it('a change to a number bound to someone else → phone_in_use (409, 2035); the old number stays', async () => {
    fakes.authing.createUser({ phone: '+8618800004444' });
    const has = fakes.authing.createUser({ phone: '+8618800002222' });
    const phones = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.appId,
      accessToken: has.token,
    });
    const change = (await phones.bind({ phoneNumber: '+8618800004444' })) as PendingVerification;
    const code = fakes.lastCode('+8618800004444') ?? '';
    expect(await rejection(phones.verify({ ticket: change.ticket, code }))).toMatchObject({
      code: 'phone_in_use',
      providerCode: '2035',
    });
    expect(fakes.authing.user(has.userId)).toMatchObject({ phone: '18800002222', phoneVerified: true });
  });

  it('resend of a change after the minute sends both codes again; the new ones finish it', async () => {
    const has = fakes.authing.createUser({ phone: '+8618800002222' });
    const phones = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.verifyOldPhoneAppId,
      accessToken: has.token,
      verifyCurrentPhone: true,
    });
    const change = (await phones.bind({ phoneNumber: '+8618800003333' })) as PendingVerification;
    laterByMinutes(2);
    const sent = fakes.outbox.length;
    const again = await phones.resend({ ticket: change.ticket });
    expect(again).toMatchObject({ needsCurrentCode: true, replaces: { e164: '+8618800002222' } });
    expect(fakes.outbox.slice(sent).map((sms) => sms.to)).toEqual(['+8618800003333', '+8618800002222']);
    const code = fakes.authing.pendingCode('+8618800003333', 'CHANNEL_BIND_PHONE')?.value ?? '';
    const currentCode = fakes.authing.pendingCode('+8618800002222', 'CHANNEL_UNBIND_PHONE')?.value ?? '';
    expect(await phones.verify({ ticket: again.ticket, code, currentCode })).toMatchObject({
      state: 'verified',
    });
  });

  it('the fake update-phone: a token is single use, expires after tokenExpiresIn, and unknown ones are refused', async () => {
    const has = fakes.authing.createUser({ phone: '+8618800002222' });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${server.urls.authing}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-authing-app-id': fakes.authing.appId,
          authorization: has.token,
        },
        body: JSON.stringify(body),
      });
      return (await response.json()) as {
        statusCode: number;
        apiCode?: number;
        data?: Record<string, unknown>;
      };
    };
    const phones = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.appId,
      accessToken: has.token,
    });
    await phones.bind({ phoneNumber: '+8618800003333' });
    const code = fakes.lastCode('+8618800003333');
    const request = {
      verifyMethod: 'PHONE_PASSCODE',
      phonePassCodePayload: {
        newPhoneNumber: '18800003333',
        newPhonePassCode: code,
        newPhoneCountryCode: '+86',
      },
    };
    const first = await post('/api/v3/verify-update-phone-request', request);
    expect(first).toMatchObject({ statusCode: 200, data: { tokenExpiresIn: 300 } });
    // The code was spent by the first request.
    expect(await post('/api/v3/verify-update-phone-request', request)).toMatchObject({ apiCode: 2300 });
    expect(await post('/api/v3/update-phone', { updatePhoneToken: 'nope' })).toMatchObject({
      statusCode: 400,
    });
    laterByMinutes(6);
    const token = first.data?.updatePhoneToken;
    expect(await post('/api/v3/update-phone', { updatePhoneToken: token })).toMatchObject({ apiCode: 2300 });
    expect(await post('/api/v3/update-phone', { updatePhoneToken: token })).toMatchObject({
      statusCode: 400,
    });
    expect(fakes.authing.user(has.userId)).toMatchObject({ phone: '18800002222' });
    // A code sent on another channel does not count for the new number.
    await post('/api/v3/send-sms', {
      phoneNumber: '18800003333',
      phoneCountryCode: '+86',
      channel: 'CHANNEL_LOGIN',
    });
    const login = fakes.lastCode('+8618800003333');
    expect(
      await post('/api/v3/verify-update-phone-request', {
        ...request,
        phonePassCodePayload: { ...request.phonePassCodePayload, newPhonePassCode: login },
      }),
    ).toMatchObject({ statusCode: 400, apiCode: 2300 });
  });

  it('an expired token → unauthenticated (2020); a wrong app id → forbidden', async () => {
    const expired = authing({ baseUrl: server.urls.authing, appId: fakes.authing.appId, accessToken: 'old' });
    expect(await rejection(expired.get({}))).toMatchObject({ code: 'unauthenticated', providerCode: '2020' });
    const wrongApp = authing({ baseUrl: server.urls.authing, appId: 'other-app', accessToken: token });
    expect(await rejection(wrongApp.get({}))).toMatchObject({ code: 'forbidden' });
  });

  it('GenAuth headers and a Bearer token work the same', async () => {
    const genauth = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.appId,
      accessToken: token,
      brand: 'genauth',
      authorization: 'bearer',
    });
    expect(await genauth.get({})).toBeNull();
    expect(fakes.requests.at(-1)?.headers).toMatchObject({
      'x-genauth-app-id': fakes.authing.appId,
      authorization: `Bearer ${token}`,
    });
  });

  it('remove with no number → not_found, and no SMS', async () => {
    const sent = fakes.outbox.length;
    expect(await rejection(binding.remove({}))).toMatchObject({ code: 'not_found' });
    expect(fakes.outbox.length).toBe(sent);
  });
});
