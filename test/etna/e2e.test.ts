/** The ETNA adapter end to end against the fake ETNA served over real HTTP on 127.0.0.1. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { etna } from '../../adapters/etna/index.js';
import type { PendingVerification, PhoneBinding } from '../../src/index.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { useFakeServer } from '../support/fake-server.js';
import { rejection } from '../support/rejection.js';

const PHONE = '+12133734253';
let fakes: FakeBackends;
let server: FakeServer;
let binding: PhoneBinding;
let userId: string;

useFakeServer((started) => ({ fakes, server } = started));
afterEach(() => vi.useRealTimers());
beforeEach(() => {
  binding = etna({
    baseUrl: server.urls.etna,
    token: fakes.etna.adminToken,
    appKey: fakes.etna.appKey,
    retry: 0,
  });
  ({ userId } = fakes.etna.createUser());
});

async function pending(phoneNumber = PHONE): Promise<PendingVerification> {
  const result = await binding.bind({ userId, phoneNumber });
  expect(result.state).toBe('pending');
  return result as PendingVerification;
}

describe('etna over loopback HTTP', () => {
  it('binds (query %2B on the wire), verifies with the token id, reads and removes', async () => {
    const p = await pending('+1 (213) 373-4253');
    expect(p.ticket.data).toEqual({ tokenId: expect.any(Number) });
    expect(fakes.etna.user(userId)).toMatchObject({ phone: PHONE, state: 'NotVerified' });
    expect(fakes.outbox.at(-1)).toMatchObject({ provider: 'etna', to: PHONE });
    expect(await binding.get({ userId })).toMatchObject({ state: 'unverified', phone: { e164: PHONE } });
    await binding.verify({ ticket: p.ticket, code: fakes.lastCode(PHONE)! });
    expect(fakes.etna.user(userId)).toMatchObject({ state: 'Active' });
    expect(await binding.get({ userId })).toMatchObject({
      state: 'verified',
      phone: { e164: PHONE, country: 'US' },
    });
    expect(await binding.remove({ userId })).toEqual({ state: 'removed', provider: 'etna' });
    expect(fakes.etna.user(userId)).toMatchObject({ phone: null, state: 'NotLinked' });
    expect(await binding.get({ userId })).toBeNull();
  });

  it('resend issues a new token id and retires the old ticket', async () => {
    const first = await pending();
    const oldCode = fakes.lastCode()!;
    const second = await binding.resend({ ticket: first.ticket });
    expect(second.ticket.data?.tokenId).not.toBe(first.ticket.data?.tokenId);
    expect(await rejection(binding.verify({ ticket: first.ticket, code: oldCode }))).toMatchObject({
      code: 'invalid_code',
      status: 400,
    });
    await expect(binding.verify({ ticket: second.ticket, code: fakes.lastCode()! })).resolves.toMatchObject({
      state: 'verified',
    });
  });

  it('wrong, expired and locked codes are invalid_code (400 on verify)', async () => {
    const p = await pending();
    expect(await rejection(binding.verify({ ticket: p.ticket, code: '000000' }))).toMatchObject({
      code: 'invalid_code',
    });
    expect(fakes.etna.pendingCode(p.ticket.data?.tokenId as number)?.attempts).toBe(1);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 60 * 1000);
    expect(await rejection(binding.verify({ ticket: p.ticket, code: fakes.lastCode()! }))).toMatchObject({
      code: 'invalid_code',
      status: 400,
    });
  });

  it('an unknown token id → not_found (404)', async () => {
    const p = await pending();
    const ticket = { ...p.ticket, data: { tokenId: 999999 } };
    expect(await rejection(binding.verify({ ticket, code: '123456' }))).toMatchObject({
      code: 'not_found',
      status: 404,
    });
  });

  it('a wrong app key and a refused token → unauthenticated (401)', async () => {
    const badKey = etna({ baseUrl: server.urls.etna, token: fakes.etna.adminToken, appKey: 'nope' });
    expect(await rejection(badKey.get({ userId }))).toMatchObject({ code: 'unauthenticated', status: 401 });
    const badToken = etna({ baseUrl: server.urls.etna, token: 'nope', appKey: fakes.etna.appKey });
    expect(await rejection(badToken.get({ userId }))).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('a user token may act on its own user only', async () => {
    const own = fakes.etna.createUser();
    const self = etna({ baseUrl: server.urls.etna, token: own.token, appKey: fakes.etna.appKey });
    expect(await self.get({ userId: own.userId })).toBeNull();
    expect(await rejection(self.get({ userId }))).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('a user id ETNA does not know → provider_error (500 IsSucceed:false), retryable', async () => {
    expect(await rejection(binding.get({ userId: '999999' }))).toMatchObject({
      code: 'provider_error',
      status: 500,
      retryable: true,
      details: { IsSucceed: false, StatusCode: 500 },
    });
  });

  it('an unsupported apiVersion → provider_error UnsupportedApiVersion', async () => {
    const v2 = etna({
      baseUrl: server.urls.etna,
      token: fakes.etna.adminToken,
      appKey: fakes.etna.appKey,
      apiVersion: '2.0',
    });
    expect(await rejection(v2.get({ userId }))).toMatchObject({
      code: 'provider_error',
      status: 404,
      providerCode: 'UnsupportedApiVersion',
    });
  });

  it('remove({ phoneNumber }) refuses another number without deleting', async () => {
    const p = await pending();
    await binding.verify({ ticket: p.ticket, code: fakes.lastCode()! });
    expect(await rejection(binding.remove({ userId, phoneNumber: '+41791234567' }))).toMatchObject({
      code: 'not_found',
    });
    expect(fakes.etna.user(userId)).toMatchObject({ phone: PHONE, state: 'Active' });
  });

  it('a Suspended number reads as unverified', async () => {
    const suspended = fakes.etna.createUser({ phone: PHONE, state: 'Suspended' });
    expect(await binding.get({ userId: suspended.userId })).toMatchObject({ state: 'unverified' });
  });

  it('the SMS-sending PUT is never retried, even at retry 2', async () => {
    const retrying = etna({
      baseUrl: server.urls.etna,
      token: fakes.etna.adminToken,
      appKey: fakes.etna.appKey,
    });
    fakes.injectFault({ backend: 'etna', method: 'PUT', status: 503, body: 'busy' });
    const before = fakes.requests.length;
    const sent = fakes.outbox.length;
    expect(await rejection(retrying.bind({ userId, phoneNumber: PHONE }))).toMatchObject({
      code: 'provider_error',
      status: 503,
    });
    // The read, then the one PUT.
    expect(fakes.requests.length).toBe(before + 2);
    expect(fakes.outbox.length).toBe(sent);
  });
});

describe('etna: changing a number over loopback HTTP (change: immediate)', () => {
  const OTHER = '+12133734254';

  async function bound(phoneNumber: string): Promise<void> {
    const p = await pending(phoneNumber);
    await binding.verify({ ticket: p.ticket, code: fakes.lastCode(p.phone.e164)! });
  }

  it('bind A, verify, bind B: pending replaces A; get() answers B unverified; verify: B verified', async () => {
    expect(binding.capabilities.change).toBe('immediate');
    await bound(PHONE);
    const change = await pending(OTHER);
    expect(change.replaces).toMatchObject({ e164: PHONE, country: 'US' });
    expect(change.phone.e164).toBe(OTHER);
    // ETNA swapped at once: the old number is gone, the new one is held NotVerified.
    expect(fakes.etna.user(userId)).toMatchObject({ phone: OTHER, state: 'NotVerified' });
    expect(await binding.get({ userId })).toMatchObject({ state: 'unverified', phone: { e164: OTHER } });
    expect(fakes.outbox.at(-1)).toMatchObject({ provider: 'etna', to: OTHER });
    await expect(
      binding.verify({ ticket: change.ticket, code: fakes.lastCode(OTHER)! }),
    ).resolves.toMatchObject({ state: 'verified', phone: { e164: OTHER } });
    expect(await binding.get({ userId })).toMatchObject({ state: 'verified', phone: { e164: OTHER } });
    expect(fakes.etna.user(userId)).toMatchObject({ phone: OTHER, state: 'Active' });
  });

  it('the read goes out before the PUT, with both credentials', async () => {
    await bound(PHONE);
    const before = fakes.requests.length;
    await pending(OTHER);
    const path = `/v1.0/users/${userId}/subscriptions/settings/phonenumber`;
    const headers = {
      authorization: `Bearer ${fakes.etna.adminToken}`,
      'et-app-key': fakes.etna.appKey,
      accept: 'application/json',
    };
    expect(fakes.requests.slice(before)).toEqual([
      expect.objectContaining({ backend: 'etna', method: 'GET', path, query: {}, body: undefined }),
      expect.objectContaining({ backend: 'etna', method: 'PUT', path, query: { phoneNumber: OTHER } }),
    ]);
    for (const r of fakes.requests.slice(before)) expect(r.headers).toMatchObject(headers);
  });

  it('binding the number the user already has, verified, answers it bound and sends nothing', async () => {
    await bound(PHONE);
    const before = fakes.requests.length;
    const sms = fakes.outbox.length;
    expect(await binding.bind({ userId, phoneNumber: '+1 213-373-4253' })).toMatchObject({
      state: 'verified',
      phone: { e164: PHONE },
    });
    expect(fakes.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
    expect(fakes.outbox.length).toBe(sms);
    expect(fakes.etna.user(userId)).toMatchObject({ phone: PHONE, state: 'Active' });
  });

  it('a change never verified leaves the new number unverified; the old one is not bound any more', async () => {
    await bound(PHONE);
    await pending(OTHER);
    expect(await binding.get({ userId })).toMatchObject({ state: 'unverified', phone: { e164: OTHER } });
    // Binding A again is a change back (it replaces the pending B) and sends a new code.
    const back = await pending(PHONE);
    expect(back.replaces?.e164).toBe(OTHER);
  });

  it('a ticket of a number replaced before it was verified no longer verifies', async () => {
    const first = await pending(PHONE);
    const firstCode = fakes.lastCode(PHONE)!;
    await pending(OTHER);
    expect(await rejection(binding.verify({ ticket: first.ticket, code: firstCode }))).toMatchObject({
      code: 'invalid_code',
      status: 400,
    });
    expect(fakes.etna.user(userId)).toMatchObject({ phone: OTHER, state: 'NotVerified' });
  });

  it('the user’s own token changes its own number the same way', async () => {
    const own = fakes.etna.createUser({ phone: PHONE });
    const self = etna({ baseUrl: server.urls.etna, token: async () => own.token, appKey: fakes.etna.appKey });
    const change = await self.bind({ userId: own.userId, phoneNumber: OTHER });
    if (change.state !== 'pending') throw new Error('expected pending');
    expect(change.replaces?.e164).toBe(PHONE);
    await self.verify({ ticket: change.ticket, code: fakes.lastCode(OTHER)! });
    expect(await self.get({ userId: own.userId })).toMatchObject({
      state: 'verified',
      phone: { e164: OTHER },
    });
  });
});
