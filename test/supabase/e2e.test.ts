import { describe, expect, it, vi } from 'vitest';
import { supabase, supabaseAdmin } from '../../adapters/supabase/index.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { useFakeServer } from '../support/fake-server.js';
import { rejection } from '../support/rejection.js';

const PHONE = '+41791234567';
const OTHER = '+41791234568';

describe('supabase on the fake over loopback HTTP', () => {
  let fakes: FakeBackends;
  let server: FakeServer;
  useFakeServer((started) => ({ fakes, server } = started), { perTest: true });

  const userScope = (accessToken: string) =>
    supabase({ baseUrl: server.urls.supabase, apiKey: fakes.supabase.publishableKey, accessToken });

  it('bind → verify → get → change → verify → remove; the /verify session never reaches the caller', async () => {
    const { userId, accessToken } = fakes.supabase.createUser();
    const phones = userScope(accessToken);
    const pending = await phones.bind({ phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
    if (pending.state !== 'pending') throw new Error('expected pending');
    const bound = await phones.verify({ ticket: pending.ticket, code: fakes.lastCode(PHONE) ?? '' });
    expect(bound).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
    expect(fakes.supabase.user(userId)).toMatchObject({ phone: '41791234567', phoneConfirmed: true });
    const session = fakes.supabase.issuedSessions.at(-1) ?? '';
    expect(session).not.toBe('');
    expect(JSON.stringify(bound)).not.toContain(session);

    const change = await phones.bind({ phoneNumber: OTHER });
    expect(change).toMatchObject({ state: 'pending', replaces: { e164: PHONE } });
    // on-verify: the old number stays, verified, until the code is right.
    expect(await phones.get({})).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
    if (change.state !== 'pending') throw new Error('expected pending');
    await phones.verify({ ticket: change.ticket, code: fakes.lastCode(OTHER) ?? '' });
    expect(await phones.get({})).toMatchObject({ state: 'verified', phone: { e164: OTHER } });
    // The verify carried no /logout (the session is dropped, not revoked).
    expect(fakes.requests.some((r) => r.path.includes('logout'))).toBe(false);

    expect(await phones.remove({ phoneNumber: OTHER })).toEqual({ state: 'removed', provider: 'supabase' });
    expect(await phones.get({})).toBeNull();
  });

  it('a wrong code and an expired one look the same on the wire; the ticket tells expiry first', async () => {
    const { accessToken } = fakes.supabase.createUser();
    const phones = userScope(accessToken);
    const pending = await phones.bind({ phoneNumber: PHONE });
    if (pending.state !== 'pending') throw new Error('expected pending');
    expect(await rejection(phones.verify({ ticket: pending.ticket, code: '000000' }))).toMatchObject({
      code: 'invalid_code',
      providerCode: 'otp_expired',
      status: 403,
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      const before = fakes.requests.length;
      expect(
        await rejection(phones.verify({ ticket: pending.ticket, code: fakes.lastCode() ?? '' })),
      ).toMatchObject({
        code: 'code_expired',
      });
      expect(fakes.requests.length).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resend within 60 s is rate_limited with retryAfterMs from the message', async () => {
    const { accessToken } = fakes.supabase.createUser();
    const phones = userScope(accessToken);
    const pending = await phones.bind({ phoneNumber: PHONE });
    if (pending.state !== 'pending') throw new Error('expected pending');
    const error = await rejection(phones.resend({ ticket: pending.ticket }));
    expect(error).toMatchObject({ code: 'rate_limited', providerCode: 'over_sms_send_rate_limit' });
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('manual linking off: remove is unsupported; the only identity: forbidden', async () => {
    const { accessToken } = fakes.supabase.createUser({ phone: '41791234567', phoneConfirmed: true });
    fakes.supabase.settings.manualLinking = false;
    expect(await rejection(userScope(accessToken).remove({}))).toMatchObject({
      code: 'unsupported',
      status: 404,
    });
    fakes.supabase.settings.manualLinking = true;
    const only = fakes.supabase.createUser({ email: '', phone: '41791234569', phoneConfirmed: true });
    expect(await rejection(userScope(only.accessToken).remove({}))).toMatchObject({ code: 'forbidden' });
  });

  it('SMS autoconfirm binds verified at once, no SMS', async () => {
    fakes.supabase.settings.smsAutoconfirm = true;
    const { accessToken } = fakes.supabase.createUser();
    expect(await userScope(accessToken).bind({ phoneNumber: PHONE })).toMatchObject({ state: 'verified' });
    expect(fakes.outbox).toHaveLength(0);
  });

  it('phone_in_use on a number another user holds', async () => {
    fakes.supabase.createUser({ phone: '41791234567', phoneConfirmed: true });
    const { accessToken } = fakes.supabase.createUser();
    expect(await rejection(userScope(accessToken).bind({ phoneNumber: PHONE }))).toMatchObject({
      code: 'phone_in_use',
    });
  });

  it('admin: binds verified over another number, reads; a taken number is provider_error', async () => {
    const admin = supabaseAdmin({ baseUrl: server.urls.supabase, secretKey: fakes.supabase.secretKey });
    const { userId } = fakes.supabase.createUser({ phone: '41791234567', phoneConfirmed: true });
    expect(await admin.bind({ userId, phoneNumber: OTHER, verified: true })).toMatchObject({
      state: 'verified',
      phone: { e164: OTHER },
    });
    expect(await admin.get({ userId })).toMatchObject({ state: 'verified', phone: { e164: OTHER } });
    const other = fakes.supabase.createUser();
    expect(
      await rejection(admin.bind({ userId: other.userId, phoneNumber: OTHER, verified: true })),
    ).toMatchObject({
      code: 'provider_error',
      providerCode: 'unexpected_failure',
    });
    expect(await rejection(admin.get({ userId: crypto.randomUUID() }))).toMatchObject({ code: 'not_found' });
  });
});
