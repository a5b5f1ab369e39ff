/**
 * Both Zitadel adapters against the fake over loopback HTTP: changing a number and the SMS second
 * factor, and the fake's OTP SMS endpoints as Zitadel answers them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import type { BoundPhone, PendingVerification, PhoneBinding } from '../../src/index.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { useFakeServer } from '../support/fake-server.js';

const A = '+41791234567';
const B = '+41781234567';

let fakes: FakeBackends;
let server: FakeServer;

useFakeServer((started) => ({ fakes, server } = started));

function pending(result: PendingVerification | BoundPhone): PendingVerification {
  if (result.state !== 'pending') throw new Error(`expected pending, got ${result.state}`);
  return result;
}

function codeFor(phone: string): string {
  const code = fakes.lastCode(phone);
  if (code === undefined) throw new Error(`no code sent to ${phone}`);
  return code;
}

/** Calls the fake directly (what the SDK never sends), returning status and JSON body. */
async function call(method: string, path: string, token: string) {
  const res = await fetch(`${server.urls.zitadel}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const grpcBody = (code: number, id: string) => ({
  code,
  message: expect.stringContaining(`(${id})`),
  details: [expect.objectContaining({ '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail', id })],
});

describe.each([
  ['zitadel (user service v2)', 'v2'],
  ['zitadelSelf (auth API v1)', 'v1'],
] as const)('%s: changing a number and the second factor', (_name, api) => {
  let binding: PhoneBinding;
  let userId: string;
  let user: { userId?: string };
  beforeEach(() => {
    const created = fakes.zitadel.createUser();
    userId = created.userId;
    binding =
      api === 'v2'
        ? zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken, retry: 0 })
        : zitadelSelf({ baseUrl: server.urls.zitadel, token: created.token, retry: 0 });
    user = api === 'v2' ? { userId } : {};
  });

  it('bind A, verify, bind B, verify, get: B verified, A no longer bound; replaces named A', async () => {
    const first = pending(await binding.bind({ ...user, phoneNumber: A }));
    expect(first).not.toHaveProperty('replaces');
    await binding.verify({ ticket: first.ticket, code: codeFor(A) });
    const second = pending(await binding.bind({ ...user, phoneNumber: B }));
    expect(second.replaces?.e164).toBe(A);
    // change: 'immediate' — Zitadel holds B, unverified, while the code is out.
    expect(await binding.get(user)).toMatchObject({ state: 'unverified', phone: { e164: B } });
    await binding.verify({ ticket: second.ticket, code: codeFor(B) });
    expect(await binding.get(user)).toMatchObject({ state: 'verified', phone: { e164: B } });
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: B, isVerified: true });
  });

  it('the same verified number again answers it bound and sends nothing', async () => {
    const first = pending(await binding.bind({ ...user, phoneNumber: A }));
    await binding.verify({ ticket: first.ticket, code: codeFor(A) });
    const sent = fakes.outbox.length;
    expect(await binding.bind({ ...user, phoneNumber: A })).toMatchObject({ state: 'verified' });
    expect(fakes.outbox.length).toBe(sent);
  });

  it('secondFactor: enrolled once the code is right, not before', async () => {
    const p = pending(await binding.bind({ ...user, phoneNumber: A, secondFactor: true }));
    expect(fakes.zitadel.user(userId)?.otpSms).toBe(false);
    expect(await binding.verify({ ticket: p.ticket, code: codeFor(A) })).toMatchObject({
      state: 'verified',
      secondFactor: true,
    });
    expect(fakes.zitadel.user(userId)?.otpSms).toBe(true);
  });

  it('a factor set up already is success; binding again sends no SMS', async () => {
    const p = pending(await binding.bind({ ...user, phoneNumber: A, secondFactor: true }));
    await binding.verify({ ticket: p.ticket, code: codeFor(A) });
    const sent = fakes.outbox.length;
    expect(await binding.bind({ ...user, phoneNumber: A, secondFactor: true })).toMatchObject({
      state: 'verified',
      secondFactor: true,
    });
    expect(fakes.outbox.length).toBe(sent);
  });

  it('a change keeps the factor (it uses the latest verified number), remove drops it', async () => {
    const p = pending(await binding.bind({ ...user, phoneNumber: A, secondFactor: true }));
    await binding.verify({ ticket: p.ticket, code: codeFor(A) });
    const change = pending(await binding.bind({ ...user, phoneNumber: B }));
    await binding.verify({ ticket: change.ticket, code: codeFor(B) });
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: B, otpSms: true });
    const before = fakes.requests.length;
    await binding.remove({ ...user, phoneNumber: B });
    expect(fakes.requests.length).toBe(before + 2); // the check, the DELETE of the phone
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: '', otpSms: false });
    expect(await binding.get(user)).toBeNull();
  });
});

describe('zitadel (user service v2): verified: true with the second factor', () => {
  it('enrols at once, without an SMS', async () => {
    const { userId } = fakes.zitadel.createUser({ phone: A, isVerified: true });
    const binding = zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken });
    const sent = fakes.outbox.length;
    expect(await binding.bind({ userId, phoneNumber: B, verified: true, secondFactor: true })).toMatchObject({
      state: 'verified',
      phone: { e164: B },
      secondFactor: true,
    });
    expect(fakes.outbox.length).toBe(sent);
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: B, isVerified: true, otpSms: true });
  });
});

describe('the fake OTP SMS endpoints', () => {
  it.each([
    ['v2', (userId: string) => `/v2/users/${userId}/otp_sms`],
    ['v1', () => '/auth/v1/users/me/auth_factors/otp_sms'],
  ] as const)('%s: NotReady without a verified phone, AlreadyExists, NotFound', async (api, path) => {
    const created = fakes.zitadel.createUser({ phone: A });
    const token = api === 'v2' ? fakes.zitadel.adminToken : created.token;
    const at = path(created.userId);
    expect(await call('POST', at, token)).toEqual({ status: 400, body: grpcBody(9, 'COMMAND-Q54j2') });
    expect(await call('DELETE', at, token)).toEqual({ status: 404, body: grpcBody(5, 'COMMAND-Sr3h3') });

    const verified = fakes.zitadel.createUser({ phone: A, isVerified: true });
    const vToken = api === 'v2' ? fakes.zitadel.adminToken : verified.token;
    const vAt = path(verified.userId);
    expect((await call('POST', vAt, vToken)).status).toBe(200);
    expect(fakes.zitadel.user(verified.userId)?.otpSms).toBe(true);
    expect(await call('POST', vAt, vToken)).toEqual({ status: 409, body: grpcBody(6, 'COMMAND-Ad3g2') });
    const removed = await call('DELETE', vAt, vToken);
    expect(removed).toEqual({ status: 200, body: { details: expect.any(Object) } });
    expect(fakes.zitadel.user(verified.userId)?.otpSms).toBe(false);
  });

  it('v2 needs user.write on another user', async () => {
    const { userId } = fakes.zitadel.createUser({ phone: A, isVerified: true });
    const readOnly = fakes.zitadel.createToken({ permissions: ['user.read'] });
    expect((await call('POST', `/v2/users/${userId}/otp_sms`, readOnly)).status).toBe(403);
  });
});
