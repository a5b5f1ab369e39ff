/**
 * Both Zitadel adapters end to end against the fake backends served over real HTTP on
 * 127.0.0.1: every operation, and every error of the wire reference reachable through the SDK.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import type { PendingVerification, PhoneBinding } from '../../src/index.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { useFakeServer } from '../support/fake-server.js';
import { rejection } from '../support/rejection.js';
import { newTicket } from '../support/tickets.js';

const PHONE = '+41791234567';
const OTHER = '+41781234567';

let fakes: FakeBackends;
let server: FakeServer;

useFakeServer((started) => ({ fakes, server } = started));
afterEach(() => vi.useRealTimers());

/** Asserts that the call fails with this code, HTTP status and Zitadel error id. */
async function expectRejected(call: Promise<unknown>, code: string, status: number, providerCode: string) {
  expect(await rejection(call)).toMatchObject({ code, status, providerCode });
}

function pending(result: unknown): PendingVerification {
  expect(result).toMatchObject({ state: 'pending' });
  return result as PendingVerification;
}

describe('zitadel (user service v2) over loopback HTTP', () => {
  let binding: PhoneBinding;
  let userId: string;
  beforeEach(() => {
    binding = zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken, retry: 0 });
    ({ userId } = fakes.zitadel.createUser());
  });

  it('binds, verifies, reads and removes', async () => {
    const { ticket } = pending(
      await binding.bind({ userId, phoneNumber: '079 123 45 67', defaultCountry: 'CH' }),
    );
    expect(fakes.outbox.at(-1)).toMatchObject({ provider: 'zitadel', to: PHONE });
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: PHONE, isVerified: false });
    expect(await binding.get({ userId })).toMatchObject({ state: 'unverified', phone: { e164: PHONE } });
    await binding.verify({ ticket, code: fakes.lastCode(PHONE)! });
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: PHONE, isVerified: true });
    expect(await binding.get({ userId })).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
    expect(await binding.remove({ userId, phoneNumber: '+41 79 123 45 67' })).toEqual({
      state: 'removed',
      provider: 'zitadel',
    });
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: '', isVerified: false });
    expect(await binding.get({ userId })).toBeNull();
  });

  it('binds as verified without an SMS', async () => {
    const sent = fakes.outbox.length;
    expect(await binding.bind({ userId, phoneNumber: PHONE, verified: true })).toMatchObject({
      state: 'verified',
    });
    expect(fakes.outbox.length).toBe(sent);
    expect(fakes.zitadel.user(userId)).toMatchObject({ isVerified: true });
  });

  it('return-code delivery hands the code back and sends nothing', async () => {
    const direct = zitadel({
      baseUrl: server.urls.zitadel,
      token: fakes.zitadel.adminToken,
      delivery: 'return-code',
    });
    const sent = fakes.outbox.length;
    const p = pending(await direct.bind({ userId, phoneNumber: PHONE }));
    expect(p.code).toMatch(/^[A-Z0-9]{6}$/);
    const again = await direct.resend({ ticket: p.ticket });
    expect(again.code).toMatch(/^[A-Z0-9]{6}$/);
    expect(fakes.outbox.length).toBe(sent);
    await expect(direct.verify({ ticket: p.ticket, code: p.code! })).rejects.toMatchObject({
      code: 'invalid_code',
    });
    await expect(direct.verify({ ticket: again.ticket, code: again.code! })).resolves.toMatchObject({
      state: 'verified',
    });
  });

  it('the same number again re-sends the code while unverified and is a no-op once verified', async () => {
    const first = pending(await binding.bind({ userId, phoneNumber: PHONE }));
    const sent = fakes.outbox.length;
    const second = pending(await binding.bind({ userId, phoneNumber: PHONE }));
    expect(fakes.outbox.length).toBe(sent + 1);
    await expect(
      binding.verify({ ticket: first.ticket, code: fakes.outbox[sent - 1]!.code }),
    ).rejects.toMatchObject({
      code: 'invalid_code',
    });
    await binding.verify({ ticket: second.ticket, code: fakes.lastCode()! });
    const requests = fakes.requests.length;
    expect(await binding.bind({ userId, phoneNumber: PHONE })).toMatchObject({
      state: 'verified',
      phone: { e164: PHONE },
    });
    expect(fakes.requests.length).toBe(requests + 1); // one read: the number is the one bound
    expect(fakes.outbox.length).toBe(sent + 1);
  });

  it('the same unverified number cannot be asserted verified', async () => {
    await binding.bind({ userId, phoneNumber: PHONE });
    expect(await rejection(binding.bind({ userId, phoneNumber: PHONE, verified: true }))).toMatchObject({
      code: 'provider_error',
      providerCode: 'COMMAND-Uch5e',
    });
  });

  it('an expired code is invalid_code (Zitadel reports it as wrong)', async () => {
    const { ticket } = pending(await binding.bind({ userId, phoneNumber: PHONE }));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61 * 60 * 1000);
    await expectRejected(
      binding.verify({ ticket, code: fakes.lastCode()! }),
      'invalid_code',
      400,
      'COMMAND-eis9R',
    );
  });

  it.each([
    [
      'missing user on bind → not_found (its first request, the read: QUERY-Dfbg2)',
      () => binding.bind({ userId: 'nobody', phoneNumber: PHONE }),
      'not_found',
      404,
      'QUERY-Dfbg2',
    ],
    [
      'missing user on bind verified: true → not_found (5, COMMAND-ieJ2e)',
      () => binding.bind({ userId: 'nobody', phoneNumber: PHONE, verified: true }),
      'not_found',
      404,
      'COMMAND-ieJ2e',
    ],
    [
      'missing user on read → not_found',
      () => binding.get({ userId: 'nobody' }),
      'not_found',
      404,
      'QUERY-Dfbg2',
    ],
    [
      'remove with no phone → not_found (9, COMMAND-ieJ2e)',
      () => binding.remove({ userId }),
      'not_found',
      400,
      'COMMAND-ieJ2e',
    ],
    [
      'resend with no pending code → invalid_input (PHONE-5xrra88eq8)',
      () =>
        binding.resend({
          ticket: newTicket('zitadel', PHONE, { userId }),
        }),
      'invalid_input',
      400,
      'PHONE-5xrra88eq8',
    ],
    [
      'verify with no pending code → code_expired (COMMAND-Rsj8c)',
      () =>
        binding.verify({
          ticket: newTicket('zitadel', PHONE, { userId }),
          code: 'ABC123',
        }),
      'code_expired',
      404,
      'COMMAND-Rsj8c',
    ],
  ] as const)('%s', async (_name, call, code, status, providerCode) => {
    await expectRejected(call(), code, status, providerCode);
  });

  it('a user in INITIAL state → provider_error (COMMAND-uz0Uu)', async () => {
    const initial = fakes.zitadel.createUser({ state: 'USER_STATE_INITIAL' });
    expect(await rejection(binding.bind({ userId: initial.userId, phoneNumber: PHONE }))).toMatchObject({
      code: 'provider_error',
      status: 400,
      providerCode: 'COMMAND-uz0Uu',
      retryable: false,
    });
  });

  it('a wrong code → invalid_code (3, COMMAND-eis9R)', async () => {
    const { ticket } = pending(await binding.bind({ userId, phoneNumber: PHONE }));
    await expectRejected(binding.verify({ ticket, code: 'WRONG1' }), 'invalid_code', 400, 'COMMAND-eis9R');
  });

  it('bad and missing tokens → unauthenticated (16, AUTH-7fs1e)', async () => {
    const bad = zitadel({ baseUrl: server.urls.zitadel, token: 'wrong' });
    await expectRejected(bad.get({ userId }), 'unauthenticated', 401, 'AUTH-7fs1e');
  });

  it('a token without user.write → forbidden (7)', async () => {
    const readOnly = zitadel({
      baseUrl: server.urls.zitadel,
      token: fakes.zitadel.createToken({ permissions: ['user.read'] }),
    });
    expect(await rejection(readOnly.bind({ userId, phoneNumber: PHONE }))).toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    expect(await readOnly.get({ userId })).toBeNull();
  });

  it('a user token may send itself a code but not mark its number verified', async () => {
    const own = fakes.zitadel.createUser();
    const self = zitadel({ baseUrl: server.urls.zitadel, token: own.token });
    expect(await self.bind({ userId: own.userId, phoneNumber: PHONE })).toMatchObject({ state: 'pending' });
    expect(
      await rejection(self.bind({ userId: own.userId, phoneNumber: OTHER, verified: true })),
    ).toMatchObject({
      code: 'forbidden',
    });
  });

  it('429 with Retry-After → rate_limited with retryAfterMs, the SMS request sent once', async () => {
    fakes.injectFault({
      backend: 'zitadel',
      method: 'POST',
      path: /\/phone$/,
      status: 429,
      headers: { 'retry-after': '30' },
      body: {
        code: 8,
        message: 'quota exceeded (QUOTA-Sie33)',
        details: [{ id: 'QUOTA-Sie33', message: 'quota exceeded' }],
      },
    });
    const before = fakes.requests.length;
    const e = await rejection(
      zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken }).bind({
        userId,
        phoneNumber: PHONE,
      }),
    );
    expect(e).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 30_000, retryable: true });
    expect(fakes.requests.length).toBe(before + 2); // the read, then the SMS request once
  });

  it('a dropped connection → network', async () => {
    fakes.injectFault({ backend: 'zitadel', method: 'GET', networkError: true });
    expect(await rejection(binding.get({ userId }))).toMatchObject({ code: 'network', retryable: true });
  });

  it('user ids are percent-encoded on the wire', async () => {
    const odd = fakes.zitadel.createUser({ userId: 'a/b c?d' });
    await binding.bind({ userId: odd.userId, phoneNumber: PHONE, verified: true });
    expect(fakes.requests.at(-1)?.path).toBe('/v2/users/a%2Fb%20c%3Fd/phone');
    expect(fakes.zitadel.user('a/b c?d')).toMatchObject({ phone: PHONE, isVerified: true });
  });
});

describe('zitadelSelf (auth API v1) over loopback HTTP', () => {
  let binding: PhoneBinding;
  let userId: string;
  beforeEach(() => {
    const user = fakes.zitadel.createUser();
    userId = user.userId;
    binding = zitadelSelf({ baseUrl: server.urls.zitadel, token: user.token, retry: 0 });
  });

  it('binds, verifies, reads and removes the token user’s number', async () => {
    expect(await binding.get({})).toBeNull();
    const { ticket } = pending(await binding.bind({ phoneNumber: '+41 79 123 45 67' }));
    expect(fakes.outbox.at(-1)).toMatchObject({ provider: 'zitadel-self', to: PHONE });
    expect(await binding.get({})).toMatchObject({ state: 'unverified' });
    const again = await binding.resend({ ticket });
    await binding.verify({ ticket: again.ticket, code: fakes.lastCode(PHONE)! });
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: PHONE, isVerified: true });
    expect(await binding.get({})).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
    expect(await binding.remove({})).toEqual({ state: 'removed', provider: 'zitadel-self' });
    expect(await binding.get({})).toBeNull();
  });

  it('the same number again re-sends while unverified, returns it once verified', async () => {
    pending(await binding.bind({ phoneNumber: PHONE }));
    const second = pending(await binding.bind({ phoneNumber: PHONE }));
    await binding.verify({ ticket: second.ticket, code: fakes.lastCode()! });
    expect(await binding.bind({ phoneNumber: PHONE })).toMatchObject({ state: 'verified' });
  });

  it('a wrong code → invalid_code (3, COMMAND-sM0cs)', async () => {
    const { ticket } = pending(await binding.bind({ phoneNumber: PHONE }));
    await expectRejected(binding.verify({ ticket, code: 'WRONG1' }), 'invalid_code', 400, 'COMMAND-sM0cs');
  });

  it('verify with no code pending → code_expired (5, COMMAND-Rsj8c)', async () => {
    const { ticket } = pending(await binding.bind({ phoneNumber: PHONE }));
    await binding.verify({ ticket, code: fakes.lastCode()! });
    await expectRejected(
      binding.verify({ ticket, code: fakes.lastCode()! }),
      'code_expired',
      404,
      'COMMAND-Rsj8c',
    );
  });

  it('resend when verified → invalid_input (9, COMMAND-2M9sf)', async () => {
    const { ticket } = pending(await binding.bind({ phoneNumber: PHONE }));
    await binding.verify({ ticket, code: fakes.lastCode()! });
    await expectRejected(binding.resend({ ticket }), 'invalid_input', 400, 'COMMAND-2M9sf');
  });

  it('resend and remove without a phone → not_found (5, COMMAND-2b7Hf / COMMAND-p6rsc)', async () => {
    const ticket = newTicket('zitadel-self', PHONE);
    await expectRejected(binding.resend({ ticket }), 'not_found', 404, 'COMMAND-2b7Hf');
    await expectRejected(binding.remove({}), 'not_found', 404, 'COMMAND-p6rsc');
  });

  it('a token whose user does not exist → not_found (9, COMMAND-3M0fs)', async () => {
    const orphan = zitadelSelf({
      baseUrl: server.urls.zitadel,
      token: fakes.zitadel.createToken({ userId: 'gone' }),
    });
    await expectRejected(orphan.bind({ phoneNumber: PHONE }), 'not_found', 400, 'COMMAND-3M0fs');
  });

  it('a refused token → unauthenticated, a missing header → unauthenticated (AUTH-toLo1)', async () => {
    const bad = zitadelSelf({ baseUrl: server.urls.zitadel, token: 'nope' });
    expect(await rejection(bad.get({}))).toMatchObject({
      code: 'unauthenticated',
      providerCode: 'AUTH-7fs1e',
    });
    const res = await fetch(`${server.urls.zitadel}/auth/v1/users/me/phone`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('AUTH-toLo1');
  });

  it('a token function is asked before every request', async () => {
    const user = fakes.zitadel.createUser();
    const token = vi.fn(async () => user.token);
    const refreshing = zitadelSelf({ baseUrl: server.urls.zitadel, token });
    await refreshing.get({});
    await refreshing.get({});
    expect(token).toHaveBeenCalledTimes(2);
  });
});
