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

  it('a user who already has another number gets invalid_input and no SMS', async () => {
    const has = fakes.authing.createUser({ phone: '+8618800002222' });
    const phones = authing({
      baseUrl: server.urls.authing,
      appId: fakes.authing.appId,
      accessToken: has.token,
    });
    const sent = fakes.outbox.length;
    expect(await rejection(phones.bind({ phoneNumber: '+8618800003333' }))).toMatchObject({
      code: 'invalid_input',
    });
    expect(await phones.bind({ phoneNumber: '+86 188 0000 2222' })).toMatchObject({ state: 'verified' });
    expect(fakes.outbox.length).toBe(sent);
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
