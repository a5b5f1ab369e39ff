import { describe, expect, it } from 'vitest';
import {
  SUPABASE_ADMIN_CAPABILITIES,
  SUPABASE_CAPABILITIES,
  supabase,
  supabaseAdmin,
} from '../../adapters/supabase/index.js';
import type { PhoneBinding } from '../../src/index.js';
import { expectRefusedOf } from '../support/requests.js';
import { newTicket } from '../support/tickets.js';
import {
  ACCESS_TOKEN,
  API_KEY,
  BASE,
  CODE,
  DIGITS,
  expectAdminRequest,
  expectNoLeak,
  expectUserRequest,
  gotrueError,
  OTHER_PHONE,
  PHONE,
  PHONE_IDENTITY,
  PHONE_NUMBER,
  rejection,
  SECRET_KEY,
  SESSION_ACCESS,
  SESSION_REFRESH,
  USER_ID,
  useMockSupabase,
  user,
  withPhone,
} from './helpers.js';

const OTHER_DIGITS = OTHER_PHONE.slice(1);

function userScope(options: Record<string, unknown> = {}): PhoneBinding {
  return supabase({ baseUrl: BASE, apiKey: API_KEY, accessToken: ACCESS_TOKEN, retry: 0, ...options });
}
function admin(options: Record<string, unknown> = {}): PhoneBinding {
  return supabaseAdmin({ baseUrl: BASE, secretKey: SECRET_KEY, retry: 0, ...options });
}

describe('supabase (user scope) on the wire', () => {
  const mock = useMockSupabase();
  const expectRefused = expectRefusedOf(mock.requests);

  it('bind: GET /user, then PUT /user {phone}; pending while new_phone holds it, expiresAt = +60 s', async () => {
    mock.reply(
      { json: user() },
      { json: user({ new_phone: DIGITS, phone_change_sent_at: '2025-01-01T00:00:00Z' }) },
    );
    const before = Date.now();
    const result = await userScope().bind({ phoneNumber: '+41 79 123 45 67' });
    expect(result).toMatchObject({
      state: 'pending',
      purpose: 'bind',
      provider: 'supabase',
      phone: PHONE_NUMBER,
    });
    expect(result).not.toHaveProperty('replaces');
    const ticket = result.state === 'pending' ? result.ticket : undefined;
    const expires = Date.parse(ticket?.expiresAt ?? '');
    expect(expires - before).toBeGreaterThanOrEqual(60_000);
    expect(expires - before).toBeLessThan(62_000);
    expect(ticket?.data).toBeUndefined();
    expectUserRequest(mock.requests[0], 'GET', '/auth/v1/user');
    expectUserRequest(mock.requests[1], 'PUT', '/auth/v1/user', { phone: PHONE });
    expect(mock.requests).toHaveLength(2);
  });

  it('otpExpiry sets the ticket lifetime; a baseUrl ending in /auth/v1 is Auth’s root', async () => {
    mock.reply({ json: user() }, { json: user({ new_phone: DIGITS }) });
    const result = await userScope({ baseUrl: `${BASE}/auth/v1`, otpExpiry: 300 }).bind({
      phoneNumber: PHONE,
    });
    const ticket = result.state === 'pending' ? result.ticket : undefined;
    expect(Date.parse(ticket?.expiresAt ?? '') - Date.now()).toBeGreaterThan(290_000);
    expectUserRequest(mock.requests[1], 'PUT', '/auth/v1/user', { phone: PHONE });
  });

  it('a change names the number it replaces (change on-verify: phone stays, new_phone pending)', async () => {
    mock.reply({ json: withPhone(DIGITS) }, { json: { ...withPhone(DIGITS), new_phone: OTHER_DIGITS } });
    const result = await userScope().bind({ phoneNumber: OTHER_PHONE });
    expect(result).toMatchObject({
      state: 'pending',
      phone: { e164: OTHER_PHONE },
      replaces: { e164: PHONE },
    });
  });

  it('the same verified number again: bound, no PUT (no SMS)', async () => {
    mock.reply({ json: withPhone(DIGITS) });
    const result = await userScope().bind({ phoneNumber: PHONE });
    expect(result).toEqual({
      state: 'verified',
      provider: 'supabase',
      phone: PHONE_NUMBER,
      id: PHONE_IDENTITY,
    });
    expect(mock.requests).toHaveLength(1);
  });

  it('the same unconfirmed number: answered unverified, nothing sent (GoTrue would send nothing)', async () => {
    mock.reply({ json: withPhone(DIGITS, false) });
    const result = await userScope().bind({ phoneNumber: PHONE });
    expect(result).toMatchObject({ state: 'unverified', phone: PHONE_NUMBER });
    expect(mock.requests).toHaveLength(1);
  });

  it('SMS autoconfirm: the PUT answer holds the number confirmed → bound verified at once', async () => {
    mock.reply({ json: user() }, { json: withPhone(DIGITS) });
    const result = await userScope().bind({ phoneNumber: PHONE });
    expect(result).toMatchObject({ state: 'verified', phone: PHONE_NUMBER, id: PHONE_IDENTITY });
  });

  it('a PUT answer holding the number nowhere is invalid_response', async () => {
    mock.reply({ json: user() }, { json: user() });
    expect(await rejection(userScope().bind({ phoneNumber: PHONE }))).toMatchObject({
      code: 'invalid_response',
    });
  });

  it('bind never repeats the PUT (it sends an SMS), even with retries', async () => {
    mock.reply({ json: user() }, { status: 503, json: gotrueError('unexpected_failure', 'down') });
    const error = await rejection(userScope({ retry: 2 }).bind({ phoneNumber: PHONE }));
    expect(error).toMatchObject({ code: 'provider_error', status: 503, retryable: false });
    expect(mock.requests).toHaveLength(2);
  });

  it('verify: POST /verify {type, phone, token}; the session is dropped and never shows', async () => {
    const session = {
      access_token: SESSION_ACCESS,
      token_type: 'bearer',
      expires_in: 3600,
      expires_at: 1735693200,
      refresh_token: SESSION_REFRESH,
      user: withPhone(DIGITS),
    };
    mock.reply({ json: session });
    const events: unknown[] = [];
    const hooks = { request: (e: unknown) => events.push(e), response: (e: unknown) => events.push(e) };
    const bound = await userScope({ hooks }).verify({ ticket: newTicket('supabase', PHONE), code: CODE });
    expect(bound).toEqual({
      state: 'verified',
      provider: 'supabase',
      phone: PHONE_NUMBER,
      id: PHONE_IDENTITY,
    });
    expectUserRequest(mock.requests[0], 'POST', '/auth/v1/verify', {
      type: 'phone_change',
      phone: PHONE,
      token: CODE,
    });
    expect(mock.requests).toHaveLength(1); // no /logout: dropped, not revoked
    const shown = JSON.stringify([bound, events]);
    expect(shown).not.toContain(SESSION_ACCESS);
    expect(shown).not.toContain(SESSION_REFRESH);
  });

  it('otp_expired after issuedAt + otpExpiry is code_expired (local clock), before it invalid_code', async () => {
    const expired = { status: 403, json: gotrueError('otp_expired', 'Token has expired or is invalid') };
    mock.reply(expired, expired);
    const old = newTicket('supabase', PHONE, { issuedAt: new Date(Date.now() - 61_000).toISOString() });
    expect(await rejection(userScope().verify({ ticket: old, code: CODE }))).toMatchObject({
      code: 'code_expired',
      providerCode: 'otp_expired',
      status: 403,
    });
    expect(
      await rejection(userScope().verify({ ticket: newTicket('supabase', PHONE), code: CODE })),
    ).toMatchObject({
      code: 'invalid_code',
      providerCode: 'otp_expired',
    });
  });

  it('a /verify answer of the wrong shape is invalid_response without the session in it', async () => {
    mock.reply({
      json: { access_token: SESSION_ACCESS, refresh_token: SESSION_REFRESH, user: 'not a user' },
    });
    const error = await rejection(userScope().verify({ ticket: newTicket('supabase', PHONE), code: CODE }));
    expect(error).toMatchObject({ code: 'invalid_response' });
    expectNoLeak(error);
  });

  it('resend repeats PUT /user with the ticket’s number', async () => {
    mock.reply({ json: withPhone(DIGITS) }, { json: { ...withPhone(DIGITS), new_phone: OTHER_DIGITS } });
    const again = await userScope().resend({ ticket: newTicket('supabase', OTHER_PHONE) });
    expect(again).toMatchObject({
      state: 'pending',
      phone: { e164: OTHER_PHONE },
      replaces: { e164: PHONE },
    });
    expectUserRequest(mock.requests[1], 'PUT', '/auth/v1/user', { phone: OTHER_PHONE });
  });

  it('resend of a number the user holds already is invalid_input, nothing sent', async () => {
    mock.reply({ json: withPhone(DIGITS) });
    expect(await rejection(userScope().resend({ ticket: newTicket('supabase', PHONE) }))).toMatchObject({
      code: 'invalid_input',
    });
    expect(mock.requests).toHaveLength(1);
  });

  it('get: "" is null; phone + phone_confirmed_at verified; phone alone unverified', async () => {
    mock.reply(
      { json: user() },
      { json: withPhone(DIGITS) },
      { json: withPhone(DIGITS, false) },
      { json: {} },
    );
    const phones = userScope();
    expect(await phones.get({})).toBeNull();
    expect(await phones.get({})).toMatchObject({ state: 'verified', phone: PHONE_NUMBER });
    expect(await phones.get({})).toMatchObject({ state: 'unverified', phone: PHONE_NUMBER });
    expect(await phones.get({})).toBeNull(); // no field is required by the spec
    expectUserRequest(mock.requests[0], 'GET', '/auth/v1/user');
  });

  it('remove: GET /user, then DELETE /user/identities/{phone identity}', async () => {
    mock.reply({ json: withPhone(DIGITS) }, { json: {} });
    expect(await userScope().remove({ phoneNumber: PHONE })).toEqual({
      state: 'removed',
      provider: 'supabase',
    });
    expectUserRequest(mock.requests[1], 'DELETE', `/auth/v1/user/identities/${PHONE_IDENTITY}`);
  });

  it('remove of another number is not_found; a phone without identity is unsupported', async () => {
    mock.reply({ json: withPhone(DIGITS) }, { json: user({ phone: DIGITS, phone_confirmed_at: 'x' }) });
    expect(await rejection(userScope().remove({ phoneNumber: OTHER_PHONE }))).toMatchObject({
      code: 'not_found',
    });
    expect(await rejection(userScope().remove({}))).toMatchObject({ code: 'unsupported' });
    expect(mock.requests).toHaveLength(2);
  });

  it('secondFactor and verified binds are unsupported before any request', async () => {
    await expectRefused(userScope().bind({ phoneNumber: PHONE, secondFactor: true }), 'unsupported');
    await expectRefused(userScope().bind({ phoneNumber: PHONE, verified: true }), 'unsupported');
  });

  it('capabilities: the code flow with resend and remove, change on-verify; nothing else', () => {
    expect(SUPABASE_CAPABILITIES).toEqual({
      scope: 'user',
      change: 'on-verify',
      codeVerification: true,
      assertVerified: false,
      returnCode: false,
      resend: true,
      get: true,
      remove: true,
      primary: false,
      removeNeedsCode: false,
      secondFactor: false,
      multipleNumbers: false,
    });
    expect(userScope().capabilities).toEqual(SUPABASE_CAPABILITIES);
  });

  it('a code longer than GoTrue’s 10 characters is invalid_input before any request', async () => {
    const ticket = newTicket('supabase', PHONE);
    await expectRefused(userScope().verify({ ticket, code: '12345678901' }), 'invalid_input');
  });
});

describe('supabaseAdmin on the wire', () => {
  const mock = useMockSupabase();
  const expectRefused = expectRefusedOf(mock.requests);

  it('bind: PUT /admin/users/{id} {phone, phone_confirm: true} → verified', async () => {
    mock.reply({ json: withPhone(DIGITS) });
    const bound = await admin().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true });
    expect(bound).toEqual({
      state: 'verified',
      provider: 'supabase-admin',
      phone: PHONE_NUMBER,
      id: PHONE_IDENTITY,
    });
    expectAdminRequest(mock.requests[0], 'PUT', `/auth/v1/admin/users/${USER_ID}`, {
      phone: PHONE,
      phone_confirm: true,
    });
  });

  it('an answer without the confirmed number is invalid_response; never repeated', async () => {
    mock.reply({ json: withPhone(DIGITS, false) });
    expect(
      await rejection(admin({ retry: 2 }).bind({ userId: USER_ID, phoneNumber: PHONE, verified: true })),
    ).toMatchObject({
      code: 'invalid_response',
    });
    expect(mock.requests).toHaveLength(1);
  });

  it('get: GET /admin/users/{id}', async () => {
    mock.reply({ json: withPhone(DIGITS) });
    expect(await admin().get({ userId: USER_ID })).toMatchObject({ state: 'verified', phone: PHONE_NUMBER });
    expectAdminRequest(mock.requests[0], 'GET', `/auth/v1/admin/users/${USER_ID}`);
  });

  it('capabilities: binds as verified and reads; no codes, no resend, no remove', () => {
    expect(SUPABASE_ADMIN_CAPABILITIES).toEqual({
      scope: 'admin',
      change: 'immediate',
      codeVerification: false,
      assertVerified: true,
      returnCode: false,
      resend: false,
      get: true,
      remove: false,
      primary: false,
      removeNeedsCode: false,
      secondFactor: false,
      multipleNumbers: false,
    });
  });

  it('code flow, remove, second factor and a non-UUID userId are refused before any request', async () => {
    await expectRefused(admin().bind({ userId: USER_ID, phoneNumber: PHONE }), 'unsupported');
    await expectRefused(admin().remove({ userId: USER_ID }), 'unsupported');
    await expectRefused(
      admin().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true, secondFactor: true }),
      'unsupported',
    );
    await expectRefused(admin().get({ userId: 'user_42' }), 'invalid_input');
    const ticket = newTicket('supabase-admin', PHONE, { userId: USER_ID });
    await expectRefused(admin().resend({ ticket }), 'unsupported');
  });

  it('refuses browsers unless dangerouslyAllowBrowser', () => {
    const g = globalThis as { window?: unknown };
    g.window = { document: {} };
    try {
      expect(() => admin()).toThrow(/browser/i);
      expect(() => admin({ dangerouslyAllowBrowser: true })).not.toThrow();
      expect(() => userScope()).not.toThrow();
    } finally {
      delete g.window;
    }
  });
});
