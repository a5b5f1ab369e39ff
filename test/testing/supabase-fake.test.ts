import { describe, expect, it } from 'vitest';
import { createFakeBackends } from '../../src/testing/index.js';

const KEY_HEADERS = (key: string, bearer?: string) => ({
  apikey: key,
  'content-type': 'application/json',
  ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
});

describe('the Supabase fake', () => {
  it('the gateway wants an apikey it knows', async () => {
    const fakes = createFakeBackends();
    const none = await fakes.fetch(`${fakes.urls.supabase}/auth/v1/user`);
    expect(none.status).toBe(401);
    const bad = await fakes.fetch(`${fakes.urls.supabase}/auth/v1/user`, { headers: { apikey: 'nope' } });
    expect(await bad.json()).toMatchObject({ message: 'Invalid API key' });
  });

  it('GET /user: no Bearer is 401 no_authorization, an unknown one 403 bad_jwt', async () => {
    const fakes = createFakeBackends();
    const key = fakes.supabase.publishableKey;
    const a = await fakes.fetch(`${fakes.urls.supabase}/auth/v1/user`, { headers: KEY_HEADERS(key) });
    expect([a.status, (await a.json()).code]).toEqual([401, 'no_authorization']);
    const b = await fakes.fetch(`${fakes.urls.supabase}/auth/v1/user`, { headers: KEY_HEADERS(key, 'x') });
    expect([b.status, (await b.json()).code]).toEqual([403, 'bad_jwt']);
  });

  it('PUT /user holds the change in new_phone (digits, no +) and sends a 6-digit code; rejects bad numbers', async () => {
    const fakes = createFakeBackends();
    const { userId, accessToken } = fakes.supabase.createUser({ phone: '41781112233', phoneConfirmed: true });
    const headers = KEY_HEADERS(fakes.supabase.publishableKey, accessToken);
    const bad = await fakes.fetch(`${fakes.urls.supabase}/auth/v1/user`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ phone: '0041-79' }),
    });
    expect([bad.status, (await bad.json()).code]).toEqual([400, 'validation_failed']);
    const ok = await fakes.fetch(`${fakes.urls.supabase}/auth/v1/user`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ phone: '+41791234567' }),
    });
    expect(await ok.json()).toMatchObject({
      phone: '41781112233',
      new_phone: '41791234567',
      phone_confirmed_at: expect.any(String),
    });
    expect(fakes.supabase.pendingCode(userId)?.value).toMatch(/^\d{6}$/);
    expect(fakes.outbox.at(-1)).toMatchObject({ provider: 'supabase', to: '+41791234567' });
    const again = await fakes.fetch(`${fakes.urls.supabase}/auth/v1/user`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ phone: '+41791234567' }),
    });
    expect(again.status).toBe(429);
    expect((await again.json()).message).toMatch(/after \d+ seconds/);
  });

  it('POST /verify: every failure is 403 otp_expired; success issues a session', async () => {
    const fakes = createFakeBackends();
    const { accessToken } = fakes.supabase.createUser();
    const headers = KEY_HEADERS(fakes.supabase.publishableKey, accessToken);
    await fakes.fetch(`${fakes.urls.supabase}/auth/v1/user`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ phone: '+41791234567' }),
    });
    const verify = (body: unknown) =>
      fakes.fetch(`${fakes.urls.supabase}/auth/v1/verify`, {
        method: 'POST',
        headers: KEY_HEADERS(fakes.supabase.publishableKey),
        body: JSON.stringify(body),
      });
    for (const body of [
      { type: 'phone_change', phone: '+41791234567', token: '000000' },
      { type: 'sms', phone: '+41791234567', token: fakes.lastCode() },
      { type: 'phone_change', phone: '+41791234568', token: fakes.lastCode() },
    ]) {
      const answer = await verify(body);
      expect([answer.status, (await answer.json()).code]).toEqual([403, 'otp_expired']);
    }
    const ok = await verify({ type: 'phone_change', phone: '+41791234567', token: fakes.lastCode() });
    expect(await ok.json()).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      user: { phone: '41791234567' },
    });
    expect(fakes.supabase.issuedSessions).toHaveLength(1);
  });

  it('admin routes want the secret key as Bearer; phone_confirm: false never unconfirms', async () => {
    const fakes = createFakeBackends();
    const { userId, accessToken } = fakes.supabase.createUser({ phone: '41781112233', phoneConfirmed: true });
    const url = `${fakes.urls.supabase}/auth/v1/admin/users/${userId}`;
    const user = await fakes.fetch(url, { headers: KEY_HEADERS(fakes.supabase.publishableKey, accessToken) });
    expect([user.status, (await user.json()).code]).toEqual([403, 'not_admin']);
    const key = fakes.supabase.secretKey;
    const put = await fakes.fetch(url, {
      method: 'PUT',
      headers: KEY_HEADERS(key, key),
      body: JSON.stringify({ phone: '+41791234567', phone_confirm: false }),
    });
    expect(await put.json()).toMatchObject({ phone: '41791234567', phone_confirmed_at: expect.any(String) });
    const notUuid = await fakes.fetch(`${fakes.urls.supabase}/auth/v1/admin/users/42`, {
      headers: KEY_HEADERS(key, key),
    });
    expect([notUuid.status, (await notUuid.json()).code]).toEqual([404, 'validation_failed']);
  });
});
