/** The fake Authing answers HTTP 200 with a body status, as Authing's v3 API does. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBackends, type FakeBackends } from '../../src/testing/index.js';

let fakes: FakeBackends;
let token: string;
beforeEach(() => {
  fakes = createFakeBackends({ generateCode: () => '482913' });
  ({ token } = fakes.authing.createUser());
});
afterEach(() => vi.useRealTimers());

async function call(method: string, path: string, body?: unknown, auth: string | null = token) {
  const headers: Record<string, string> = {
    'x-authing-app-id': fakes.authing.appId,
    'content-type': 'application/json',
  };
  if (auth !== null) headers.authorization = auth;
  const res = await fakes.fetch(`${fakes.urls.authing}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const sms = { phoneNumber: '18800008888', phoneCountryCode: '+86', channel: 'CHANNEL_BIND_PHONE' };

describe('fake Authing', () => {
  it('send-sms answers {statusCode:200} and throttles one SMS per minute per number and channel', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    expect(await call('POST', '/api/v3/send-sms', sms)).toMatchObject({
      status: 200,
      body: { statusCode: 200 },
    });
    const again = await call('POST', '/api/v3/send-sms', sms);
    expect(again).toMatchObject({ status: 200, body: { statusCode: 429, requestId: expect.any(String) } });
    expect(await call('POST', '/api/v3/send-sms', { ...sms, channel: 'CHANNEL_UNBIND_PHONE' })).toMatchObject(
      {
        body: { statusCode: 200 },
      },
    );
    vi.setSystemTime(Date.now() + 60_000);
    expect(await call('POST', '/api/v3/send-sms', sms)).toMatchObject({ body: { statusCode: 200 } });
    expect(fakes.outbox.map((m) => m.to)).toEqual(['+8618800008888', '+8618800008888', '+8618800008888']);
  });

  it('reads a number without phoneCountryCode as +86 and refuses unknown channels', async () => {
    await call('POST', '/api/v3/send-sms', { phoneNumber: '18800008888', channel: 'CHANNEL_BIND_PHONE' });
    expect(fakes.authing.pendingCode('+8618800008888', 'CHANNEL_BIND_PHONE')).toMatchObject({
      value: '482913',
    });
    expect(await call('POST', '/api/v3/send-sms', { ...sms, channel: 'CHANNEL_NOPE' })).toMatchObject({
      status: 200,
      body: { statusCode: 400 },
    });
  });

  it('bind-phone: wrong code 2001 with attempts counted, right code binds and get-profile shows it', async () => {
    await call('POST', '/api/v3/send-sms', sms);
    const wrong = await call('POST', '/api/v3/bind-phone', { ...sms, passCode: '000000' });
    expect(wrong).toMatchObject({ status: 200, body: { statusCode: 400, apiCode: 2001 } });
    expect(fakes.authing.pendingCode('+8618800008888', 'CHANNEL_BIND_PHONE')?.attempts).toBe(1);
    expect(await call('POST', '/api/v3/bind-phone', { ...sms, passCode: '482913' })).toMatchObject({
      body: { statusCode: 200 },
    });
    const profile = await call('GET', '/api/v3/get-profile');
    expect(profile.body).toMatchObject({
      statusCode: 200,
      data: { phone: '18800008888', phoneCountryCode: '+86', phoneVerified: true },
    });
  });

  it('an unknown or missing token → statusCode 401, apiCode 2020, still HTTP 200', async () => {
    expect(await call('GET', '/api/v3/get-profile', undefined, 'nope')).toMatchObject({
      status: 200,
      body: { statusCode: 401, apiCode: 2020 },
    });
    expect(await call('GET', '/api/v3/get-profile', undefined, null)).toMatchObject({
      body: { statusCode: 401 },
    });
  });

  it('accepts the raw token and Bearer alike', async () => {
    expect((await call('GET', '/api/v3/get-profile', undefined, `Bearer ${token}`)).body.statusCode).toBe(
      200,
    );
  });
});
