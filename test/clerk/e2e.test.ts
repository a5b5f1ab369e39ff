/** The Clerk adapter end to end against the fake Clerk Backend API over real HTTP on 127.0.0.1. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clerk } from '../../adapters/clerk/index.js';
import type { PendingVerification, PhoneBinding } from '../../src/index.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { useFakeServer } from '../support/fake-server.js';
import { rejection } from '../support/rejection.js';

const PHONE = '+12133734253';
let fakes: FakeBackends;
let server: FakeServer;
let binding: PhoneBinding;
let userId: string;

useFakeServer((started) => ({ fakes, server } = started), { perTest: true });
beforeEach(() => {
  binding = clerk({ baseUrl: server.urls.clerk, secretKey: fakes.clerk.secretKey, retry: 0 });
  ({ userId } = fakes.clerk.createUser());
});
afterEach(() => vi.useRealTimers());

async function pending(extra: { primary?: boolean } = {}): Promise<PendingVerification> {
  const result = await binding.bind({ userId, phoneNumber: '+1 213 373 4253', ...extra });
  expect(result.state).toBe('pending');
  return result as PendingVerification;
}

describe('clerk over loopback HTTP', () => {
  it('binds verified at once, with an idn_ id and primary', async () => {
    const bound = await binding.bind({ userId, phoneNumber: PHONE, verified: true, primary: true });
    expect(bound).toMatchObject({
      state: 'verified',
      provider: 'clerk',
      id: expect.stringMatching(/^idn_/),
      primary: true,
    });
    expect(fakes.clerk.user(userId)?.primary_phone_number_id).toBe((bound as { id: string }).id);
    expect(fakes.outbox.length).toBe(0);
  });

  it('code flow: create unverified, prepare, attempt; a wrong code (HTTP 200) is invalid_code', async () => {
    const p = await pending();
    expect(p.ticket.data).toMatchObject({
      phoneNumberId: expect.stringMatching(/^idn_/),
      verificationId: expect.any(String),
    });
    expect(Date.parse(p.ticket.expiresAt!)).toBeGreaterThan(Date.now());
    expect(await binding.get({ userId })).toMatchObject({ state: 'unverified', primary: true });
    expect(await rejection(binding.verify({ ticket: p.ticket, code: '000000' }))).toMatchObject({
      code: 'invalid_code',
      providerCode: 'unverified',
    });
    const bound = await binding.verify({ ticket: p.ticket, code: fakes.lastCode(PHONE)! });
    expect(bound).toMatchObject({ state: 'verified', id: p.ticket.data?.phoneNumberId });
    expect(await binding.get({ userId })).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
  });

  it('a second submit of the accepted code reads the number back as verified', async () => {
    const p = await pending();
    const code = fakes.lastCode()!;
    await binding.verify({ ticket: p.ticket, code });
    expect(await binding.verify({ ticket: p.ticket, code })).toMatchObject({ state: 'verified' });
  });

  it('three wrong codes → too_many_attempts; an expired code → code_expired', async () => {
    const p = await pending();
    for (let i = 0; i < 2; i += 1) await rejection(binding.verify({ ticket: p.ticket, code: '000000' }));
    expect(await rejection(binding.verify({ ticket: p.ticket, code: '000000' }))).toMatchObject({
      code: 'too_many_attempts',
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    const again = await binding.resend({ ticket: p.ticket });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    // The ticket knows its expiry: refused locally, without a request.
    const before = fakes.requests.length;
    expect(await rejection(binding.verify({ ticket: again.ticket, code: fakes.lastCode()! }))).toMatchObject({
      code: 'code_expired',
    });
    expect(fakes.requests.length).toBe(before);
  });

  it('Clerk reports an expired code itself when the ticket has no expiry', async () => {
    const p = await pending();
    const { expiresAt: _, ...ticket } = p.ticket;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    expect(await rejection(binding.verify({ ticket, code: fakes.lastCode()! }))).toMatchObject({
      code: 'code_expired',
      providerCode: 'expired',
    });
  });

  it('resend within 30 s → rate_limited with retryAfterMs from Retry-After', async () => {
    const p = await pending();
    const e = await rejection(binding.resend({ ticket: p.ticket }));
    expect(e).toMatchObject({
      code: 'rate_limited',
      status: 429,
      providerCode: 'verification_code_too_many_requests',
    });
    expect(e.retryAfterMs).toBeGreaterThanOrEqual(29_000);
  });

  it('primary asked on a code flow is applied once verified', async () => {
    fakes.clerk.createUser();
    const other = await binding.bind({ userId, phoneNumber: '+12133734254', verified: true });
    const p = await pending({ primary: true });
    expect(fakes.clerk.user(userId)?.primary_phone_number_id).toBe((other as { id: string }).id);
    const bound = await binding.verify({ ticket: p.ticket, code: fakes.lastCode(PHONE)! });
    expect(bound.primary).toBe(true);
    expect(fakes.clerk.user(userId)?.primary_phone_number_id).toBe(p.ticket.data?.phoneNumberId);
  });

  it('someone else’s number → phone_in_use; the user’s own is reused', async () => {
    fakes.clerk.createUser({ phoneNumbers: ['+12133734255'] });
    expect(await rejection(binding.bind({ userId, phoneNumber: '+12133734255' }))).toMatchObject({
      code: 'phone_in_use',
      status: 422,
      providerCode: 'form_identifier_exists',
      requestId: expect.stringMatching(/^trace_/),
    });
    const first = await pending();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    const second = await pending();
    expect(second.ticket.data?.phoneNumberId).toBe(first.ticket.data?.phoneNumberId);
    expect(fakes.clerk.user(userId)?.phone_numbers).toHaveLength(1);
    expect(await binding.bind({ userId, phoneNumber: PHONE, verified: true })).toMatchObject({
      state: 'verified',
    });
  });

  it('remove deletes the primary, or the number named', async () => {
    await binding.bind({ userId, phoneNumber: PHONE, verified: true });
    await binding.bind({
      userId,
      phoneNumber: '+12133734256',
      verified: true,
      keepPrevious: true,
      primary: false,
    });
    expect(await binding.remove({ userId, phoneNumber: '+1 213 373 4256' })).toEqual({
      state: 'removed',
      provider: 'clerk',
    });
    expect(fakes.clerk.user(userId)?.phone_numbers.map((p) => p.phone_number)).toEqual([PHONE]);
    await binding.remove({ userId });
    expect(await binding.get({ userId })).toBeNull();
    expect(await rejection(binding.remove({ userId }))).toMatchObject({ code: 'not_found' });
  });

  it('an unknown user → not_found; a revoked key → unauthenticated', async () => {
    expect(await rejection(binding.get({ userId: 'user_gone' }))).toMatchObject({
      code: 'not_found',
      status: 404,
      providerCode: 'resource_not_found',
    });
    const revoked = clerk({ baseUrl: server.urls.clerk, secretKey: 'sk_test_revoked' });
    expect(await rejection(revoked.get({ userId }))).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('sends the Clerk-API-Version the spec names', async () => {
    await binding.get({ userId });
    expect(fakes.requests.at(-1)?.headers['clerk-api-version']).toBe('2026-05-12');
  });
});

const NEW = '+12133734257';

describe('clerk over loopback HTTP: changing a number', () => {
  let oldId: string;
  beforeEach(async () => {
    const bound = await binding.bind({ userId, phoneNumber: PHONE, verified: true });
    oldId = (bound as { id: string }).id;
  });

  const numbers = () => fakes.clerk.user(userId)?.phone_numbers.map((p) => p.phone_number);

  it('bind B, verify: get() answers A while pending, then B verified; A is deleted', async () => {
    const p = (await binding.bind({ userId, phoneNumber: NEW })) as PendingVerification;
    expect(p).toMatchObject({ state: 'pending', replaces: { e164: PHONE } });
    expect(await binding.get({ userId })).toMatchObject({
      state: 'verified',
      phone: { e164: PHONE },
      primary: true,
    });
    const bound = await binding.verify({ ticket: p.ticket, code: fakes.lastCode(NEW)! });
    expect(bound).toMatchObject({ state: 'verified', phone: { e164: NEW }, primary: true });
    expect(await binding.get({ userId })).toMatchObject({
      state: 'verified',
      phone: { e164: NEW },
      primary: true,
    });
    expect(numbers()).toEqual([NEW]);
  });

  it('a change never verified leaves A in place', async () => {
    await binding.bind({ userId, phoneNumber: NEW });
    expect(await binding.get({ userId })).toMatchObject({ phone: { e164: PHONE }, id: oldId });
  });

  it('keepPrevious keeps A as a secondary number', async () => {
    const p = (await binding.bind({ userId, phoneNumber: NEW, keepPrevious: true })) as PendingVerification;
    await binding.verify({ ticket: p.ticket, code: fakes.lastCode(NEW)! });
    expect(await binding.get({ userId })).toMatchObject({ phone: { e164: NEW }, primary: true });
    expect(numbers()).toEqual([PHONE, NEW]);
  });

  it('verified: true swaps at once; binding the held number again sends nothing', async () => {
    expect(await binding.bind({ userId, phoneNumber: NEW, verified: true })).toMatchObject({ primary: true });
    expect(numbers()).toEqual([NEW]);
    const before = fakes.requests.length;
    expect(await binding.bind({ userId, phoneNumber: NEW })).toMatchObject({
      state: 'verified',
      primary: true,
    });
    expect(fakes.requests.length - before).toBe(1);
    expect(fakes.outbox.length).toBe(0);
  });

  it('the PATCH failing leaves A primary and verified; a second verify finishes the change', async () => {
    const p = (await binding.bind({ userId, phoneNumber: NEW })) as PendingVerification;
    fakes.injectFault({
      backend: 'clerk',
      method: 'PATCH',
      status: 403,
      body: { errors: [{ code: 'authorization_invalid', message: 'no', long_message: 'no' }] },
    });
    const code = fakes.lastCode(NEW)!;
    expect(await rejection(binding.verify({ ticket: p.ticket, code }))).toMatchObject({ code: 'forbidden' });
    expect(fakes.clerk.user(userId)?.primary_phone_number_id).toBe(oldId);
    expect(await binding.get({ userId })).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
    expect(await binding.verify({ ticket: p.ticket, code })).toMatchObject({
      phone: { e164: NEW },
      primary: true,
    });
    expect(numbers()).toEqual([NEW]);
  });

  it('the DELETE failing leaves B primary and A secondary (previousPhoneNumberId); a second verify finishes', async () => {
    const p = (await binding.bind({ userId, phoneNumber: NEW })) as PendingVerification;
    fakes.injectFault({
      backend: 'clerk',
      method: 'DELETE',
      status: 400,
      body: { errors: [{ code: 'identification_deletion_failed', message: 'no', long_message: 'no' }] },
    });
    const code = fakes.lastCode(NEW)!;
    const error = await rejection(binding.verify({ ticket: p.ticket, code }));
    expect(error.details).toMatchObject({ previousPhoneNumberId: oldId });
    expect(await binding.get({ userId })).toMatchObject({
      state: 'verified',
      phone: { e164: NEW },
      primary: true,
    });
    expect(numbers()).toEqual([PHONE, NEW]);
    await binding.verify({ ticket: p.ticket, code });
    expect(numbers()).toEqual([NEW]);
  });
});

describe('clerk over loopback HTTP: the SMS second factor', () => {
  const record = () => fakes.clerk.user(userId)?.phone_numbers[0];

  it('a code flow enrols it once verified; get() reports it; remove() takes it away with the number', async () => {
    const p = (await binding.bind({ userId, phoneNumber: PHONE, secondFactor: true })) as PendingVerification;
    expect(record()?.reserved_for_second_factor).toBe(false);
    expect(await binding.verify({ ticket: p.ticket, code: fakes.lastCode(PHONE)! })).toMatchObject({
      secondFactor: true,
    });
    expect(record()).toMatchObject({ reserved_for_second_factor: true, default_second_factor: true });
    expect(await binding.get({ userId })).toMatchObject({ state: 'verified', secondFactor: true });
    await binding.remove({ userId });
    expect(fakes.clerk.user(userId)?.phone_numbers).toEqual([]);
  });

  it('verified: true enrols it in the create', async () => {
    expect(
      await binding.bind({ userId, phoneNumber: PHONE, verified: true, secondFactor: true }),
    ).toMatchObject({
      secondFactor: true,
    });
    expect(record()?.reserved_for_second_factor).toBe(true);
  });

  it('a change moves the factor: B reserved before A (the old factor) is deleted', async () => {
    await binding.bind({ userId, phoneNumber: PHONE, verified: true, secondFactor: true });
    await binding.bind({ userId, phoneNumber: NEW, verified: true, secondFactor: true });
    expect(fakes.clerk.user(userId)?.phone_numbers).toMatchObject([
      { phone_number: NEW, reserved_for_second_factor: true, default_second_factor: true },
    ]);
  });

  it('the fake refuses to reserve an unverified number, as the document says', async () => {
    await binding.bind({ userId, phoneNumber: PHONE });
    const id = record()?.id;
    const response = await fetch(`${server.urls.clerk}/v1/phone_numbers/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fakes.clerk.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reserved_for_second_factor: true, primary: true }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: [{ code: 'identification_update_second_factor_unverified' }],
    });
    expect(record()?.reserved_for_second_factor).toBe(false);
  });
});
